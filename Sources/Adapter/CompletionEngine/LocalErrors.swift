import Loom

extension CompletionEngine {
    /// The `lerr` stream (SPEC 3.2 rule 13): a beat fails the QP's tail record late. It waits
    /// while an ACK/NAK of its QP is offered or walking, or its QP retires a record this
    /// cycle, so an ACK/NAK of the same cycle applies first and the tail it fails is still
    /// outstanding. A beat for a QP `>= QPS`, with syndrome 0, or for an empty list changes
    /// nothing.
    func lateFailure(_ m: ModuleBuilder, _ lerr: Stream, ack: Stream, walk: AckWalk, retirement r: Retirement, pool: RecordPool) -> RecordPool.LateFailure {
        let qp = lerr.payload.qp
        let inRange = qp < qps
        let q = qp.truncated(to: pool.qpIndexWidth)
        let lerrWaits = m.wire("lerr_waits", (ack.valid & (ack.payload.qp == qp)) | (walk.active & (walk.ack.qp == q)) | (r.retiring & (r.qp == q)))
        lerr.ready.drive(!inRange | !lerrWaits)
        let lerrWrites = m.wire("lerr_writes", lerr.fire & inRange & (lerr.payload.syndrome != 0) & m.select(pool.nonempty, q))
        return RecordPool.LateFailure(writes: lerrWrites, qp: q, syndrome: lerr.payload.syndrome)
    }
}
