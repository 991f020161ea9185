import AdapterSpec
import Loom

/// `completion_engine` (SPEC section 3): per-QP completion lists in one shared record pool,
/// and the completion unit that retires them in order and writes CQEs.
///
/// Stages (one record retired per cycle), each a named piece of code:
/// - **Record pool** (`RecordPool`). `RECORDS` records in LUT memories (`records`,
///   `statuses`, `next`, `failed`), linked per QP through `next`; per-QP `head`, `tail`,
///   `nonempty` registers.
/// - **Free list** (`FreeList`, in the pool). Allocation takes never-used slots first
///   (`fresh` counter), then slots from a `Queue` of slot numbers; a retired record's slot is
///   pushed onto it: both O(1).
/// - **ACK walk** (`AckWalk`). An accepted ACK/NAK becomes the walk state (QP, PSN, syndrome,
///   and the QP's tail at acceptance: the last record it may cover). Each following cycle the
///   walk looks at the QP's head record and retires it (success, NAK failure or the record's
///   own failure) or ends; it ends after its limit record (`walk_ends`, decided by the walk
///   from the retirement's step). A new ACK is accepted in the cycle the walk ends, so one ACK
///   per cycle is sustained. The stale-NAK check is made in the walk's first cycle, when every
///   earlier retirement is visible.
/// - **Late failures** (`lateFailure`, rule 13). A `lerr` beat rewrites the status of its
///   QP's tail record through the status memories' one write port (no post is accepted in
///   its cycle); it waits while an ACK/NAK of its QP is offered or walking, or the QP retires.
/// - **ACK timer** (`AckTimer`, rule 14, only with `ACK_TIMEOUT > 0`). A shared epoch counter
///   and two tick bits per QP; a QP's second tick without forward progress times its head out.
/// - **Retirement** (`Retirement`). When no walk runs, the lowest QP whose head has failed
///   locally, which is in ERROR with records left, or whose head timed out, retires its head
///   (own syndrome / flush / 0x15).
/// - **CQE output** (`cqeOutput`). Retirements and posts to a QP `>= QPS` offer CQEs on one
///   stream (a retirement first) into a `stage()`, so `cqe_*` come from registers; a
///   retirement that produces a CQE waits for the stage to accept it.
/// - `qp_reset_ready` is also 0 while a post to the same QP is offered, so a reset never
///   races a post into an ERROR QP.
public struct CompletionEngine: Module {
    public var qps: Int
    public var records: Int
    public var cqDepth: Int
    /// `ACK_TIMEOUT` (SPEC 3.2 rule 14): 0 builds no timer.
    public var ackTimeout: Int

    public init(qps: Int = 16, records: Int = 64, cqDepth: Int = 64, ackTimeout: Int = 0) {
        self.qps = qps
        self.records = records
        self.cqDepth = cqDepth
        self.ackTimeout = ackTimeout
    }

    /// With the timer it is another module than rtl/completion_engine.v, so it has its own
    /// name (the adapter's instance, emitted inside rtl/adapter.v).
    public var name: String { ackTimeout > 0 ? "completion_engine_ack_timeout" : "completion_engine" }

    public var parameters: [Parameter] {
        [Parameter("QPS", qps, in: 1...256, because: "post_qp is 8 bits"),
         Parameter("RECORDS", records, in: 2...4096),
         Parameter("CQ_DEPTH", cqDepth, powerOfTwoIn: 2...65536),
         Parameter("ACK_TIMEOUT", ackTimeout, in: 0...(1 << 24))]
    }

    public func body(_ m: ModuleBuilder) {
        let io = CompletionEngineInterface(m.ports(qps: qps))
        let post = io.post.stream, ack = io.ack.stream, reset = io.qpReset.stream

        let pool = RecordPool(m, qps: qps, records: records)
        let walk = AckWalk(m, qps: qps, records: records)
        let timer = ackTimeout > 0 ? AckTimer(m, timeout: ackTimeout, pool: pool) : nil
        let retirement = Retirement(m, pool: pool, walk: walk, timedOut: timer?.timedOut ?? [])
        let producedCqe = m.wireStream("produced_cqe", CQEBeat.self)
        let retireNow = retirement.commit(cqeSlotFree: producedCqe.ready)

        // Posts: a record for QP < QPS, a CQE at once for any other QP.
        let postInRange = m.wire("post_in_range", post.payload.qp < qps)
        let late = lateFailure(m, io.lerr.stream, ack: ack, walk: walk, retirement: retirement, pool: pool)
        // One admission test for both kinds of post: a free slot, and the status write port
        // not taken by a lerr.
        let postAdmitted = m.wire("post_admitted", pool.free.hasFreeSlot & !late.writes)
        let postOffersCqe = m.wire("post_offers_cqe", post.valid & !postInRange & postAdmitted & !retirement.wantsCqe)
        post.ready.drive(postAdmitted & (postInRange | (producedCqe.ready & !retirement.wantsCqe)))
        let postRecord = m.wire("post_record", post.fire & postInRange)
        let postListEmpty = pool.update(post: post.payload, posting: postRecord, late: late, retirement: retirement, retireNow: retireNow)
        timer?.update(pool: pool, ack: ack, reset: reset, posting: postRecord, postQp: post.payload.qp.truncated(to: pool.qpIndexWidth),
                      postListEmpty: postListEmpty)

        walk.update(ack: ack, retirement: retirement, retireNow: retireNow, pool: pool)

        // qp_reset: waits while the QP has records, or a post to it is offered.
        let resetQp = reset.payload.qp.truncated(to: pool.qpIndexWidth)
        let resetInRange = reset.payload.qp < qps
        reset.ready.drive(!resetInRange | (!m.select(pool.nonempty, resetQp) & !(post.valid & (post.payload.qp == reset.payload.qp))))
        pool.clearErrors(on: reset)

        io.cqe.stream.connect(from: cqeOutput(m, producedCqe, retirement: retirement, postOffersCqe: postOffersCqe, post: post.payload))

        io.qpError.bits.drive(cat(pool.error.reversed()))
        io.qpBusy.bits.drive(cat(pool.nonempty.reversed()))
    }

    /// The CQE output stage: a retirement's CQE, else the CQE of a post to a QP `>= QPS`,
    /// with the CQ slot index and owner bit of SPEC 3.2 rule 7, through a register stage.
    func cqeOutput(_ m: ModuleBuilder, _ producedCqe: Stream, retirement r: Retirement, postOffersCqe: Bits, post: Record) -> Stream {
        let cqIndexWidth = addressBits(cqDepth)
        let cqesProduced = m.register("cqes_produced", width: cqIndexWidth + 1, reset: 0)
        m.when(producedCqe.fire) { cqesProduced.drive(cqesProduced &+ 1) }
        let failing = r.failing
        producedCqe.valid.drive(r.wantsCqe | postOffersCqe)
        let cqe = producedCqe.payload
        cqe.index.drive(cqesProduced.truncated(to: cqIndexWidth).zeroExtended(to: 16))
        cqe.owner.drive(cqesProduced[cqIndexWidth])
        m.when(r.wantsCqe) {
            cqe.qp.drive(r.qp.zeroExtended(to: 8))
            cqe.wqe.drive(r.record.wqe)
            cqe.wqe_opcode.drive(r.record.opcode)
            cqe.opcode.drive(mux(failing, m.lit(CQEOpcode.reqErr, width: 8), m.lit(CQEOpcode.req, width: 8)))
            cqe.syndrome.drive(mux(failing, r.syndrome, 0))
            cqe.bytes.drive(mux(failing, m.lit(0, width: 32), r.record.bytes))
        }.otherwise {
            cqe.qp.drive(post.qp)
            cqe.wqe.drive(post.wqe)
            cqe.wqe_opcode.drive(post.opcode)
            cqe.opcode.drive(CQEOpcode.reqErr)
            cqe.syndrome.drive(Syndrome.localQpOp)
            cqe.bytes.drive(0)
        }
        return producedCqe.stage("cqe_out")
    }
}
