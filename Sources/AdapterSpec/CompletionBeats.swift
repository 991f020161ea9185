import LoomInterface

/// `completion_engine`'s interface (SPEC 3.3).
public struct CompletionEngineInterface<Ports: PortBinding> {
    public let post: DeclaredStream<CompletionPost, Ports>
    public let ack: DeclaredStream<CompletionAck, Ports>
    public let qpReset: DeclaredStream<QPReset, Ports>
    public let lerr: DeclaredStream<LocalError, Ports>
    public let cqe: DeclaredStream<CQEBeat, Ports>
    public let qpError: DeclaredLevel<Ports>, qpBusy: DeclaredLevel<Ports>

    public init(_ ports: Ports) throws(Ports.Failure) {
        post = try ports.input("post")
        ack = try ports.input("ack")
        qpReset = try ports.input("qp_reset")
        lerr = try ports.input("lerr")
        cqe = try ports.output("cqe")
        qpError = try ports.output("qp_error", width: .perQP)
        qpBusy = try ports.output("qp_busy", width: .perQP)
    }
}

/// A record posted by the execution unit (SPEC 3.1, `post_*` ports).
public struct CompletionPost: Hashable, Sendable, StreamBeat {
    public var qp: UInt8
    public var wqe: UInt16
    public var opcode: UInt8
    public var signaled: Bool
    public var psn: UInt32
    public var bytes: UInt32
    public var status: UInt8

    public static let fields: [BeatField<CompletionPost>] = [
        .init("qp", 8, \.qp), .init("wqe", 16, \.wqe), .init("opcode", 8, \.opcode), .init("signaled", \.signaled),
        .init("psn", 24, \.psn), .init("bytes", 32, \.bytes), .init("status", 8, \.status),
    ]

    public init(qp: UInt8, wqe: UInt16, opcode: UInt8 = WQEOpcode.rdmaWrite.rawValue, signaled: Bool = true, psn: UInt32, bytes: UInt32 = 0, status: UInt8 = 0) {
        self.qp = qp
        self.wqe = wqe
        self.opcode = opcode
        self.signaled = signaled
        self.psn = psn & 0xff_ffff
        self.bytes = bytes
        self.status = status
    }

    public init() { self.init(qp: 0, wqe: 0, opcode: 0, signaled: false, psn: 0) }
}

/// An acknowledgement: syndrome 0 is an ACK, anything else a NAK.
public struct CompletionAck: Hashable, Sendable, StreamBeat {
    public var qp: UInt8
    public var psn: UInt32
    public var syndrome: UInt8

    public static let fields: [BeatField<CompletionAck>] = [.init("qp", 8, \.qp), .init("psn", 24, \.psn), .init("syndrome", 8, \.syndrome)]

    public init(qp: UInt8, psn: UInt32, syndrome: UInt8 = 0) {
        self.qp = qp
        self.psn = psn & 0xff_ffff
        self.syndrome = syndrome
    }

    public init() { self.init(qp: 0, psn: 0) }
}

/// A `qp_reset` beat: the host clears a QP's ERROR.
public struct QPReset: Hashable, Sendable, StreamBeat {
    public var qp: UInt8 = 0
    public static let fields: [BeatField<QPReset>] = [.init("qp", 8, \.qp)]
    public init() {}
    public init(qp: UInt8) { self.qp = qp }
}

/// A completion queue entry without its CQ slot (`cqe_index`/`cqe_owner` are checked apart).
public struct CompletionEntry: Hashable, Sendable, CustomStringConvertible {
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
        opcode == CQEOpcode.req.rawValue ? "CQE(qp \(qp) wqe \(wqe) OK \(bytes)B)" : "CQE(qp \(qp) wqe \(wqe) ERR 0x\(String(syndrome, radix: 16)))"
    }
}

/// A `cqe` beat: the entry and its CQ slot.
public struct CQEBeat: Hashable, Sendable, StreamBeat {
    public var entry = CompletionEntry(qp: 0, wqe: 0, opcode: 0, wqeOpcode: 0, syndrome: 0, bytes: 0)
    public var index: UInt16 = 0
    public var owner = false

    public static let fields: [BeatField<CQEBeat>] = [
        .init("qp", 8, \.entry.qp), .init("wqe", 16, \.entry.wqe), .init("opcode", 8, \.entry.opcode), .init("wqe_opcode", 8, \.entry.wqeOpcode),
        .init("syndrome", 8, \.entry.syndrome), .init("bytes", 32, \.entry.bytes), .init("index", 16, \.index), .init("owner", \.owner),
    ]

    public init() {}
    public init(entry: CompletionEntry, index: UInt16, owner: Bool) { (self.entry, self.index, self.owner) = (entry, index, owner) }
}

/// A local error found after a message's record was posted (SPEC 3.2 rule 13, `lerr_*`): it
/// fails the QP's most recently posted outstanding record with `syndrome`.
public struct LocalError: Hashable, Sendable, StreamBeat {
    public var qp: UInt8
    public var syndrome: UInt8

    public static let fields: [BeatField<LocalError>] = [.init("qp", 8, \.qp), .init("syndrome", 8, \.syndrome)]

    public init(qp: UInt8, syndrome: UInt8) {
        self.qp = qp
        self.syndrome = syndrome
    }

    public init() { self.init(qp: 0, syndrome: 0) }
}
