/// A record posted by the execution unit (SPEC 3.1, `post_*` ports).
public struct CompletionPost: Hashable, Sendable {
    public var qp: UInt8
    public var wqe: UInt16
    public var opcode: UInt8
    public var signaled: Bool
    public var psn: UInt32
    public var bytes: UInt32
    public var status: UInt8

    public init(qp: UInt8, wqe: UInt16, opcode: UInt8 = 0x08, signaled: Bool = true, psn: UInt32, bytes: UInt32 = 0, status: UInt8 = 0) {
        self.qp = qp
        self.wqe = wqe
        self.opcode = opcode
        self.signaled = signaled
        self.psn = psn & 0xff_ffff
        self.bytes = bytes
        self.status = status
    }
}

/// An acknowledgement: syndrome 0 is an ACK, anything else a NAK.
public struct CompletionAck: Hashable, Sendable {
    public var qp: UInt8
    public var psn: UInt32
    public var syndrome: UInt8
    public init(qp: UInt8, psn: UInt32, syndrome: UInt8 = 0) {
        self.qp = qp
        self.psn = psn & 0xff_ffff
        self.syndrome = syndrome
    }
}

/// A completion queue entry without its CQ slot (`cqe_index`/`cqe_owner` are checked apart).
public struct CompletionEntry: Hashable, Sendable, CustomStringConvertible {
    public static let req: UInt8 = 0
    public static let reqErr: UInt8 = 13
    public static let flushSyndrome: UInt8 = 0x05
    public static let badQpSyndrome: UInt8 = 0x02

    public var qp: UInt8
    public var wqe: UInt16
    public var opcode: UInt8
    public var wqeOpcode: UInt8
    public var syndrome: UInt8
    public var bytes: UInt32

    public init(qp: UInt8, wqe: UInt16, opcode: UInt8, wqeOpcode: UInt8, syndrome: UInt8, bytes: UInt32) {
        self.qp = qp
        self.wqe = wqe
        self.opcode = opcode
        self.wqeOpcode = wqeOpcode
        self.syndrome = syndrome
        self.bytes = bytes
    }

    public var description: String {
        opcode == Self.req ? "CQE(qp \(qp) wqe \(wqe) OK \(bytes)B)" : "CQE(qp \(qp) wqe \(wqe) ERR 0x\(String(syndrome, radix: 16)))"
    }
}

/// One transfer seen on the engine's input streams, in the order SPEC 3.1 applies them:
/// within one cycle ACKs first (they cover only earlier posts), then posts, then resets.
public enum CompletionEvent: Hashable, Sendable {
    case ack(CompletionAck)
    case post(CompletionPost)
    case reset(qp: UInt8)

    var orderInCycle: Int {
        switch self {
        case .ack: return 0
        case .post: return 1
        case .reset: return 2
        }
    }
}
