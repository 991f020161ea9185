import LoomInterface

/// Cycle-accurate model of `completion_engine`'s ports (SPEC section 3 and the
/// microarchitecture documented on the DSL block: one retirement per cycle, ACK walk,
/// spontaneous retirement of failed heads and ERROR lists, one CQE output register).
///
/// Plain Swift arrays and counters; the lockstep runner compares it with the Verilated RTL on
/// every output of every cycle. `cycle` follows Loom's cycle semantics: outputs are computed
/// from the current state and this cycle's inputs, then the clock edge updates the state.
public struct CompletionEngineModel: ClockedModel {
    public struct Inputs: ModelInputs {
        public var rst = false
        public var postValid = false
        public var post = CompletionPost(qp: 0, wqe: 0, psn: 0)
        public var ackValid = false
        public var ack = CompletionAck(qp: 0, psn: 0)
        public var qpResetValid = false
        public var qpReset = QPReset()
        public var lerrValid = false
        public var lerr = LocalError()
        public var cqeReady = false
        public init() {}
    }

    public struct Outputs: Equatable {
        public var postReady = false
        public var ackReady = false
        public var qpResetReady = false
        public var lerrReady = false
        public var cqeValid = false
        public var cqe = CQEBeat()
        public var qpError: [Bool] = []
        public var qpBusy: [Bool] = []
    }

    public let qps: Int, records: Int, cqDepth: Int
    /// `ACK_TIMEOUT`; 0 is none.
    public let ackTimeout: Int
    /// The hardware's QP index width as a mask.
    let qpIndexMask: Int

    // Pool.
    var pool: [CompletionPost]
    var next: [Int]
    var freeFifo: [Int]
    var fresh = 0, freeHead = 0, freeTail = 0, freeCount = 0
    // Per QP.
    var head: [Int], tail: [Int]
    var nonempty: [Bool], error: [Bool], headFailed: [Bool], retiredAny: [Bool]
    var lastPsn: [UInt32]
    // Walk.
    var walkActive = false, walkFirst = false
    var walkQp = 0, walkPsn: UInt32 = 0, walkSyndrome: UInt8 = 0, walkLimit = 0
    // Output register.
    var cqeValid = false
    var cqe = CompletionEntry(qp: 0, wqe: 0, opcode: 0, wqeOpcode: 0, syndrome: 0, bytes: 0)
    var cqeIndex: UInt16 = 0, cqeOwner = false
    var produced = 0
    // ACK timer (rule 14, as documented on the block): a shared epoch counter ticking every
    // ACK_TIMEOUT cycles; per QP the ticks since the count restarted and the furthest ACK.
    var epoch = 0
    var ticks: [Int]
    var ackedAny: [Bool]
    var ackedPsn: [UInt32]

    public init(qps: Int = 16, records: Int = 64, cqDepth: Int = 64, ackTimeout: Int = 0) {
        self.qps = qps
        self.ackTimeout = ackTimeout
        self.records = records
        self.cqDepth = cqDepth
        var bits = 1
        while (1 << bits) < qps { bits += 1 }
        qpIndexMask = (1 << bits) - 1
        pool = Array(repeating: CompletionPost(qp: 0, wqe: 0, psn: 0), count: records)
        next = Array(repeating: 0, count: records)
        freeFifo = Array(repeating: 0, count: records)
        head = Array(repeating: 0, count: qps)
        tail = head
        nonempty = Array(repeating: false, count: qps)
        error = nonempty
        headFailed = nonempty
        retiredAny = nonempty
        lastPsn = Array(repeating: 0, count: qps)
        ticks = Array(repeating: 0, count: qps)
        ackedAny = nonempty
        ackedPsn = lastPsn
    }

    mutating func resetState() {
        fresh = 0; freeHead = 0; freeTail = 0; freeCount = 0
        for q in 0..<qps {
            head[q] = 0; tail[q] = 0; nonempty[q] = false; error[q] = false
            headFailed[q] = false; retiredAny[q] = false; lastPsn[q] = 0
        }
        walkActive = false; walkFirst = false; walkQp = 0; walkPsn = 0; walkSyndrome = 0; walkLimit = 0
        cqeValid = false
        cqe = CompletionEntry(qp: 0, wqe: 0, opcode: 0, wqeOpcode: 0, syndrome: 0, bytes: 0)
        cqeIndex = 0; cqeOwner = false; produced = 0
        epoch = 0
        for q in 0..<qps { ticks[q] = 0; ackedAny[q] = false; ackedPsn[q] = 0 }
    }

    func advance(_ p: Int) -> Int { p == records - 1 ? 0 : p + 1 }

    /// Rule 14 as built: the QP's head times out on its count's second tick (`tick`: one
    /// happens this cycle).
    func timedOut(_ q: Int, tick: Bool) -> Bool {
        ackTimeout > 0 && nonempty[q] && !error[q] && (ticks[q] == 2 || (ticks[q] == 1 && tick))
    }

    public mutating func cycle(_ i: Inputs) -> Outputs {
        // --- Combinational decisions from the current state. ---
        let slotFree = !cqeValid || i.cqeReady
        let isNak = walkSyndrome != 0
        let staleNak = walkFirst && isNak && retiredAny[walkQp] && SerialNumber.atOrBefore(walkPsn, lastPsn[walkQp])
        let tick = ackTimeout > 0 && epoch == ackTimeout - 1
        let spontaneousQp = (0..<qps).first { nonempty[$0] && (error[$0] || headFailed[$0] || timedOut($0, tick: tick)) }
        let retireQp = walkActive ? walkQp : (spontaneousQp ?? 0)
        let h = head[retireQp]
        let record = pool[h]
        let retireIsTail = h == tail[retireQp]

        let walkEndsEarly = walkActive && (error[walkQp] || !nonempty[walkQp] || staleNak)
        let ownFailure = record.status != 0
        let covered = isNak ? SerialNumber.before(record.psn, walkPsn) : SerialNumber.atOrBefore(record.psn, walkPsn)
        let walkRetires = walkActive && !walkEndsEarly && (ownFailure || covered || isNak)
        let walkFails = ownFailure || (isNak && !covered)
        let retiring = walkRetires || (!walkActive && spontaneousQp != nil)
        let failing = walkActive ? walkFails : true
        let syndrome: UInt8 = walkActive ? (ownFailure ? record.status : walkSyndrome)
            : (error[retireQp] ? Syndrome.flush.rawValue : record.status != 0 ? record.status : Syndrome.transportRetryExceeded.rawValue)
        let wantsCqe = retiring && (failing || record.signaled)
        let retireNow = retiring && (!wantsCqe || slotFree)
        let walkEnds = walkEndsEarly || (walkActive && retireNow && (walkFails || h == walkLimit))
            || (walkActive && !walkEndsEarly && !walkRetires)

        let available = records - fresh + freeCount
        let postInRange = Int(i.post.qp) < qps
        let postQp = index(i.post.qp)
        let cqeForPost = slotFree && !(retireNow && wantsCqe)
        // lerr (rule 13) waits for an ACK/NAK of its QP (offered or walking) and for a
        // retirement of its QP; it takes the record write port, so no post is accepted with it.
        let lerrInRange = Int(i.lerr.qp) < qps
        let lerrQp = index(i.lerr.qp)
        let lerrWaits = (i.ackValid && i.ack.qp == i.lerr.qp) || (walkActive && walkQp == lerrQp) || (retiring && retireQp == lerrQp)
        let lerrReady = !lerrInRange || !lerrWaits
        let lerrWrites = i.lerrValid && lerrReady && lerrInRange && i.lerr.syndrome != 0 && nonempty[lerrQp]
        let postReady = available != 0 && (postInRange || cqeForPost) && !lerrWrites
        let resetInRange = Int(i.qpReset.qp) < qps
        let resetQp = index(i.qpReset.qp)
        let resetReady = !resetInRange || (!nonempty[resetQp] && !(i.postValid && i.post.qp == i.qpReset.qp))
        let ackReady = !walkActive || walkEnds

        var out = Outputs()
        out.postReady = postReady
        out.ackReady = ackReady
        out.qpResetReady = resetReady
        out.lerrReady = lerrReady
        out.cqeValid = cqeValid
        out.cqe = CQEBeat(entry: cqe, index: cqeIndex, owner: cqeOwner)
        out.qpError = error
        out.qpBusy = nonempty

        if i.rst {
            resetState()
            return out
        }

        // --- Clock edge. ---
        let postFire = i.postValid && postReady
        let postRecord = postFire && postInRange
        let fromFresh = fresh < records
        let allocated = fromFresh ? fresh : freeFifo[freeHead]
        let postListEmpty = !nonempty[postQp] || (retireNow && retireQp == postQp && retireIsTail)
        let afterHead = next[h]
        let afterHeadFailed = pool[afterHead].status != 0
        let oldTailOfPostQp = tail[postQp]
        let ackFire = i.ackValid && ackReady
        let resetFire = i.qpResetValid && resetReady
        let ackQp = index(i.ack.qp)
        let ackListEmptyNow = !nonempty[ackQp] || (retireNow && retireQp == ackQp && retireIsTail)
        let tailOfAckQp = tail[ackQp]
        let errorBefore = error
        let nonemptyBefore = nonempty

        if postRecord {
            pool[allocated] = i.post
            if fromFresh { fresh += 1 } else { freeHead = advance(freeHead) }
            if !postListEmpty { next[oldTailOfPostQp] = allocated }
        }
        if retireNow {
            freeFifo[freeTail] = h
            freeTail = advance(freeTail)
        }
        let allocFromFifo = postRecord && !fromFresh
        if retireNow && !allocFromFifo { freeCount += 1 } else if allocFromFifo && !retireNow { freeCount -= 1 }

        // Per-QP lists.
        if postRecord && postListEmpty {
            head[postQp] = allocated
            tail[postQp] = allocated
            nonempty[postQp] = true
            headFailed[postQp] = i.post.status != 0
        }
        for q in 0..<qps {
            let retireHere = retireNow && retireQp == q
            let postHere = postRecord && postQp == q
            if !(postHere && postListEmpty) {
                if postHere { tail[q] = allocated }
                if retireHere {
                    if retireIsTail { nonempty[q] = false } else {
                        head[q] = afterHead
                        headFailed[q] = afterHeadFailed
                    }
                }
            }
            if retireHere {
                lastPsn[q] = record.psn
                retiredAny[q] = true
                if failing { error[q] = true }
            }
            if resetFire && Int(i.qpReset.qp) == q && errorBefore[q] {
                error[q] = false
                retiredAny[q] = false
            }
        }

        if lerrWrites {
            let slot = tail[lerrQp]
            if pool[slot].status == 0 { pool[slot].status = i.lerr.syndrome }
            if slot == head[lerrQp] { headFailed[lerrQp] = true }
        }

        if ackTimeout > 0 {
            epoch = tick ? 0 : epoch + 1
            for q in 0..<qps {
                let progress = ackFire && Int(i.ack.qp) == q && (!ackedAny[q] || !SerialNumber.atOrBefore(i.ack.psn, ackedPsn[q]))
                if progress {
                    ackedAny[q] = true
                    ackedPsn[q] = i.ack.psn
                }
                if resetFire && Int(i.qpReset.qp) == q { ackedAny[q] = false }
                let restarts = progress || (postRecord && postQp == q && postListEmpty)
                if restarts || !nonemptyBefore[q] || errorBefore[q] { ticks[q] = 0 } else if tick && ticks[q] != 2 { ticks[q] += 1 }
            }
        }

        // Walk.
        if walkActive { walkFirst = false }
        if walkEnds { walkActive = false }
        if ackFire && Int(i.ack.qp) < qps {
            walkActive = !ackListEmptyNow
            walkFirst = true
            walkQp = ackQp
            walkPsn = i.ack.psn
            walkSyndrome = i.ack.syndrome
            walkLimit = tailOfAckQp
        }

        // CQE register.
        let produceFromRetire = retireNow && wantsCqe
        let produceFromPost = postFire && !postInRange
        if cqeValid && i.cqeReady { cqeValid = false }
        if produceFromRetire || produceFromPost {
            cqeValid = true
            cqeIndex = UInt16(produced % cqDepth)
            cqeOwner = (produced / cqDepth) % 2 == 1
            produced = (produced + 1) % (2 * cqDepth)
            if produceFromRetire {
                cqe = CompletionEntry(qp: UInt8(retireQp), wqe: record.wqe,
                                      opcode: failing ? CQEOpcode.reqErr.rawValue : CQEOpcode.req.rawValue,
                                      wqeOpcode: record.opcode, syndrome: failing ? syndrome : 0,
                                      bytes: failing ? 0 : record.bytes)
            } else {
                cqe = CompletionEntry(qp: i.post.qp, wqe: i.post.wqe, opcode: CQEOpcode.reqErr.rawValue,
                                      wqeOpcode: i.post.opcode, syndrome: Syndrome.localQpOp.rawValue, bytes: 0)
            }
        }
        return out
    }

    /// A QP number as a table index. Hardware truncates it to the index width and its table
    /// lookups read the last entry past the end; out-of-range numbers are masked off by the
    /// range checks before such a value matters.
    func index(_ qp: UInt8) -> Int {
        min(Int(qp) & qpIndexMask, qps - 1)
    }
}
