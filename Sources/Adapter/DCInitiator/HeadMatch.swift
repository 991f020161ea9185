import Loom

/// Whether the head request's QP is connected to the head's target, kept in a register
/// (`head_match`) so that the head decision starts from a flip-flop rather than from a
/// 16-way multiplexer of 88-bit peers and their compare.
///
/// The register always equals what the connection table says of the head. Each cycle it is
/// computed for next cycle's head, from this cycle's table and this cycle's changes to it:
/// - the head stays: it keeps its match, becomes matched when its QP connects, unmatched when
///   its QP disconnects, and unmatched when `qp_error` of its QP is 1 (the table forgets the
///   connection);
/// - a new request loads: its QP's entry is compared with its target; when the head's QP
///   connects this cycle and the new request has the same QP, its match is whether the two
///   targets are equal (what the table will hold), and when the head's QP disconnects, none.
/// The compares of the incoming request do not depend on this cycle's decision; the decision
/// only picks among them at the end.
struct HeadMatch {
    let headMatch: Bits

    init(_ m: ModuleBuilder) {
        headMatch = m.register("head_match", width: 1, reset: 0)
    }

    /// `loads`: the head register takes `incoming` this cycle.
    func update(_ m: ModuleBuilder, table: ConnectionTable, head: HeadDecision, incoming: Stream, loads: Bits, plan: Handshake.Plan, qps: Int) {
        let w = incoming.payload, h = head.request
        let incomingQp = m.wire("incoming_qp", w.qp.resized(to: table.qpIndexWidth))
        let incomingInRange = w.qp < qps
        let sameQp = m.wire("same_qp", w.qp == h.qp)
        let sameTarget = m.wire("same_target", (w.dct == h.dct) & (w.dc_key == h.dc_key))
        let tableSaysIncoming = m.wire("table_says_incoming", m.select(table.connected, incomingQp)
            & (m.select(table.peerDct, incomingQp) == w.dct) & (m.select(table.peerKey, incomingQp) == w.dc_key))
        let incomingMatch = incomingInRange & !m.select(bitsOf(table.qpError), incomingQp)
            & mux(plan.connects & sameQp, sameTarget, !(plan.disconnects & sameQp) & tableSaysIncoming)
        let stays = head.inRange & !m.select(bitsOf(table.qpError), head.qp) & (plan.connects | (!plan.disconnects & headMatch))
        headMatch.drive(mux(loads, incomingMatch, stays))
    }
}
