import AdapterSpec
import Loom

/// The completion engine's record pool: records in LUT memories linked per QP, the per-QP
/// list registers, and the `FreeList` of slots.
///
/// A record's status lives apart from its other fields (`statuses`, with `failed` its
/// non-zero bit) because a `lerr` rewrites it after the post: only those two small memories
/// share their write port between posts and late failures.
struct RecordPool {
    /// The fields a record keeps that never change after its post (its QP is implied by the
    /// list it is on).
    static let recordLayout = RecordLayout(["wqe": 16, "opcode": 8, "signaled": 1, "psn": 24, "bytes": 32])

    let m: ModuleBuilder
    let qps: Int
    let slotWidth: Int
    let qpIndexWidth: Int
    let records: Memory
    let statuses: Memory
    let next: Memory
    let failed: Memory
    let free: FreeList
    /// Per QP: the list's first and last slot, whether it has records, ERROR, whether the head
    /// record failed locally, whether a record retired since reset, the last retired PSN.
    let head: [Bits], tail: [Bits], nonempty: [Bits], error: [Bits], headFailed: [Bits], retiredAny: [Bits], lastPsn: [Bits]

    init(_ m: ModuleBuilder, qps: Int, records: Int) {
        self.m = m
        self.qps = qps
        slotWidth = addressBits(records)
        qpIndexWidth = addressBits(qps)
        self.records = m.memory("records", depth: records, width: Self.recordLayout.width)
        statuses = m.memory("statuses", depth: records, width: 8)
        next = m.memory("next", depth: records, width: slotWidth)
        failed = m.memory("failed", depth: records, width: 1)
        free = FreeList(m, records: records)
        head = m.registers("head", count: qps, width: slotWidth)
        tail = m.registers("tail", count: qps, width: slotWidth)
        nonempty = m.registers("nonempty", count: qps, width: 1)
        error = m.registers("error", count: qps, width: 1)
        headFailed = m.registers("head_failed", count: qps, width: 1)
        retiredAny = m.registers("retired_any", count: qps, width: 1)
        lastPsn = m.registers("last_psn", count: qps, width: 24)
    }

    /// The head record of `qp`'s list (with its `status`) and what follows it; `slot` is
    /// `head[qp]` when the caller already has it.
    func head(of qp: Bits, slot: Bits? = nil) -> (slot: Bits, record: Record, isTail: Bits, after: Bits, afterFailed: Bits) {
        let retireHead = m.wire("retire_head", slot ?? m.select(head, qp))
        let record = Self.recordLayout.appending(["status": 8]).unpack("record", cat(records.readAsync(retireHead), statuses.readAsync(retireHead)))
        let retireIsTail = m.wire("retire_is_tail", retireHead == m.select(tail, qp))
        let afterHead = m.wire("after_head", next.readAsync(retireHead))
        return (retireHead, record, retireIsTail, afterHead, failed.readAsync(afterHead))
    }

    /// A `lerr` beat that fails the tail record of `qp` this cycle (SPEC 3.2 rule 13). It
    /// shares the status memories' write port with posts: no post is accepted in its cycle.
    struct LateFailure {
        let writes: Bits
        let qp: Bits
        let syndrome: Bits
    }


    /// Appends a posted record or fails the tail record late, frees the retired head's slot,
    /// and updates the per-QP lists. Returns `post_list_empty`: the posting QP's list is (or
    /// is becoming) empty, so the post starts it.
    @discardableResult
    func update(post: Record, posting: Bits, late: LateFailure, retirement r: Retirement, retireNow: Bits) -> Bits {
        let postQp = post.qp.truncated(to: qpIndexWidth)
        let lerrTail = m.wire("lerr_tail", m.select(tail, late.qp))
        let allocated = free.allocated
        records.write(allocated, cat(post.wqe, post.opcode, post.signaled, post.psn, post.bytes), enable: posting)
        // A record keeps the first non-zero status it gets: a late failure of a failed
        // record writes nothing.
        let writeSlot = mux(late.writes, lerrTail, allocated)
        let lerrRewrites = m.wire("lerr_rewrites", late.writes & !failed.readAsync(lerrTail))
        statuses.write(writeSlot, mux(late.writes, late.syndrome, post.status), enable: posting | lerrRewrites)
        failed.write(writeSlot, late.writes | (post.status != 0), enable: posting | lerrRewrites)
        free.update(m, posting: posting, freeing: retireNow, slot: r.head.slot)

        // The old tail links to the new record unless the list is (or is becoming) empty.
        let postListEmpty = m.wire("post_list_empty", !m.select(nonempty, postQp) | (retireNow & (r.qp == postQp) & r.head.isTail))
        m.when(posting & !postListEmpty) { next.write(m.select(tail, postQp), allocated) }

        for q in 0..<qps {
            let retireHere = retireNow & (r.qp == q)
            let postHere = posting & (postQp == q)
            m.when(postHere & postListEmpty) {
                head[q].drive(allocated)
                tail[q].drive(allocated)
                nonempty[q].drive(1)
                headFailed[q].drive(post.status != 0)
            }.otherwise {
                m.when(postHere) { tail[q].drive(allocated) }
                m.when(retireHere) {
                    m.when(r.head.isTail) { nonempty[q].drive(0) }
                        .otherwise {
                            head[q].drive(r.head.after)
                            headFailed[q].drive(r.head.afterFailed)
                        }
                }
            }
            // The list of a late failure neither takes a post nor retires in its cycle.
            m.when(late.writes & (late.qp == q) & (lerrTail == head[q])) { headFailed[q].drive(1) }
            m.when(retireHere) {
                lastPsn[q].drive(r.record.psn)
                retiredAny[q].drive(1)
                m.when(r.failing) { error[q].drive(1) }
            }
        }
        return postListEmpty
    }

    /// A `qp_reset` beat clears ERROR; only a reset that clears ERROR restarts the stale-NAK
    /// history (a reset of a QP not in ERROR changes nothing).
    func clearErrors(on reset: Stream) {
        for q in 0..<qps {
            m.when(reset.fire & (reset.payload.qp == q) & error[q]) {
                error[q].drive(0)
                retiredAny[q].drive(0)
            }
        }
    }
}
