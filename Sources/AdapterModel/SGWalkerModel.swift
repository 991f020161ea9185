import LoomInterface

/// Cycle-accurate model of `sg_walker`'s ports: entry register, check-and-group stage with
/// a pending group, visit generator, a ready cut and a register stage for the visit, and the
/// coalescer with an output register (the pipeline the DSL block documents). Outputs are computed from the current state and this cycle's
/// inputs; then the clock edge updates the state.
public struct SGWalkerModel: ClockedModel {
    public struct Inputs: ModelInputs {
        public var rst = false
        public var sgeValid = false
        public var sge = SGEntry()
        public var chunkReady = false
        public init() {}
    }

    public struct Outputs: Equatable {
        public var sgeReady = false
        public var chunkValid = false
        public var chunk = SGChunk(id: 0, key: 0, va: 0, len: 0, last: false, status: 0)
    }

    struct Member {
        var key: UInt32 = 0, base: UInt64 = 0, elem: UInt32 = 0, stride0: UInt32 = 0, stride1: UInt32 = 0
    }
    /// A visit on its way from the generator to the coalescer.
    struct Visit {
        var error = false, id: UInt8 = 0, key: UInt32 = 0, va: UInt64 = 0, len: UInt32 = 0, endsOp = false
    }
    struct ActiveMember {
        var key: UInt32 = 0, elem: UInt32 = 0, stride0: UInt32 = 0, stride1: UInt32 = 0, row: UInt64 = 0, cur: UInt64 = 0
    }

    let maxGroup: Int
    let maxVisits: UInt64
    // Stage 1: entry register, product register, check register with the slow checks' results.
    var eValid = false
    var e0 = SGEntry()
    var pValid = false
    var pe = SGEntry()
    var visits: UInt64 = 0, span0: UInt64 = 0, span1: UInt64 = 0
    var cValid = false
    var e = SGEntry()
    var tooMany = false, beyond = false
    // Stage 2.
    var skipping = false
    var pendingCount = 0, pendingComplete = false, pendingLast = false, pendingError = false
    var pendingId: UInt8 = 0, pendingCount0: UInt32 = 0, pendingCount1: UInt32 = 0
    var pending: [Member]
    // Stage 3.
    var activeValid = false, activeError = false, activeLast = false
    var activeId: UInt8 = 0, activeMembers = 0, activeCount0: UInt32 = 0, activeCount1: UInt32 = 0
    var i0: UInt32 = 0, i1: UInt32 = 0, member = 0
    var active: [ActiveMember]
    // Between stages 3 and 4: a ready cut and a register stage.
    var visitCut = ReadyCut(skid: Visit())
    var visitReg = Stage(beat: Visit())
    // Stage 4.
    var openValid = false, openKey: UInt32 = 0, openVa: UInt64 = 0, openLen: UInt32 = 0, openId: UInt8 = 0
    var flushPending = false
    var outValid = false
    var out = SGChunk(id: 0, key: 0, va: 0, len: 0, last: false, status: 0)

    public init(maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) {
        self.maxGroup = maxGroup
        self.maxVisits = maxVisits
        pending = Array(repeating: Member(), count: maxGroup)
        active = Array(repeating: ActiveMember(), count: maxGroup)
    }

    mutating func reset() {
        let fresh = SGWalkerModel(maxGroup: maxGroup, maxVisits: maxVisits)
        (eValid, e0, cValid, e, tooMany, beyond, skipping) = (false, fresh.e0, false, fresh.e, false, false, false)
        (pValid, pe, visits, span0, span1) = (false, fresh.pe, 0, 0, 0)
        (pendingCount, pendingComplete, pendingLast, pendingError, pendingId, pendingCount0, pendingCount1) = (0, false, false, false, 0, 0, 0)
        pending = fresh.pending
        (activeValid, activeError, activeLast, activeId, activeMembers, activeCount0, activeCount1) = (false, false, false, 0, 0, 0, 0)
        (i0, i1, member) = (0, 0, 0)
        active = fresh.active
        (visitCut.skidValid, visitReg.valid) = (false, false)
        (openValid, openKey, openVa, openLen, openId, flushPending) = (false, 0, 0, 0, 0, false)
        (outValid, out) = (false, fresh.out)
    }

    /// The products of an entry, registered in the product stage (64-bit, as in hardware).
    func products(_ x: SGEntry) -> (visits: UInt64, span0: UInt64, span1: UInt64) {
        (UInt64(x.count0) * UInt64(x.count1), UInt64(x.count0 &- 1) * UInt64(x.stride0), UInt64(x.count1 &- 1) * UInt64(x.stride1))
    }

    /// The comparisons made from the products in the check stage.
    func slowChecks(_ x: SGEntry) -> (tooMany: Bool, beyond: Bool) {
        // Highest byte + 1 in 66 bits.
        var top = UInt128(x.addr) + UInt128(x.len)
        if x.kind == SGKind.pattern.rawValue { top += UInt128(span0) + UInt128(span1) }
        top &= (UInt128(1) << 66) - 1
        return (visits > maxVisits, top > (UInt128(1) << 64))
    }

    /// The same test as the hardware: is the checked entry malformed, given the open group?
    func malformed(openCount: Int) -> Bool {
        let isPlain = e.kind == SGKind.plain.rawValue, isPattern = e.kind == SGKind.pattern.rawValue
        let groupOpen = openCount != 0
        if SGKind(rawValue: e.kind) == nil { return true }
        if isPlain && (e.len == 0 || e.group || groupOpen) { return true }
        if isPattern && (e.len == 0 || e.count0 == 0 || e.count1 == 0 || tooMany) { return true }
        if isPattern && groupOpen && (e.count0 != pendingCount0 || e.count1 != pendingCount1) { return true }
        if isPattern && openCount == maxGroup { return true }
        if isPattern && e.group && e.last { return true }
        return beyond
    }

    public mutating func cycle(_ i: Inputs) -> Outputs {
        // --- Combinational. ---
        let slotFree = !outValid || i.chunkReady
        let lastMember = member == activeMembers - 1
        let lastI0 = i0 == activeCount0 &- 1
        let lastI1 = i1 == activeCount1 &- 1
        let lastVisit = activeError || (lastMember && lastI0 && lastI1)
        let mi = min(member, maxGroup - 1)
        let generated = Visit(error: activeError, id: activeId, key: active[mi].key, va: active[mi].cur, len: active[mi].elem,
                              endsOp: activeLast && lastVisit)
        // The coalescer works on the registered visit.
        let v = visitReg.beat
        let (openEnd, endWraps) = openVa.addingReportingOverflow(UInt64(openLen))
        let joinedLen = UInt64(openLen) + UInt64(v.len)
        let joins = openValid && !flushPending && v.key == openKey && !endWraps && openEnd == v.va && joinedLen <= UInt64(UInt32.max)
        let opensDuringFlush = flushPending && slotFree && !v.endsOp && !v.error
        let needsSlot = v.error || (joins && v.endsOp) || (!joins && openValid) || (!joins && !openValid && v.endsOp)
        let coalescerReady = flushPending ? opensDuringFlush : (!needsSlot || slotFree)
        let coalesces = visitReg.valid && coalescerReady
        let visitFire = activeValid && visitCut.inReady
        let take = pendingComplete && (!activeValid || (visitFire && lastVisit))
        let openCount = take ? 0 : pendingCount
        let stageFree = !pendingComplete || take
        let consume = cValid && stageFree
        let pMoves = pValid && (!cValid || consume)
        let eMoves = eValid && (!pValid || pMoves)
        let sgeReady = !eValid || eMoves

        let result = Outputs(sgeReady: sgeReady, chunkValid: outValid, chunk: out)
        if i.rst {
            reset()
            return result
        }

        // --- Clock edge: stages update last to first, so each reads the state its
        // upstream stage had before the edge (no copy of the arrays needed). ---
        let bad = consume && !skipping ? malformed(openCount: openCount) : false

        // Stage 4.
        if outValid && i.chunkReady { outValid = false }
        func put(_ c: SGChunk) { outValid = true; out = c }
        if flushPending {
            if slotFree {
                put(SGChunk(id: openId, key: openKey, va: openVa, len: openLen, last: true))
                openValid = false
                flushPending = false
            }
            if coalesces { (openValid, openKey, openVa, openLen, openId) = (true, v.key, v.va, v.len, v.id) }
        } else if coalesces {
            if v.error {
                put(SGChunk.malformed(id: v.id))
                openValid = false
            } else if joins {
                if v.endsOp {
                    put(SGChunk(id: openId, key: openKey, va: openVa, len: UInt32(joinedLen), last: true))
                    openValid = false
                } else {
                    openLen = UInt32(joinedLen)
                }
            } else {
                if openValid { put(SGChunk(id: openId, key: openKey, va: openVa, len: openLen, last: false)) }
                if openValid || !v.endsOp {
                    (openValid, openKey, openVa, openLen, openId) = (true, v.key, v.va, v.len, v.id)
                    if v.endsOp { flushPending = true }
                } else {
                    put(SGChunk(id: v.id, key: v.key, va: v.va, len: v.len, last: true))
                }
            }
        }

        // The ready cut and the register stage between the generator and the coalescer.
        let cut = visitCut.out(activeValid, generated)
        visitCut.step(activeValid, generated, consumerReady: visitReg.accepts(consumerReady: coalescerReady))
        visitReg.step(cut.valid, cut.beat, consumerReady: coalescerReady)

        // Stage 3.
        if visitFire {
            if lastVisit {
                activeValid = false
            } else if !lastMember {
                member += 1
            } else {
                member = 0
                if !lastI0 {
                    i0 &+= 1
                    for k in 0..<maxGroup { active[k].cur = active[k].cur &+ UInt64(active[k].stride0) }
                } else {
                    i0 = 0
                    i1 &+= 1
                    for k in 0..<maxGroup {
                        let next = active[k].row &+ UInt64(active[k].stride1)
                        active[k].row = next
                        active[k].cur = next
                    }
                }
            }
        }
        if take {
            (activeValid, activeError, activeLast, activeId) = (true, pendingError, pendingLast, pendingId)
            (activeMembers, activeCount0, activeCount1) = (pendingCount, pendingCount0, pendingCount1)
            (i0, i1, member) = (0, 0, 0)
            for k in 0..<maxGroup {
                let p = pending[k]
                active[k] = ActiveMember(key: p.key, elem: p.elem, stride0: p.stride0, stride1: p.stride1, row: p.base, cur: p.base)
            }
        }

        // Stage 2.
        let ee = e
        if take {
            pendingComplete = false
            pendingCount = 0
        }
        if consume {
            if skipping {
                if ee.last {
                    skipping = false
                    (pendingComplete, pendingError, pendingLast, pendingId, pendingCount) = (true, true, true, ee.id, 1)
                }
            } else if bad {
                pendingCount = 0
                if ee.last {
                    (pendingComplete, pendingError, pendingLast, pendingId, pendingCount) = (true, true, true, ee.id, 1)
                } else {
                    skipping = true
                }
            } else {
                let isPattern = ee.kind == SGKind.pattern.rawValue
                if openCount < maxGroup {
                    pending[openCount] = Member(key: ee.key, base: ee.addr, elem: ee.len,
                                                stride0: isPattern ? ee.stride0 : 0, stride1: isPattern ? ee.stride1 : 0)
                }
                pendingCount = openCount + 1
                pendingCount0 = isPattern ? ee.count0 : 1
                pendingCount1 = isPattern ? ee.count1 : 1
                if ee.kind == 0 || !ee.group {
                    (pendingComplete, pendingError, pendingLast, pendingId) = (true, false, ee.last, ee.id)
                }
            }
        }

        // Stage 1.
        if pMoves {
            cValid = true
            (tooMany, beyond) = slowChecks(pe)
            e = pe
        } else if consume {
            cValid = false
        }
        if eMoves {
            pValid = true
            (visits, span0, span1) = products(e0)
            pe = e0
        } else if pMoves {
            pValid = false
        }
        if i.sgeValid && sgeReady {
            eValid = true
            e0 = i.sge
        } else if eMoves {
            eValid = false
        }
        return result
    }
}
