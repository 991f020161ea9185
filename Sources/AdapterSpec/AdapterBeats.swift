import LoomInterface

/// A work request as the host posts it to the `adapter` (SPEC 4.3, `wr_*`): the DC
/// initiator's request plus the protection domain its SG list is translated in.
public struct HostRequest: Hashable, Sendable, StreamBeat {
    public var request = WorkRequest()
    public var pd: UInt32 = 0

    public static let fields: [BeatField<HostRequest>] = [
        .init("qp", 8, \.request.qp), .init("wqe", 16, \.request.wqe), .init("opcode", 8, \.request.opcode), .init("signaled", \.request.signaled),
        .init("len", 32, \.request.len), .init("raddr", 64, \.request.raddr), .init("rkey", 32, \.request.rkey), .init("pd", 24, \.pd),
        .init("dct", 24, \.request.dct), .init("dc_key", 64, \.request.dcKey),
    ]

    public init() {}
    public init(_ request: WorkRequest, pd: UInt32) { (self.request, self.pd) = (request, pd) }
}

/// An SG list entry on the adapter's `sge` stream: the walker's entry without `id` (the
/// adapter tags lists itself).
public struct HostListEntry: Hashable, Sendable, StreamBeat {
    public var entry = SGEntry()

    public static let fields: [BeatField<HostListEntry>] = [
        .init("last", \.entry.last), .init("kind", 2, \.entry.kind), .init("group", \.entry.group), .init("key", 32, \.entry.key),
        .init("addr", 64, \.entry.addr), .init("len", 32, \.entry.len), .init("count0", 32, \.entry.count0), .init("count1", 32, \.entry.count1),
        .init("stride0", 32, \.entry.stride0), .init("stride1", 32, \.entry.stride1),
    ]

    public init() {}
    public init(_ entry: SGEntry) { self.entry = entry }
}

/// A host-memory read (`dma_req_*`): `len` bytes at `addr`.
public struct HostRead: Hashable, Sendable, StreamBeat {
    public var addr: UInt64 = 0
    public var len: UInt16 = 0
    public static let fields: [BeatField<HostRead>] = [.init("addr", 64, \.addr), .init("len", 16, \.len)]
    public init() {}
    public init(addr: UInt64, len: UInt16) { (self.addr, self.len) = (addr, len) }
}

/// Eight bytes of data, little-endian (`dma_rsp_*`, `txd_*`): byte `k` in bits `[8k+7:8k]`.
public struct DataBeat: Hashable, Sendable, StreamBeat {
    public var data: UInt64 = 0
    public var last = false
    public static let fields: [BeatField<DataBeat>] = [.init("data", 64, \.data), .init("last", \.last)]
    public init() {}
    public init(data: UInt64, last: Bool) { (self.data, self.last) = (data, last) }
}

/// `tx_kind` (SPEC 4.3).
public enum TxKind: UInt8, CaseIterable, Sendable {
    case data = 0, connect = 1, disconnect = 2
}

/// A network header (`tx_*`): a DATA packet's header, or a CONNECT/DISCONNECT.
public struct TxHeader: Hashable, Sendable, StreamBeat, CustomStringConvertible {
    public var kind: UInt8 = 0
    public var packet = PacketHeader()

    public static let fields: [BeatField<TxHeader>] = [
        .init("kind", 2, \.kind), .init("qp", 8, \.packet.qp), .init("opcode", 8, \.packet.opcode), .init("psn", 24, \.packet.psn),
        .init("len", 16, \.packet.len), .init("reth_va", 64, \.packet.rethVa), .init("reth_rkey", 32, \.packet.rethRkey),
        .init("reth_len", 32, \.packet.rethLen), .init("dct", 24, \.packet.dct), .init("dc_key", 64, \.packet.dcKey), .init("session", 16, \.packet.session),
    ]

    public init() {}
    public var description: String {
        kind == TxKind.data.rawValue ? "DATA \(packet)" : "\(kind == TxKind.connect.rawValue ? "CONNECT" : "DISCONNECT")(qp \(packet.qp) dct 0x\(String(packet.dct, radix: 16)))"
    }
}

/// `rx_kind` (SPEC 4.3).
public enum RxKind: UInt8, CaseIterable, Sendable {
    case ack = 0, connectAck = 1
}

/// A network beat into the adapter (`rx_*`): an ACK/NAK, or a CONNECT-ACK.
public struct RxBeat: Hashable, Sendable, StreamBeat {
    public var kind: UInt8 = 0
    public var qp: UInt8 = 0
    public var psn: UInt32 = 0
    public var syndrome: UInt8 = 0
    public var session: UInt16 = 0

    public static let fields: [BeatField<RxBeat>] = [
        .init("kind", 1, \.kind), .init("qp", 8, \.qp), .init("psn", 24, \.psn), .init("syndrome", 8, \.syndrome), .init("session", 16, \.session),
    ]

    public init() {}
    public static func ack(qp: UInt8, psn: UInt32, syndrome: UInt8 = 0) -> RxBeat {
        var b = RxBeat(); (b.kind, b.qp, b.psn, b.syndrome) = (RxKind.ack.rawValue, qp, psn & 0xff_ffff, syndrome); return b
    }
    public static func connectAck(qp: UInt8, session: UInt16) -> RxBeat {
        var b = RxBeat(); (b.kind, b.qp, b.session) = (RxKind.connectAck.rawValue, qp, session); return b
    }
}

/// The `adapter`'s fixed configuration (SPEC 4.3: `QPS` = 16; its blocks keep their defaults).
public enum AdapterConfiguration {
    public static let qps = 16
}

/// The `adapter`'s interface (SPEC 4.3).
public struct AdapterInterface<Ports: PortBinding> {
    public let cfg: DeclaredStream<MKeyConfig, Ports>, cfgack: DeclaredStream<ConfigAck, Ports>
    public let wr: DeclaredStream<HostRequest, Ports>, sge: DeclaredStream<HostListEntry, Ports>
    public let dmaReq: DeclaredStream<HostRead, Ports>, dmaRsp: DeclaredStream<DataBeat, Ports>
    public let tx: DeclaredStream<TxHeader, Ports>, txd: DeclaredStream<DataBeat, Ports>
    public let rx: DeclaredStream<RxBeat, Ports>
    public let cqe: DeclaredStream<CQEBeat, Ports>, qpReset: DeclaredStream<QPReset, Ports>
    public let pmtu: DeclaredLevel<Ports>, qpFullHandshake: DeclaredLevel<Ports>
    public let qpBusy: DeclaredLevel<Ports>, qpError: DeclaredLevel<Ports>

    public init(_ ports: Ports) throws(Ports.Failure) {
        cfg = try ports.input("cfg")
        cfgack = try ports.output("cfgack")
        qpReset = try ports.input("qp_reset")
        cqe = try ports.output("cqe")
        wr = try ports.input("wr")
        sge = try ports.input("sge")
        dmaReq = try ports.output("dma_req")
        dmaRsp = try ports.input("dma_rsp")
        txd = try ports.output("txd")
        tx = try ports.output("tx")
        rx = try ports.input("rx")
        pmtu = try ports.input("pmtu", width: .bits(3))
        qpFullHandshake = try ports.input("qp_full_handshake", width: .perQP)
        qpBusy = try ports.output("qp_busy", width: .perQP)
        qpError = try ports.output("qp_error", width: .perQP)
    }
}
