import AdapterSpec
import Loom

/// The ACK walk: an accepted ACK/NAK and how far it may go (the QP's tail when it was
/// accepted). While active it retires the QP's head record each cycle it can.
struct AckWalk {
    let m: ModuleBuilder
    let active: Bits
    /// The walk's first cycle: the stale-NAK check sees every earlier retirement then.
    let first: Bits
    /// The ACK being walked (its QP as a list index).
    let ack: (qp: Bits, psn: Bits, syndrome: Bits)
    /// The last record this ACK may cover.
    let limit: Bits

    init(_ m: ModuleBuilder, qps: Int, records: Int) {
        self.m = m
        active = m.register("walk_active", width: 1, reset: 0)
        first = m.register("walk_first", width: 1, reset: 0)
        ack = (m.register("walk_qp", width: addressBits(qps), reset: 0), m.register("walk_psn", width: 24, reset: 0),
               m.register("walk_syndrome", width: 8, reset: 0))
        limit = m.register("walk_limit", width: addressBits(records), reset: 0)
    }

    var isNak: Bits { ack.syndrome != 0 }

    /// Ends the walk when it has nothing left to retire, its record fails, or it retired the
    /// last record it covers; accepts an ACK in the cycle the running walk ends (one ACK per
    /// cycle sustained).
    func update(ack: Stream, retirement r: Retirement, retireNow: Bits, pool: RecordPool) {
        let step = r.walkStep
        let walkEnds = m.wire("walk_ends", step.endsEmpty | (active & retireNow & (step.fails | (r.head.slot == limit)))
            | (active & !step.endsEmpty & !step.retires))
        ack.ready.drive(!active | walkEnds)
        m.when(active) { first.drive(0) }
        m.when(walkEnds) { active.drive(0) }
        m.when(ack.fire & (ack.payload.qp < pool.qps)) {
            let q = ack.payload.qp.truncated(to: pool.qpIndexWidth)
            active.drive(1)
            first.drive(1)
            self.ack.qp.drive(q)
            self.ack.psn.drive(ack.payload.psn)
            self.ack.syndrome.drive(ack.payload.syndrome)
            limit.drive(m.select(pool.tail, q))
            // A list that is empty now, or loses its tail this cycle, has nothing this ACK may cover.
            m.when(!m.select(pool.nonempty, q) | (retireNow & (r.qp == q) & r.head.isTail)) { active.drive(0) }
        }
    }
}
