import LoomInterface

/// A work request as the host posts it to `dc_initiator` (SPEC 4.2, `wr_*` ports): one
/// message to the target `(dct, dcKey)`.
public struct WorkRequest: Hashable, Sendable, StreamBeat {
    public var qp: UInt8 = 0
    public var wqe: UInt16 = 0
    public var opcode: UInt8 = 0
    public var signaled = false
    public var len: UInt32 = 0
    public var raddr: UInt64 = 0
    public var rkey: UInt32 = 0
    public var dct: UInt32 = 0
    public var dcKey: UInt64 = 0

    public static let fields: [BeatField<WorkRequest>] = [
        .init("qp", 8, \.qp), .init("wqe", 16, \.wqe), .init("opcode", 8, \.opcode), .init("signaled", \.signaled),
        .init("len", 32, \.len), .init("raddr", 64, \.raddr), .init("rkey", 32, \.rkey), .init("dct", 24, \.dct), .init("dc_key", 64, \.dcKey),
    ]

    public init() {}
    public init(qp: UInt8, wqe: UInt16, opcode: WQEOpcode = .rdmaWrite, signaled: Bool = true, len: UInt32 = 0, raddr: UInt64 = 0, rkey: UInt32 = 0,
                dct: UInt32, dcKey: UInt64) {
        (self.qp, self.wqe, self.opcode, self.signaled, self.len) = (qp, wqe, opcode.rawValue, signaled, len)
        (self.raddr, self.rkey, self.dct, self.dcKey) = (raddr, rkey, dct & 0xff_ffff, dcKey)
    }

    /// The target this request names.
    public var target: DCTarget { DCTarget(dct: dct, dcKey: dcKey) }
}

/// A DC target: the DCT number and its access key.
public struct DCTarget: Hashable, Sendable, CustomStringConvertible {
    public var dct: UInt32
    public var dcKey: UInt64
    public init(dct: UInt32, dcKey: UInt64) { (self.dct, self.dcKey) = (dct, dcKey) }
    public var description: String { "(0x\(String(dct, radix: 16)), 0x\(String(dcKey, radix: 16)))" }
}

/// A work request on its way to `exec_unit` (`xwr_*` of `dc_initiator`, `wr_*` of
/// `exec_unit`; SPEC 4.1 and 4.2): the request, the connection's session and a status that is
/// 0 or the syndrome the message has already failed with.
public struct ExecRequest: Hashable, Sendable, StreamBeat {
    public var request = WorkRequest()
    public var session: UInt16 = 0
    public var status: UInt8 = 0

    public static let fields: [BeatField<ExecRequest>] = [
        .init("qp", 8, \.request.qp), .init("wqe", 16, \.request.wqe), .init("opcode", 8, \.request.opcode), .init("signaled", \.request.signaled),
        .init("len", 32, \.request.len), .init("raddr", 64, \.request.raddr), .init("rkey", 32, \.request.rkey),
        .init("dct", 24, \.request.dct), .init("dc_key", 64, \.request.dcKey), .init("session", 16, \.session), .init("status", 8, \.status),
    ]

    public init() {}
    public init(_ request: WorkRequest, session: UInt16 = 0, status: UInt8 = 0) {
        (self.request, self.session, self.status) = (request, session, status)
    }
}

/// `ctl_kind` (SPEC 4.2).
public enum ControlKind: UInt8, CaseIterable, Sendable {
    case connect = 0, disconnect = 1
}

/// A connection-control beat of `dc_initiator` (`ctl_*`): CONNECT or DISCONNECT of a QP's
/// connection.
public struct ControlBeat: Hashable, Sendable, StreamBeat, CustomStringConvertible {
    public var kind: UInt8 = 0
    public var qp: UInt8 = 0
    public var dct: UInt32 = 0
    public var dcKey: UInt64 = 0
    public var session: UInt16 = 0

    public static let fields: [BeatField<ControlBeat>] = [
        .init("kind", 1, \.kind), .init("qp", 8, \.qp), .init("dct", 24, \.dct), .init("dc_key", 64, \.dcKey), .init("session", 16, \.session),
    ]

    public init() {}
    public init(_ kind: ControlKind, qp: UInt8, target: DCTarget, session: UInt16 = 0) {
        (self.kind, self.qp, self.dct, self.dcKey, self.session) = (kind.rawValue, qp, target.dct, target.dcKey, session)
    }

    public var target: DCTarget { DCTarget(dct: dct, dcKey: dcKey) }
    public var description: String {
        "\(kind == ControlKind.connect.rawValue ? "CONNECT" : "DISCONNECT"){qp \(qp) \(target) session 0x\(String(session, radix: 16))}"
    }
}

/// A target's answer to a full-handshake CONNECT (`connack_*`): the connection's session.
public struct ConnectAck: Hashable, Sendable, StreamBeat {
    public var qp: UInt8 = 0
    public var session: UInt16 = 0
    public static let fields: [BeatField<ConnectAck>] = [.init("qp", 8, \.qp), .init("session", 16, \.session)]
    public init() {}
    public init(qp: UInt8, session: UInt16) { (self.qp, self.session) = (qp, session) }
}

/// `dc_initiator`'s interface (SPEC 4.2).
public struct DCInitiatorInterface<Ports: PortBinding> {
    public let wr: DeclaredStream<WorkRequest, Ports>
    public let xwr: DeclaredStream<ExecRequest, Ports>
    public let ctl: DeclaredStream<ControlBeat, Ports>
    public let connack: DeclaredStream<ConnectAck, Ports>
    public let qpFullHandshake: DeclaredLevel<Ports>, qpBusy: DeclaredLevel<Ports>
    public let qpError: DeclaredLevel<Ports>, qpActive: DeclaredLevel<Ports>

    public init(_ ports: Ports) throws(Ports.Failure) {
        wr = try ports.input("wr")
        connack = try ports.input("connack")
        xwr = try ports.output("xwr")
        ctl = try ports.output("ctl")
        qpFullHandshake = try ports.input("qp_full_handshake", width: .perQP)
        qpBusy = try ports.input("qp_busy", width: .perQP)
        qpError = try ports.input("qp_error", width: .perQP)
        qpActive = try ports.input("qp_active", width: .perQP)
    }
}

/// A physical gather segment of a message (`gseg_*` of `exec_unit`, SPEC 4.1 rule 4).
public struct GatherSegment: Hashable, Sendable, StreamBeat {
    public var addr: UInt64 = 0
    public var len: UInt32 = 0
    public var last = false
    public var status: UInt8 = 0

    public static let fields: [BeatField<GatherSegment>] = [
        .init("addr", 64, \.addr), .init("len", 32, \.len), .init("last", \.last), .init("status", 8, \.status),
    ]

    public init() {}
    public init(addr: UInt64, len: UInt32, last: Bool = false, status: UInt8 = 0) { (self.addr, self.len, self.last, self.status) = (addr, len, last, status) }
}

/// A payload piece (`dma_*`): `len` bytes from host address `addr`; `last` ends a packet's
/// payload; `abort` (with `last`, address and length 0) drops the pieces no header claimed.
public struct PayloadPiece: Hashable, Sendable, StreamBeat, CustomStringConvertible {
    public var addr: UInt64 = 0
    public var len: UInt16 = 0
    public var last = false
    public var abort = false

    public static let fields: [BeatField<PayloadPiece>] = [.init("addr", 64, \.addr), .init("len", 16, \.len), .init("last", \.last), .init("abort", \.abort)]

    public init() {}
    public init(addr: UInt64, len: UInt16, last: Bool) { (self.addr, self.len, self.last) = (addr, len, last) }
    /// The abort beat of rule 5.
    public static let abortBeat: PayloadPiece = { var p = PayloadPiece(); p.last = true; p.abort = true; return p }()

    public var description: String { abort ? "ABORT" : "(0x\(String(addr, radix: 16)), \(len)\(last ? ", last" : ""))" }
}

/// A packet header (`pkt_*`): BTH opcode and PSN, payload length, RETH and the connection.
public struct PacketHeader: Hashable, Sendable, StreamBeat, CustomStringConvertible {
    public var qp: UInt8 = 0
    public var opcode: UInt8 = 0
    public var psn: UInt32 = 0
    public var len: UInt16 = 0
    public var rethVa: UInt64 = 0
    public var rethRkey: UInt32 = 0
    public var rethLen: UInt32 = 0
    public var dct: UInt32 = 0
    public var dcKey: UInt64 = 0
    public var session: UInt16 = 0

    public static let fields: [BeatField<PacketHeader>] = [
        .init("qp", 8, \.qp), .init("opcode", 8, \.opcode), .init("psn", 24, \.psn), .init("len", 16, \.len),
        .init("reth_va", 64, \.rethVa), .init("reth_rkey", 32, \.rethRkey), .init("reth_len", 32, \.rethLen),
        .init("dct", 24, \.dct), .init("dc_key", 64, \.dcKey), .init("session", 16, \.session),
    ]

    public init() {}

    public var description: String {
        "pkt(qp \(qp) op 0x\(String(opcode, radix: 16)) psn \(psn) len \(len)\(rethLen != 0 || rethVa != 0 ? " reth \(rethLen)@0x\(String(rethVa, radix: 16))" : ""))"
    }
}

/// BTH opcodes (`pkt_opcode`, SPEC section 4).
public enum PacketOpcode: UInt8, CaseIterable, Sendable {
    case sendFirst = 0x00, sendMiddle = 0x01, sendLast = 0x02, sendOnly = 0x04
    case writeFirst = 0x06, writeMiddle = 0x07, writeLast = 0x08, writeOnly = 0x0a
    case readRequest = 0x0c
}

/// `pmtu` codes (SPEC section 4): the path MTU in bytes; 0, 6 and 7 act as 1 (256 bytes).
public enum PathMTU {
    public static func bytes(code: UInt8) -> UInt32 { (1...5).contains(code) ? 128 << UInt32(code) : 256 }
}

/// `exec_unit`'s interface (SPEC 4.1).
public struct ExecUnitInterface<Ports: PortBinding> {
    public let wr: DeclaredStream<ExecRequest, Ports>
    public let gseg: DeclaredStream<GatherSegment, Ports>
    public let dma: DeclaredStream<PayloadPiece, Ports>
    public let pkt: DeclaredStream<PacketHeader, Ports>
    public let post: DeclaredStream<CompletionPost, Ports>
    public let lerr: DeclaredStream<LocalError, Ports>
    public let pmtu: DeclaredLevel<Ports>, qpError: DeclaredLevel<Ports>, qpActive: DeclaredLevel<Ports>

    public init(_ ports: Ports) throws(Ports.Failure) {
        wr = try ports.input("wr")
        gseg = try ports.input("gseg")
        pmtu = try ports.input("pmtu", width: .bits(3))
        qpError = try ports.input("qp_error", width: .perQP)
        post = try ports.output("post")
        dma = try ports.output("dma")
        pkt = try ports.output("pkt")
        lerr = try ports.output("lerr")
        qpActive = try ports.output("qp_active", width: .perQP)
    }
}
