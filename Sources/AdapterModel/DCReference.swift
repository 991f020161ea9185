/// The transaction-level reference of `dc_initiator` (SPEC 4.2), without clock: for each work
/// request in `wr` order, the `ctl` beats it causes and the `xwr` beat it becomes.
///
/// The environment is told to it as the SPEC states it: which QPs use the full handshake,
/// which targets answer a CONNECT and with what session, and `qp_error` as a level per QP
/// (`level`, once per cycle after the cycle's decisions), because rule 5 is written in
/// cycles. It assumes targets answer within `CONNECT_TIMEOUT` (no resend to a live target).
public struct DCReference {
    /// What one request does.
    public struct Expectation: Equatable, CustomStringConvertible {
        public var control: [ControlBeat]
        public var forwarded: ExecRequest
        /// A flushed request may have sent part of `control` (in order, any beats left out)
        /// before its QP entered ERROR.
        public var controlMayBePartial: Bool

        public var description: String { "\(control)\(controlMayBePartial ? " (any part of it)" : "") then xwr status 0x\(String(forwarded.status, radix: 16)) session 0x\(String(forwarded.session, radix: 16))" }
    }

    struct QP {
        var peer: DCTarget?
        var session: UInt16 = 0
        var errorLast = false
        var timedOut = false
        var errorSinceTimeout = false
        /// The connection `qp_error` forgot, until the QP's next request is decided: a request
        /// flushed while it waited for its drain or answer may have sent its DISCONNECT first.
        var forgotten: (peer: DCTarget, session: UInt16)?
    }

    public let qps: Int, connectRetries: Int
    let fullHandshake: (UInt8) -> Bool
    /// The session a target answers a CONNECT of the QP with; nil: it never answers.
    let answer: (UInt8, DCTarget) -> UInt16?
    var state: [QP]

    public init(qps: Int = 16, connectRetries: Int = 3, fullHandshake: @escaping (UInt8) -> Bool, answer: @escaping (UInt8, DCTarget) -> UInt16?) {
        (self.qps, self.connectRetries, self.fullHandshake, self.answer) = (qps, connectRetries, fullHandshake, answer)
        state = Array(repeating: QP(), count: qps)
    }

    /// `qp_error[q]` in the cycle just ended: 1 forgets the connection (rule 5); it ends a
    /// rule 4 ERROR when it falls after having risen.
    public mutating func level(_ q: Int, qpError: Bool) {
        if qpError, let peer = state[q].peer {
            state[q].forgotten = (peer, state[q].session)
            state[q].peer = nil
        }
        if state[q].timedOut {
            if qpError { state[q].errorSinceTimeout = true }
            else if state[q].errorSinceTimeout { state[q].timedOut = false; state[q].errorSinceTimeout = false }
        }
        state[q].errorLast = qpError
    }

    /// The next request, decided now.
    public mutating func decide(_ wr: WorkRequest) -> Expectation {
        let q = Int(wr.qp)
        guard q < qps else {
            return Expectation(control: [], forwarded: ExecRequest(wr, status: Syndrome.localQpOp.rawValue), controlMayBePartial: false)
        }
        let s = state[q]
        state[q].forgotten = nil
        if s.peer == wr.target && !s.errorLast && !s.timedOut {
            return Expectation(control: [], forwarded: ExecRequest(wr, session: s.session), controlMayBePartial: false)
        }
        // The handshake it needs (rules 2 to 4).
        var control: [ControlBeat] = []
        if let old = s.peer { control.append(ControlBeat(.disconnect, qp: wr.qp, target: old, session: s.session)) }
        let full = fullHandshake(wr.qp)
        let session = full ? answer(wr.qp, wr.target) : 0
        let connects = session == nil ? 1 + connectRetries : 1
        control += Array(repeating: ControlBeat(.connect, qp: wr.qp, target: wr.target), count: connects)
        if s.errorLast || s.timedOut {
            // Rule 5: flushed at once, though it may have begun its handshake before, with
            // the DISCONNECT of the connection `qp_error` then forgot.
            if s.peer == nil, let old = s.forgotten { control.insert(ControlBeat(.disconnect, qp: wr.qp, target: old.peer, session: old.session), at: 0) }
            return Expectation(control: control, forwarded: ExecRequest(wr, status: Syndrome.flush.rawValue), controlMayBePartial: true)
        }
        if let session {
            state[q].peer = wr.target
            state[q].session = session
            return Expectation(control: control, forwarded: ExecRequest(wr, session: session), controlMayBePartial: false)
        }
        state[q].peer = nil
        state[q].timedOut = true
        state[q].errorSinceTimeout = false
        return Expectation(control: control, forwarded: ExecRequest(wr, status: Syndrome.transportRetryExceeded.rawValue), controlMayBePartial: false)
    }
}
