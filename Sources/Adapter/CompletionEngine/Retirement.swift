import AdapterSpec
import Loom

/// Which QP retires its head record this cycle, and with what outcome: the ACK walk's QP
/// while a walk runs, else the lowest QP whose head failed locally or which is in ERROR with
/// records left (SPEC 3.2 rules 1, 2 and 4).
struct Retirement {
    let m: ModuleBuilder
    let walk: AckWalk
    let qp: Bits
    let head: (slot: Bits, record: Record, isTail: Bits, after: Bits, afterFailed: Bits)
    var record: Record { head.record }
    /// A record retires this cycle if its CQE (when it has one) can be taken.
    let retiring: Bits
    /// The retiring record fails (a failed or flushed record always has a CQE).
    let failing: Bits
    let syndrome: Bits
    /// The retiring record has a CQE (a failure, or a signaled success): it is offered.
    let wantsCqe: Bits
    /// What the walk does this cycle, as far as it does not depend on the CQE slot: it ends
    /// with nothing to retire, its record fails, it retires a record.
    let walkStep: (endsEmpty: Bits, fails: Bits, retires: Bits)

    /// `timedOut`: per QP, the ACK timer has run out (empty without `ACK_TIMEOUT`).
    init(_ m: ModuleBuilder, pool: RecordPool, walk: AckWalk, timedOut: [Bits]) {
        self.m = m
        self.walk = walk
        let qps = pool.qps
        let walkNonempty = m.select(pool.nonempty, walk.ack.qp)
        let walkError = m.select(pool.error, walk.ack.qp)
        let staleNak = m.wire("stale_nak", walk.first & walk.isNak & m.select(pool.retiredAny, walk.ack.qp)
            & serialAtOrBefore(walk.ack.psn, m.select(pool.lastPsn, walk.ack.qp)))

        // Spontaneous candidates: failed head, ERROR with records left, or an ACK timeout.
        let spontaneousWant = (0..<qps).map { q in
            pool.nonempty[q] & (timedOut.isEmpty ? pool.error[q] | pool.headFailed[q] : pool.error[q] | pool.headFailed[q] | timedOut[q])
        }
        // The pick carries the QP's head pointer up its tree, so the head record's address does
        // not wait for the QP's index and a multiplexer after it.
        let spontaneous = lowestSet(spontaneousWant, carrying: pool.head)
        let spontaneousQp = spontaneous.index.resized(to: pool.qpIndexWidth)
        let anySpontaneous = m.wire("any_spontaneous", spontaneous.found)

        qp = m.wire("retire_qp", mux(walk.active, walk.ack.qp, spontaneousQp))
        head = pool.head(of: qp, slot: mux(walk.active, m.select(pool.head, walk.ack.qp), spontaneous.value))
        let record = head.record

        let walkEndsEmpty = m.wire("walk_ends_empty", walk.active & (walkError | !walkNonempty | staleNak))
        let ownFailure = record.status != 0
        let covered = mux(walk.isNak, serialAtOrBefore(record.psn, walk.ack.psn) & (record.psn != walk.ack.psn), serialAtOrBefore(record.psn, walk.ack.psn))
        // The walk retires a record that failed, is covered, or that a NAK fails.
        let walkRetires = m.wire("walk_retires", walk.active & !walkEndsEmpty & (ownFailure | covered | walk.isNak))
        let walkFails = ownFailure | (walk.isNak & !covered)
        walkStep = (walkEndsEmpty, walkFails, walkRetires)
        retiring = m.wire("retiring", walkRetires | (!walk.active & anySpontaneous))
        failing = m.wire("failing", mux(walk.active, walkFails, m.true))
        syndrome = m.wire("retire_syndrome", mux(walk.active,
            mux(ownFailure, record.status, walk.ack.syndrome),
            mux(m.select(pool.error, qp), m.lit(Syndrome.flush, width: 8),
                timedOut.isEmpty ? record.status : mux(ownFailure, record.status, m.lit(Syndrome.transportRetryExceeded, width: 8)))))
        wantsCqe = m.wire("wants_cqe", retiring & (failing | record.signaled))
    }

    /// Decides whether the record retires now (its CQE slot is free, or it needs none);
    /// returns `retire_now`.
    func commit(cqeSlotFree: Bits) -> Bits {
        m.wire("retire_now", retiring & (!wantsCqe | cqeSlotFree))
    }
}
