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
public enum DCInitiatorInterface {
    public static let wr = StreamPort<WorkRequest>("wr")
    public static let xwr = StreamPort<ExecRequest>("xwr")
    public static let ctl = StreamPort<ControlBeat>("ctl")
    public static let connack = StreamPort<ConnectAck>("connack")
    public static let qpFullHandshake = LevelPort("qp_full_handshake")
    public static let qpBusy = LevelPort("qp_busy")
    public static let qpError = LevelPort("qp_error")
    public static let qpActive = LevelPort("qp_active")
}
