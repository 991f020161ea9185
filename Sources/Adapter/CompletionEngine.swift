import Loom

/// `completion_engine` (SPEC section 3): per-QP completion lists in one shared record pool,
/// and the completion unit that retires them in order and writes CQEs.
///
/// Microarchitecture (one record retired per cycle):
/// - **Pool.** `RECORDS` records in LUT memories (`records`, `next`, `failed`), linked per QP
///   through `next`; per-QP `head`, `tail`, `nonempty` registers. Allocation takes never-used
///   slots first (`fresh` counter), then slots from the free FIFO; a retired record's slot is
///   pushed back onto the FIFO: both O(1).
/// - **ACK walk.** An accepted ACK/NAK becomes the walk state (QP, PSN, syndrome, and the
///   QP's tail at acceptance: the last record it may cover). Each following cycle the walk
///   looks at the QP's head record and retires it (success, NAK failure or the record's own
///   failure) or ends; it ends after its limit record. A new ACK is accepted in the cycle the
///   walk ends, so one ACK per cycle is sustained. The stale-NAK check is made in the walk's
///   first cycle, when every earlier retirement is visible.
/// - **Spontaneous retirement.** When no walk runs, the lowest QP whose head has failed
///   locally, or which is in ERROR with records left, retires its head (own syndrome / flush).
/// - **CQE register.** `cqe_*` come from one output register; a retirement that produces a
///   CQE waits for it to be free. A post to a QP `>= QPS` writes its CQE directly when no
///   retirement needs the register.
/// - `qp_reset_ready` is also 0 while a post to the same QP is offered, so a reset never
///   races a post into an ERROR QP.
public struct CompletionEngine: Module {
    public var qps: Int
    public var records: Int
    public var cqDepth: Int

    public init(qps: Int = 16, records: Int = 64, cqDepth: Int = 64) {
        self.qps = qps
        self.records = records
        self.cqDepth = cqDepth
    }

    public var name: String { "completion_engine" }

    public static let postLayout = RecordLayout(["qp": 8, "wqe": 16, "opcode": 8, "signaled": 1, "psn": 24, "bytes": 32, "status": 8])
    public static let ackLayout = RecordLayout(["qp": 8, "psn": 24, "syndrome": 8])
    public static let resetLayout = RecordLayout(["qp": 8])
    public static let cqeLayout = RecordLayout(["qp": 8, "wqe": 16, "opcode": 8, "wqe_opcode": 8, "syndrome": 8, "bytes": 32, "index": 16, "owner": 1])
    /// The fields a record keeps (its QP is implied by the list it is on).
    static let recordLayout = RecordLayout(["wqe": 16, "opcode": 8, "signaled": 1, "psn": 24, "bytes": 32, "status": 8])

    public func body(_ m: ModuleBuilder) {
        let qpsOK = m.check(qps >= 1 && qps <= 256, "QPS must be between 1 and 256 (post_qp is 8 bits), got \(qps)")
        let recordsOK = m.check(records >= 2 && records <= 4096, "RECORDS must be between 2 and 4096, got \(records)")
        let depthOK = m.check(cqDepth >= 2 && cqDepth <= 65536 && cqDepth & (cqDepth - 1) == 0, "CQ_DEPTH must be a power of two between 2 and 65536, got \(cqDepth)")
        guard qpsOK && recordsOK && depthOK else { return }  // a bad configuration builds nothing
        let post = m.inputStream("post", Self.postLayout)
        let ack = m.inputStream("ack", Self.ackLayout)
        let reset = m.inputStream("qp_reset", Self.resetLayout)
        let cqe = m.outputStream("cqe", Self.cqeLayout)
        let qpErrorPort = m.output("qp_error", width: qps)
        let qpBusyPort = m.output("qp_busy", width: qps)

        let ptrWidth = addressBits(records)
        let qpIndexWidth = addressBits(qps)
        let countWidth = addressBits(records + 1)
        func advance(_ p: Bits) -> Bits {
            records == 1 << ptrWidth ? p &+ 1 : mux(p == records - 1, m.lit(0, width: ptrWidth), p &+ 1)
        }

        // Pool memories.
        let recordMemory = m.memory("records", depth: records, width: Self.recordLayout.width)
        let nextMemory = m.memory("next", depth: records, width: ptrWidth)
        let failedMemory = m.memory("failed", depth: records, width: 1)
        let freeFifo = m.memory("free_fifo", depth: records, width: ptrWidth)
        let fresh = m.register("fresh", width: countWidth, reset: 0)
        let freeHead = m.register("free_head", width: ptrWidth, reset: 0)
        let freeTail = m.register("free_tail", width: ptrWidth, reset: 0)
        let freeCount = m.register("free_count", width: countWidth, reset: 0)

        // Per-QP state.
        let head = m.registers("head", count: qps, width: ptrWidth)
        let tail = m.registers("tail", count: qps, width: ptrWidth)
        let nonempty = m.registers("nonempty", count: qps, width: 1)
        let error = m.registers("error", count: qps, width: 1)
        let headFailed = m.registers("head_failed", count: qps, width: 1)
        let retiredAny = m.registers("retired_any", count: qps, width: 1)
        let lastPsn = m.registers("last_psn", count: qps, width: 24)

        // ACK walk state.
        let walkActive = m.register("walk_active", width: 1, reset: 0)
        let walkFirst = m.register("walk_first", width: 1, reset: 0)
        let walkQp = m.register("walk_qp", width: qpIndexWidth, reset: 0)
        let walkPsn = m.register("walk_psn", width: 24, reset: 0)
        let walkSyndrome = m.register("walk_syndrome", width: 8, reset: 0)
        let walkLimit = m.register("walk_limit", width: ptrWidth, reset: 0)

        // CQE output register and the CQ slot counter.
        let cqeValid = m.register("cqe_valid_q", width: 1, reset: 0)
        let cqeOut = m.registerRecord("cqe_q", Self.cqeLayout)
        let produced = m.register("produced", width: addressBits(cqDepth) + 1, reset: 0)
        cqe.valid.drive(cqeValid)
        cqe.payload.drive(cqeOut)
        let slotFree = m.wire("slot_free", !cqeValid || cqe.ready)

        // --- Retirement: which QP, which record, what outcome. ---
        let walkNonempty = m.select(nonempty, walkQp)
        let walkError = m.select(error, walkQp)
        let walkRetiredAny = m.select(retiredAny, walkQp)
        let walkLastPsn = m.select(lastPsn, walkQp)
        let isNak = walkSyndrome != 0
        let staleNak = m.wire("stale_nak", walkFirst & isNak & walkRetiredAny & serialAtOrBefore(walkPsn, walkLastPsn))

        // Spontaneous candidates: failed head, or ERROR with records left.
        let spontaneousWant = (0..<qps).map { q in nonempty[q] & (error[q] | headFailed[q]) }
        var spontaneousQp = m.lit(0, width: qpIndexWidth)
        for q in stride(from: qps - 1, through: 0, by: -1) {
            spontaneousQp = mux(spontaneousWant[q], m.lit(UInt64(q), width: qpIndexWidth), spontaneousQp)
        }
        let anySpontaneous = m.wire("any_spontaneous", spontaneousWant.dropFirst().reduce(spontaneousWant[0]) { $0 | $1 })

        let retireQp = m.wire("retire_qp", mux(walkActive, walkQp, spontaneousQp))
        let retireHead = m.wire("retire_head", m.select(head, retireQp))
        let record = Self.recordLayout.unpack(recordMemory.readAsync(retireHead))
        let retireIsTail = m.wire("retire_is_tail", retireHead == m.select(tail, retireQp))
        let afterHead = m.wire("after_head", nextMemory.readAsync(retireHead))
        let afterHeadFailed = failedMemory.readAsync(afterHead)
        let retireError = m.select(error, retireQp)

        // Walk decisions.
        let walkEndsEmpty = m.wire("walk_ends_early", walkActive & (walkError | !walkNonempty | staleNak))
        let ownFailure = record.status != 0
        let covered = mux(isNak, serialAtOrBefore(record.psn, walkPsn) & (record.psn != walkPsn), serialAtOrBefore(record.psn, walkPsn))
        // Outcome codes: the walk retires when the record failed, is covered, or a NAK fails it.
        let walkRetires = m.wire("walk_retires", walkActive & !walkEndsEmpty & (ownFailure | covered | isNak))
        let walkFails = ownFailure | (isNak & !covered)
        let spontaneousRetires = !walkActive & anySpontaneous

        let retiring = m.wire("retiring", walkRetires | spontaneousRetires)
        // A failed or flushed record always writes a CQE; a success only when signaled.
        let failing = m.wire("failing", mux(walkActive, walkFails, m.true))
        let syndrome = m.wire("retire_syndrome", mux(walkActive,
            mux(ownFailure, record.status, walkSyndrome),
            mux(retireError, m.lit(5, width: 8), record.status)))
        let wantsCqe = m.wire("wants_cqe", retiring & (failing | record.signaled))
        let retireNow = m.wire("retire_now", retiring & (!wantsCqe | slotFree))
        let walkEnds = m.wire("walk_ends", walkEndsEmpty | (walkActive & retireNow & (walkFails | (retireHead == walkLimit)))
            | (walkActive & !walkEndsEmpty & !walkRetires))

        // --- Posts. ---
        let available = m.wire("available", (m.lit(UInt64(records), width: countWidth) &- fresh) &+ freeCount)
        let postInRange = m.wire("post_in_range", post.payload.qp < qps)
        let postQp = post.payload.qp.truncated(to: qpIndexWidth)
        let cqeForPost = m.wire("cqe_for_post", slotFree & !(retireNow & wantsCqe))
        post.ready.drive((available != 0) & (postInRange | cqeForPost))
        let postFire = m.wire("post_fire", post.fire)
        let postRecord = postFire & postInRange
        let fromFresh = fresh < records
        let allocated = m.wire("allocated", mux(fromFresh, fresh.truncated(to: ptrWidth), freeFifo.readAsync(freeHead)))

        m.when(postRecord) {
            recordMemory.write(allocated, cat(post.payload.wqe, post.payload.opcode, post.payload.signaled, post.payload.psn, post.payload.bytes, post.payload.status))
            failedMemory.write(allocated, post.payload.status != 0)
            m.when(fromFresh) { fresh.drive(fresh &+ 1) }.otherwise { freeHead.drive(advance(freeHead)) }
        }
        // The old tail links to the new record unless the list is (or is becoming) empty.
        let postListEmpty = m.wire("post_list_empty", !m.select(nonempty, postQp) | (retireNow & (retireQp == postQp) & retireIsTail))
        m.when(postRecord & !postListEmpty) { nextMemory.write(m.select(tail, postQp), allocated) }

        // Free list: a retired slot goes back on the FIFO.
        m.when(retireNow) {
            freeFifo.write(freeTail, retireHead)
            freeTail.drive(advance(freeTail))
        }
        let allocFromFifo = postRecord & !fromFresh
        m.when(retireNow & !allocFromFifo) { freeCount.drive(freeCount &+ 1) }
            .elsewhen(allocFromFifo & !retireNow) { freeCount.drive(freeCount &- 1) }

        // --- Per-QP updates. ---
        for q in 0..<qps {
            let retireHere = retireNow & (retireQp == q)
            let postHere = postRecord & (postQp == q)
            m.when(postHere & postListEmpty) {
                head[q].drive(allocated)
                tail[q].drive(allocated)
                nonempty[q].drive(1)
                headFailed[q].drive(post.payload.status != 0)
            }.otherwise {
                m.when(postHere) { tail[q].drive(allocated) }
                m.when(retireHere) {
                    m.when(retireIsTail) { nonempty[q].drive(0) }
                        .otherwise {
                            head[q].drive(afterHead)
                            headFailed[q].drive(afterHeadFailed)
                        }
                }
            }
            m.when(retireHere) {
                lastPsn[q].drive(record.psn)
                retiredAny[q].drive(1)
                m.when(failing) { error[q].drive(1) }
            }
            // Only a reset that clears ERROR restarts the stale-NAK history; others change nothing.
            m.when(reset.fire & (reset.payload.qp == q) & error[q]) {
                error[q].drive(0)
                retiredAny[q].drive(0)
            }
        }

        // --- ACK acceptance and the walk. ---
        ack.ready.drive(!walkActive | walkEnds)
        m.when(walkActive) { walkFirst.drive(0) }
        m.when(walkEnds) { walkActive.drive(0) }
        m.when(ack.fire & (ack.payload.qp < qps)) {
            let q = ack.payload.qp.truncated(to: qpIndexWidth)
            walkActive.drive(1)
            walkFirst.drive(1)
            walkQp.drive(q)
            walkPsn.drive(ack.payload.psn)
            walkSyndrome.drive(ack.payload.syndrome)
            walkLimit.drive(m.select(tail, q))
            // A list that is empty now, or loses its tail this cycle, has nothing this ACK may cover.
            m.when(!m.select(nonempty, q) | (retireNow & (retireQp == q) & retireIsTail)) { walkActive.drive(0) }
        }

        // --- qp_reset. ---
        let resetQp = reset.payload.qp.truncated(to: qpIndexWidth)
        let resetInRange = reset.payload.qp < qps
        reset.ready.drive(!resetInRange | (!m.select(nonempty, resetQp) & !(post.valid & (post.payload.qp == reset.payload.qp))))

        // --- CQE register. ---
        let cqIndexWidth = addressBits(cqDepth)
        let produceFromRetire = retireNow & wantsCqe
        let produceFromPost = postFire & !postInRange
        m.when(cqe.fire) { cqeValid.drive(0) }
        m.when(produceFromRetire | produceFromPost) {
            cqeValid.drive(1)
            produced.drive(produced &+ 1)
            cqeOut.index.drive(produced.truncated(to: cqIndexWidth).zeroExtended(to: 16))
            cqeOut.owner.drive(produced[cqIndexWidth])
            m.when(produceFromRetire) {
                cqeOut.qp.drive(retireQp.zeroExtended(to: 8))
                cqeOut.wqe.drive(record.wqe)
                cqeOut.wqe_opcode.drive(record.opcode)
                cqeOut.opcode.drive(mux(failing, m.lit(13, width: 8), 0))
                cqeOut.syndrome.drive(mux(failing, syndrome, 0))
                cqeOut.bytes.drive(mux(failing, m.lit(0, width: 32), record.bytes))
            }.otherwise {
                cqeOut.qp.drive(post.payload.qp)
                cqeOut.wqe.drive(post.payload.wqe)
                cqeOut.wqe_opcode.drive(post.payload.opcode)
                cqeOut.opcode.drive(13)
                cqeOut.syndrome.drive(2)
                cqeOut.bytes.drive(0)
            }
        }

        qpErrorPort.drive(cat(error.reversed()))
        qpBusyPort.drive(cat(nonempty.reversed()))
    }
}
