import Loom

/// What the head decision needs to know of the head request's QP, kept in registers so that
/// the decision starts from flip-flops rather than from 16-way multiplexers and compares:
/// - `head_match`: the QP is connected to the head's target;
/// - `head_error`: the QP is in ERROR (rule 4's `timed_out`, or `qp_error` last cycle);
/// - `head_quiet`: last cycle the QP had no `xwr` beat waiting and `qp_busy`, `qp_active` low
///   (half of the drain of rule 3; the other half, no beat of the QP in `xwr_out` now, is
///   read live).
///
/// Each cycle they are computed for next cycle's head from this cycle's table, levels and
/// changes to the table. A request that loads from `wr_pre` brings its table entry, kept in
/// `pre_*` registers since it arrived, so its match is a compare of registers; when the
/// head's QP connects this cycle and the new request has the same QP, its match is whether
/// the two targets are equal (what the table will hold), and when the head's QP disconnects,
/// none; a connect timeout of the head's QP puts a new request of that QP in ERROR. The
/// candidates do not depend on this cycle's decision, which only picks among them at the end.
struct HeadFlags {
    let headMatch: Bits
    let headError: Bits
    let headQuiet: Bits
    /// The connection-table entry of the request waiting in `wr_pre`, kept true to the table:
    /// its compare with the request's target is then made from registers.
    let preConnected: Bits, prePeerDct: Bits, prePeerKey: Bits

    init(_ m: ModuleBuilder) {
        headMatch = m.register("head_match", width: 1, reset: 0)
        headError = m.register("head_error", width: 1, reset: 0)
        headQuiet = m.register("head_quiet", width: 1, reset: 0)
        preConnected = m.register("pre_connected", width: 1, reset: 0)
        prePeerDct = m.register("pre_peer_dct", width: 24, reset: 0)
        prePeerKey = m.register("pre_peer_key", width: 64, reset: 0)
    }

    /// `incoming`: the `wr_pre` stage, which `loads` into the head register this cycle;
    /// `arriving`: `wr`, which `preLoads` into `wr_pre`; `xwrOut`: the `xwr` register stage.
    func update(_ m: ModuleBuilder, table: ConnectionTable, head: HeadDecision, incoming: Stream, loads: Bits, arriving: Stream, preLoads: Bits,
                plan: Handshake.Plan, xwrOut: Stream, busy: Bits, active: Bits, qps: Int) {
        let w = incoming.payload, h = head.request
        let incomingQp = m.wire("incoming_qp", w.qp.resized(to: table.qpIndexWidth))
        let incomingInRange = w.qp < qps
        let sameQp = m.wire("same_qp", w.qp == h.qp)
        let sameTarget = m.wire("same_target", (w.dct == h.dct) & (w.dc_key == h.dc_key))

        // The table entry of `wr_pre`'s request next cycle: read with the arriving request's QP
        // when it loads, else the one kept; this cycle's connect or disconnect of the head's QP
        // and `qp_error` applied as the table applies them.
        let a = arriving.payload
        let arrivingQp = a.qp.resized(to: table.qpIndexWidth)
        // Both candidates are read before `preLoads` (which follows this cycle's decision) picks one.
        let entryIsHeads = mux(preLoads, a.qp == h.qp, sameQp)
        let entryConnected = mux(preLoads, m.select(table.connected, arrivingQp), preConnected)
        let errorNow = bitsOf(table.qpError)
        let entryError = mux(preLoads, m.select(errorNow, arrivingQp), m.select(errorNow, incomingQp))
        preConnected.drive(mux(plan.connects & entryIsHeads, m.true, !(plan.disconnects & entryIsHeads) & entryConnected) & !entryError)
        prePeerDct.drive(mux(plan.connects & entryIsHeads, h.dct, mux(preLoads, m.select(table.peerDct, arrivingQp), prePeerDct)))
        prePeerKey.drive(mux(plan.connects & entryIsHeads, h.dc_key, mux(preLoads, m.select(table.peerKey, arrivingQp), prePeerKey)))

        let tableSaysIncoming = m.wire("table_says_incoming", preConnected & (prePeerDct == w.dct) & (prePeerKey == w.dc_key))
        let incomingMatch = incomingInRange & !m.select(errorNow, incomingQp)
            & mux(plan.connects & sameQp, sameTarget, !(plan.disconnects & sameQp) & tableSaysIncoming)
        let matchStays = head.inRange & !m.select(errorNow, head.qp) & (plan.connects | (!plan.disconnects & headMatch))
        headMatch.drive(mux(loads, incomingMatch, matchStays))

        // ERROR next cycle: `qp_error` now, or a timeout that `qp_error` has not yet ended.
        let errorNext = (0..<qps).map { q in errorNow[q] | (table.timedOut[q] & !table.errorSeen[q]) }
        let incomingError = incomingInRange & (m.select(errorNext, incomingQp) | (plan.givesUp & sameQp))
        headError.drive(mux(loads, incomingError, head.inRange & m.select(errorNext, head.qp)))

        func quiet(_ qp: Bits, _ index: Bits) -> Bits {
            !(xwrOut.valid & (xwrOut.payload.qp == qp)) & !m.select(bitsOf(busy), index) & !m.select(bitsOf(active), index)
        }
        headQuiet.drive(mux(loads, quiet(w.qp, incomingQp), quiet(h.qp, head.qp)))
    }
}
