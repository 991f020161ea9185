import Loom

/// Per-QP connection state of `dc_initiator` (SPEC 4.2), one register per QP and field.
///
/// A QP is in ERROR while `qp_error` was 1 last cycle (rule 5: a request decided in the cycle
/// after), or from a connect timeout (rule 4, `timed_out`) until `qp_error` has risen
/// (`error_seen`) and fallen again. The table keeps the timeout; the head's ERROR, both
/// kinds, is `head_error` (`HeadFlags`).
/// `qp_error` forgets the connection (no DISCONNECT).
struct ConnectionTable {
    let m: ModuleBuilder
    let qps: Int
    let qpIndexWidth: Int
    let qpError: Bits
    let connected: [Bits]
    let peerDct: [Bits], peerKey: [Bits], peerSession: [Bits]
    let timedOut: [Bits], errorSeen: [Bits]

    init(_ m: ModuleBuilder, qps: Int, qpError: Bits) {
        self.m = m
        self.qps = qps
        qpIndexWidth = max(1, addressBits(qps))
        self.qpError = qpError
        connected = m.registers("connected", count: qps, width: 1)
        peerDct = m.registers("peer_dct", count: qps, width: 24)
        peerKey = m.registers("peer_key", count: qps, width: 64)
        peerSession = m.registers("peer_session", count: qps, width: 16)
        timedOut = m.registers("timed_out", count: qps, width: 1)
        errorSeen = m.registers("error_seen", count: qps, width: 1)
    }

    /// Applies this cycle's connects, disconnects and failures of the head's QP, and follows
    /// `qp_error`.
    func update(head: HeadDecision, plan: Handshake.Plan, forwarding: Bits) {
        for q in 0..<qps {
            let isHead = head.qp == q
            m.when(plan.connects & isHead) {
                connected[q].drive(1)
                peerDct[q].drive(head.request.dct)
                peerKey[q].drive(head.request.dc_key)
                peerSession[q].drive(plan.session)
            }.elsewhen(plan.disconnects & isHead) {
                connected[q].drive(0)
            }
            m.when(qpError[q]) { connected[q].drive(0) }  // after the connect: ERROR wins
            m.when(plan.givesUp & forwarding & isHead) {
                timedOut[q].drive(1)
                errorSeen[q].drive(0)
            }.elsewhen(timedOut[q] & qpError[q]) {
                errorSeen[q].drive(1)
            }.elsewhen(timedOut[q] & errorSeen[q]) {
                timedOut[q].drive(0)
                errorSeen[q].drive(0)
            }
        }
    }
}
