import AdapterSpec
import Loom

/// `sg_walker` (SPEC section 2): scatter/gather lists with PLAIN and PATTERN entries, two
/// nested periods, interleave groups, and canonical coalescing of the logical byte stream.
///
/// Microarchitecture (one visit per cycle, one chunk per cycle):
/// 1. **Entry, product and check registers.** `sge` beats land in a register; the slow checks
///    (the visit count and the entry's highest byte) take two more stages, one for the three
///    32×32 products and one for the 66-bit sum and the comparisons, so they stay off the
///    path that groups entries. `sge_ready` is high when the entry register is empty or moving.
/// 2. **Check and group.** The registered entry is checked (SPEC 2.3) and added as a member
///    of the *pending* group (up to `MAX_GROUP` members; a PLAIN entry is a one-member group
///    with counts 1). A closing entry completes the group. A malformed entry discards the
///    open group and, until `sge_last`, the rest of the operation; the operation then ends in
///    a one-visit *error group*.
/// 3. **Visit generator.** Takes a complete pending group (in the cycle its previous group
///    ends, so groups follow each other without a gap) and produces one visit per cycle:
///    for `(i1, i0)`, for each member `m`, `elem` bytes at the member's running address.
/// 4. **Coalescer.** Keeps the open chunk; a visit joins it (same key, contiguous, no end at
///    2^64, sum below 2^32) or the open chunk goes to the output register and the visit opens
///    the next one. The operation's last visit closes it with `last = 1` (one extra cycle when
///    it did not join, during which the next operation's first visit may already open its
///    chunk). An error visit drops the open chunk and emits the error beat.
public struct SGWalker: Module {
    public var maxGroup: Int
    public var maxVisits: UInt64

    public init(maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) {
        self.maxGroup = maxGroup
        self.maxVisits = maxVisits
    }

    public var name: String { "sg_walker" }

    public func body(_ m: ModuleBuilder) {
        let groupOK = m.check(maxGroup >= 1 && maxGroup <= 16, "MAX_GROUP must be between 1 and 16, got \(maxGroup)")
        let visitsOK = m.check(maxVisits >= 1 && maxVisits < 1 << 63, "MAX_VISITS must be between 1 and 2^63, got \(maxVisits)")
        guard groupOK && visitsOK else { return }  // a bad configuration builds nothing
        let sge = m.inputStream(SGWalkerInterface.sge)
        let chunk = m.outputStream(SGWalkerInterface.chunk)
        let g = maxGroup
        let memberBits = addressBits(g + 1)

        // --- 1. Entry register, product register, check register. ---
        let eValid = m.register("e_valid", width: 1, reset: 0)
        let e0 = m.registerRecord("e0", RecordLayout(SGEntry.self))
        let eMoves = m.wire("e_moves", width: 1)
        sge.ready.drive(!eValid | eMoves)
        m.when(sge.fire) {
            eValid.drive(1)
            e0.drive(sge.payload)
        }.elsewhen(eMoves) { eValid.drive(0) }

        // Products first (their own stage: four MULT18 and an adder each on an ECP5)...
        let pValid = m.register("p_valid", width: 1, reset: 0)
        let pe = m.registerRecord("pe", RecordLayout(SGEntry.self))
        let visits = m.register("visits", width: 64, reset: 0)
        let span0 = m.register("span0", width: 64, reset: 0)
        let span1 = m.register("span1", width: 64, reset: 0)
        let pMoves = m.wire("p_moves", width: 1)
        eMoves.drive(eValid & (!pValid | pMoves))
        m.when(eMoves) {
            pValid.drive(1)
            pe.drive(e0)
            visits.drive(e0.count0 * e0.count1)
            span0.drive((e0.count0 &- 1) * e0.stride0)
            span1.drive((e0.count1 &- 1) * e0.stride1)
        }.elsewhen(pMoves) { pValid.drive(0) }

        // ...then the sums and comparisons.
        let topNow = mux(pe.kind == SGKind.pattern,
            pe.addr.zeroExtended(to: 66) &+ span0.zeroExtended(to: 66) &+ span1.zeroExtended(to: 66) &+ pe.len.zeroExtended(to: 66),
            pe.addr.zeroExtended(to: 66) &+ pe.len.zeroExtended(to: 66))
        let beyondNow = topNow[65] | (topNow[64] & (topNow[63, 0] != 0))

        let cValid = m.register("c_valid", width: 1, reset: 0)
        let e = m.registerRecord("e", RecordLayout(SGEntry.self))
        let tooManyVisits = m.register("too_many_visits", width: 1, reset: 0)
        let beyondTop = m.register("beyond_top", width: 1, reset: 0)
        let eTaken = m.wire("e_taken", width: 1)
        pMoves.drive(pValid & (!cValid | eTaken))
        m.when(pMoves) {
            cValid.drive(1)
            e.drive(pe)
            tooManyVisits.drive(visits > m.lit(maxVisits, width: 64))
            beyondTop.drive(beyondNow)
        }.elsewhen(eTaken) { cValid.drive(0) }

        // --- 2. Check and group. ---
        let skipping = m.register("skipping", width: 1, reset: 0)
        let pendingCount = m.register("pending_count", width: memberBits, reset: 0)
        let pendingComplete = m.register("pending_complete", width: 1, reset: 0)
        let pendingLast = m.register("pending_last", width: 1, reset: 0)
        let pendingError = m.register("pending_error", width: 1, reset: 0)
        let pendingId = m.register("pending_id", width: 8, reset: 0)
        let pendingCount0 = m.register("pending_count0", width: 32, reset: 0)
        let pendingCount1 = m.register("pending_count1", width: 32, reset: 0)
        let memberLayout = RecordLayout(["key": 32, "base": 64, "elem": 32, "stride0": 32, "stride1": 32])
        let pending = (0..<g).map { m.registerRecord("p\($0)", memberLayout) }
        let take = m.wire("take", width: 1)

        let isPlain = e.kind == SGKind.plain
        let isPattern = e.kind == SGKind.pattern
        // Counts as the group sees them: a PLAIN entry is one visit.
        let count0 = mux(isPattern, e.count0, m.lit(1, width: 32))
        let count1 = mux(isPattern, e.count1, m.lit(1, width: 32))
        let openCount = m.wire("open_count", mux(take, m.lit(0, width: memberBits), pendingCount))
        let groupOpen = openCount != 0
        let malformed = m.wire("malformed",
            !(isPlain | isPattern)
            | (isPlain & ((e.len == 0) | e.group | groupOpen))
            | (isPattern & ((e.len == 0) | (e.count0 == 0) | (e.count1 == 0) | tooManyVisits))
            | (isPattern & groupOpen & ((e.count0 != pendingCount0) | (e.count1 != pendingCount1)))
            | (isPattern & (openCount == g))
            | (isPattern & e.group & e.last)
            | beyondTop)

        // The stage works when an entry waits and the pending group is free (or leaves now).
        let stageFree = !pendingComplete | take
        let consume = m.wire("consume", cValid & stageFree)
        eTaken.drive(consume)
        let closes = isPlain | !e.group
        m.when(take) {
            pendingComplete.drive(0)
            pendingCount.drive(0)
        }
        m.when(consume) {
            m.when(skipping) {
                m.when(e.last) {
                    skipping.drive(0)
                    pendingComplete.drive(1)
                    pendingError.drive(1)
                    pendingLast.drive(1)
                    pendingId.drive(e.id)
                    pendingCount.drive(1)
                }
            }.elsewhen(malformed) {
                pendingCount.drive(0)
                m.when(e.last) {
                    pendingComplete.drive(1)
                    pendingError.drive(1)
                    pendingLast.drive(1)
                    pendingId.drive(e.id)
                    pendingCount.drive(1)
                }.otherwise { skipping.drive(1) }
            }.otherwise {
                for k in 0..<g {
                    m.when(openCount == k) {
                        pending[k].key.drive(e.key)
                        pending[k].base.drive(e.addr)
                        pending[k].elem.drive(e.len)
                        pending[k].stride0.drive(mux(isPattern, e.stride0, m.lit(0, width: 32)))
                        pending[k].stride1.drive(mux(isPattern, e.stride1, m.lit(0, width: 32)))
                    }
                }
                pendingCount.drive(openCount &+ 1)
                pendingCount0.drive(count0)
                pendingCount1.drive(count1)
                m.when(closes) {
                    pendingComplete.drive(1)
                    pendingError.drive(0)
                    pendingLast.drive(e.last)
                    pendingId.drive(e.id)
                }
            }
        }

        // --- 3. Visit generator. ---
        let activeValid = m.register("active_valid", width: 1, reset: 0)
        let activeError = m.register("active_error", width: 1, reset: 0)
        let activeLast = m.register("active_last", width: 1, reset: 0)
        let activeId = m.register("active_id", width: 8, reset: 0)
        let activeMembers = m.register("active_members", width: memberBits, reset: 0)
        let activeCount0 = m.register("active_count0", width: 32, reset: 0)
        let activeCount1 = m.register("active_count1", width: 32, reset: 0)
        let i0 = m.register("i0", width: 32, reset: 0)
        let i1 = m.register("i1", width: 32, reset: 0)
        let member = m.register("member", width: memberBits, reset: 0)
        let activeLayout = RecordLayout(["key": 32, "elem": 32, "stride0": 32, "stride1": 32, "row": 64, "cur": 64])
        let active = (0..<g).map { m.registerRecord("a\($0)", activeLayout) }

        let lastMember = member == (activeMembers &- 1)
        let lastI0 = i0 == (activeCount0 &- 1)
        let lastI1 = i1 == (activeCount1 &- 1)
        let lastVisit = m.wire("last_visit", activeError | (lastMember & lastI0 & lastI1))
        func pick(_ field: String) -> Bits { m.select(active.map { $0[field] }, member) }
        let visitKey = m.wire("visit_key", pick("key"))
        let visitVa = m.wire("visit_va", pick("cur"))
        let visitLen = m.wire("visit_len", pick("elem"))
        let visitEndsOp = m.wire("visit_ends_op", activeLast & lastVisit)
        let visitFire = m.wire("visit_fire", width: 1)
        take.drive(pendingComplete & (!activeValid | (visitFire & lastVisit)))

        m.when(visitFire) {
            m.when(lastVisit) {
                activeValid.drive(0)
            }.elsewhen(!lastMember) {
                member.drive(member &+ 1)
            }.otherwise {
                member.drive(0)
                m.when(!lastI0) {
                    i0.drive(i0 &+ 1)
                    for a in active { a.cur.drive(a.cur &+ a.stride0.zeroExtended(to: 64)) }
                }.otherwise {
                    i0.drive(0)
                    i1.drive(i1 &+ 1)
                    for (k, a) in active.enumerated() {
                        let nextRow = m.wire("next_row_\(k)", a.row &+ a.stride1.zeroExtended(to: 64))
                        a.row.drive(nextRow)
                        a.cur.drive(nextRow)
                    }
                }
            }
        }
        m.when(take) {
            activeValid.drive(1)
            activeError.drive(pendingError)
            activeLast.drive(pendingLast)
            activeId.drive(pendingId)
            activeMembers.drive(pendingCount)
            activeCount0.drive(pendingCount0)
            activeCount1.drive(pendingCount1)
            i0.drive(0)
            i1.drive(0)
            member.drive(0)
            for (a, p) in zip(active, pending) {
                a.key.drive(p.key)
                a.elem.drive(p.elem)
                a.stride0.drive(p.stride0)
                a.stride1.drive(p.stride1)
                a.row.drive(p.base)
                a.cur.drive(p.base)
            }
        }

        // --- 4. Coalescer and output register. ---
        let openValid = m.register("open_valid", width: 1, reset: 0)
        let openKey = m.register("open_key", width: 32, reset: 0)
        let openVa = m.register("open_va", width: 64, reset: 0)
        let openLen = m.register("open_len", width: 32, reset: 0)
        let openId = m.register("open_id", width: 8, reset: 0)
        let flushPending = m.register("flush_pending", width: 1, reset: 0)
        // Chunks leave through one register stage.
        let chunks = m.quietStream("chunks", SGChunk.self)
        chunk.connect(from: chunks.stage("chunk_out"))
        let slotFree = chunks.ready

        let openEnd = m.wire("open_end", openVa + openLen.zeroExtended(to: 64))
        let joinedLen = m.wire("joined_len", openLen + visitLen)
        let joins = m.wire("joins", openValid & !flushPending & (visitKey == openKey) & !openEnd[64] & (openEnd[63, 0] == visitVa) & !joinedLen[32])
        // While the previous operation's last chunk leaves, the next operation's first visit
        // may already open a chunk (it needs no output slot), so operations follow without a gap.
        let opensDuringFlush = m.wire("opens_during_flush", flushPending & slotFree & !visitEndsOp & !activeError)
        let needsSlot = m.wire("needs_slot", activeError | (joins & visitEndsOp) | (!joins & openValid) | (!joins & !openValid & visitEndsOp))
        visitFire.drive(activeValid & mux(flushPending, opensDuringFlush, !needsSlot | slotFree))

        func put(id: Bits, key: Bits, va: Bits, len: Bits, last: Bits, status: ChunkStatus = .ok) {
            chunks.valid.drive(1)
            let out = chunks.payload
            out.id.drive(id)
            out.key.drive(key)
            out.va.drive(va)
            out.len.drive(len)
            out.last.drive(last)
            out.status.drive(status)
        }
        m.when(flushPending) {
            m.when(slotFree) {
                put(id: openId, key: openKey, va: openVa, len: openLen, last: m.true)
                openValid.drive(0)
                flushPending.drive(0)
            }
            m.when(visitFire) {
                openValid.drive(1)
                openKey.drive(visitKey)
                openVa.drive(visitVa)
                openLen.drive(visitLen)
                openId.drive(activeId)
            }
        }.elsewhen(visitFire) {
            m.when(activeError) {
                put(id: activeId, key: m.lit(0, width: 32), va: m.lit(0, width: 64), len: m.lit(0, width: 32), last: m.true, status: .malformed)
                openValid.drive(0)
            }.elsewhen(joins) {
                m.when(visitEndsOp) {
                    put(id: openId, key: openKey, va: openVa, len: joinedLen.truncated(to: 32), last: m.true)
                    openValid.drive(0)
                }.otherwise { openLen.drive(joinedLen.truncated(to: 32)) }
            }.otherwise {
                m.when(openValid) {
                    put(id: openId, key: openKey, va: openVa, len: openLen, last: m.false)
                }
                m.when(openValid | !visitEndsOp) {
                    openValid.drive(1)
                    openKey.drive(visitKey)
                    openVa.drive(visitVa)
                    openLen.drive(visitLen)
                    openId.drive(activeId)
                    m.when(visitEndsOp) { flushPending.drive(1) }
                }.otherwise {
                    put(id: activeId, key: visitKey, va: visitVa, len: visitLen, last: m.true)
                }
            }
        }
    }
}
