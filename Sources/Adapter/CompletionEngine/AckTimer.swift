import Loom

/// The ACK timeout (SPEC 3.2 rule 14), built only when `ACK_TIMEOUT` is non-zero.
///
/// One epoch counter ticks every `ACK_TIMEOUT` cycles for all QPs; each QP counts the ticks
/// (0, 1, 2) since its list became non-empty or since its last ACK/NAK with forward progress.
/// The second tick times the QP out: between `ACK_TIMEOUT + 1` and `2·ACK_TIMEOUT` cycles
/// after the count restarted, inside the SPEC's window, for the price of two bits per QP.
/// The count holds at 0 while the list is empty or the QP is in ERROR.
struct AckTimer {
    let m: ModuleBuilder
    let tick: Bits
    /// Per QP: ticks since the count restarted, whether an ACK/NAK was accepted since reset
    /// or the last qp_reset, and the PSN of the furthest one.
    let ticks: [Bits], ackedAny: [Bits], ackedPsn: [Bits]
    /// Per QP: the head record times out this cycle (2 ticks, or 1 tick and a tick now).
    let timedOut: [Bits]

    init(_ m: ModuleBuilder, timeout: Int, pool: RecordPool) {
        self.m = m
        let ackEpoch = m.register("ack_epoch", width: addressBits(timeout), reset: 0)
        // `ack_epoch == ACK_TIMEOUT - 1`, decided a cycle ahead: no compare starts the paths
        // that the tick feeds (time-outs, the retirement pick).
        tick = m.register("ack_tick", width: 1, reset: timeout == 1 ? 1 : 0)
        tick.drive(timeout == 1 ? m.true : !tick & (ackEpoch == timeout - 2))
        ackEpoch.drive(mux(tick, m.lit(0, width: ackEpoch.width), ackEpoch &+ 1))
        ticks = m.registers("ack_ticks", count: pool.qps, width: 2)
        ackedAny = m.registers("acked_any", count: pool.qps, width: 1)
        ackedPsn = m.registers("acked_psn", count: pool.qps, width: 24)
        timedOut = (0..<pool.qps).map { [tick, ticks] q in
            pool.nonempty[q] & !pool.error[q] & ((ticks[q] == 2) | ((ticks[q] == 1) & tick))
        }
    }

    /// Restarts a QP's count on forward progress or when its list becomes non-empty; holds it
    /// at 0 while the list is empty or the QP is in ERROR.
    func update(pool: RecordPool, ack: Stream, reset: Stream, posting: Bits, postQp: Bits, postListEmpty: Bits) {
        for q in 0..<pool.qps {
            let progress = ack.fire & (ack.payload.qp == q) & (!ackedAny[q] | !serialAtOrBefore(ack.payload.psn, ackedPsn[q]))
            m.when(progress) {
                ackedAny[q].drive(1)
                ackedPsn[q].drive(ack.payload.psn)
            }
            m.when(reset.fire & (reset.payload.qp == q)) { ackedAny[q].drive(0) }
            let restarts = progress | (posting & (postQp == q) & postListEmpty)
            m.when(restarts | !pool.nonempty[q] | pool.error[q]) { ticks[q].drive(0) }
                .elsewhen(tick & (ticks[q] != 2)) { ticks[q].drive(ticks[q] &+ 1) }
        }
    }
}
