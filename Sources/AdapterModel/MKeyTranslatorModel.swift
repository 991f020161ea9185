import LoomInterface

/// Cycle-accurate model of `mkey_translator`'s ports: configuration with a `cfgack`
/// register, a registered front end that answers direct keys in one step, and the frame-stack
/// walk of indirect keys (the pipeline the DSL block documents).
public struct MKeyTranslatorModel: ClockedModel {
    public struct Inputs: ModelInputs {
        public var rst = false
        public var cfgValid = false
        public var cfg = MKeyConfig(op: 0, index: 0)
        public var cfgackReady = false
        public var reqValid = false
        public var req = MKeyRequest(key: 0, va: 0, len: 0, pd: 0)
        public var segReady = false
        public init() {}
    }

    public struct Outputs: Equatable {
        public var cfgReady = false
        public var cfgackValid = false
        public var cfgack = ConfigAck()
        public var reqReady = false
        public var segValid = false
        public var seg = MKeySegment(id: 0, addr: 0, len: 0, last: false, status: 0)
    }

    struct Entry {
        var tag: UInt8 = 0, pd: UInt32 = 0, access: UInt8 = 0, indirect = false
        var start: UInt64 = 0, length: UInt64 = 0, target: UInt64 = 0
        var klmFirst: Int { Int((target >> 16) & 0xffff) }
        var klmCount: Int { Int(target & 0xffff) }
    }
    struct KLM { var bytes: UInt32 = 0, key: UInt32 = 0, addr: UInt64 = 0 }
    struct Frame { var idx = 0, end = 0, offset: UInt64 = 0, remaining: UInt32 = 0 }

    let mkeys: Int, klmEntries: Int, maxIndirection: Int, imaicl: Bool
    /// The hardware's table address widths as masks.
    let keyMask: Int, klmMask: Int
    var keys: [Entry]
    var valid: [Bool]
    var klm: [KLM]
    var cfgackValid = false, cfgackStatus: UInt8 = 0
    var segValid = false
    var seg = MKeySegment(id: 0, addr: 0, len: 0, last: false, status: 0)
    var s1Valid = false
    var s1 = MKeyRequest(key: 0, va: 0, len: 0, pd: 0)
    var walking = false
    var frames: [Frame]
    var sp = 0
    var wId: UInt8 = 0, wPd: UInt32 = 0, wAccess: UInt8 = 0, wLeft: UInt32 = 0
    // The piece register between the walk's two stages.
    var pieceValid = false, pieceError = false
    var pieceKey: UInt32 = 0, pieceAddr: UInt64 = 0, pieceLen: UInt32 = 0, pieceSp = 0

    public init(mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) {
        (self.mkeys, self.klmEntries, self.maxIndirection, self.imaicl) = (mkeys, klmEntries, maxIndirection, imaicl)
        keyMask = (1 << Self.addressBits(mkeys)) - 1
        klmMask = (1 << Self.addressBits(klmEntries)) - 1
        keys = Array(repeating: Entry(), count: mkeys)
        valid = Array(repeating: false, count: mkeys)
        klm = Array(repeating: KLM(), count: klmEntries)
        frames = Array(repeating: Frame(), count: maxIndirection)
    }

    mutating func reset() {
        for k in 0..<mkeys { valid[k] = false }
        (cfgackValid, cfgackStatus, segValid, seg) = (false, 0, false, MKeySegment(id: 0, addr: 0, len: 0, last: false, status: 0))
        (s1Valid, s1, walking, sp) = (false, MKeyRequest(key: 0, va: 0, len: 0, pd: 0), false, 0)
        frames = Array(repeating: Frame(), count: maxIndirection)
        (wId, wPd, wAccess, wLeft) = (0, 0, 0, 0)
        (pieceValid, pieceError, pieceKey, pieceAddr, pieceLen, pieceSp) = (false, false, 0, 0, 0, 0)
    }

    static func wraps(_ a: UInt64, _ b: UInt64) -> Bool {
        let (s, o) = a.addingReportingOverflow(b)
        return o && s != 0
    }

    func cfgStatus(_ c: MKeyConfig) -> UInt8 {
        guard let op = ConfigOp(rawValue: c.op) else { return ConfigStatus.badOp.rawValue }
        let limit = op == .writeKlm ? klmEntries : mkeys
        if Int(c.index & 0xff_ffff) >= limit { return ConfigStatus.indexOutOfRange.rawValue }
        if op == .writeMkey && c.indirect && (c.klmCount == 0 || Int(c.klmFirst) + Int(c.klmCount) > klmEntries) { return ConfigStatus.klmRunOutsidePool.rawValue }
        let w = (op == .writeMkey && Self.wraps(c.start, c.length)) || (op == .writeMkey && !c.indirect && Self.wraps(c.phys, c.length))
            || (op == .writeKlm && Self.wraps(c.start, c.length & 0xffff_ffff))
        return (w ? ConfigStatus.regionWraps : ConfigStatus.ok).rawValue
    }

    /// The same checks as the hardware's `lookup`: status 0 or the first failing check.
    func lookup(_ key: UInt32, pd: UInt32, access: UInt8, va: UInt64, len: UInt32, checkPdAndAccess: Bool, depthFails: Bool) -> (Entry, UInt8) {
        let index = Int(key >> 8)
        let slot = min(index & keyMask, mkeys - 1)
        let e = keys[slot]
        let isValid = index < mkeys && valid[slot] && e.tag == UInt8(key & 0xff)
        let accessOk = Access(rawValue: access) != nil && (e.access >> access) & 1 == 1
        let inRange = va >= e.start && UInt128(va) + UInt128(len) <= UInt128(e.start) + UInt128(e.length)
        if !isValid { return (e, TranslationStatus.badKey.rawValue) }
        if checkPdAndAccess && e.pd != pd { return (e, TranslationStatus.pdMismatch.rawValue) }
        if checkPdAndAccess && !accessOk { return (e, TranslationStatus.accessDenied.rawValue) }
        if !inRange { return (e, TranslationStatus.outOfRange.rawValue) }
        if e.indirect && depthFails { return (e, TranslationStatus.depthExceeded.rawValue) }
        return (e, 0)
    }

    static func addressBits(_ n: Int) -> Int {
        var b = 1
        while (1 << b) < n { b += 1 }
        return b
    }

    /// A configuration beat's write into the key or KLM table.
    mutating func write(_ c: MKeyConfig) {
        let slot = Int(c.index) & keyMask
        switch ConfigOp(rawValue: c.op) {
        case .writeMkey:
            let target = c.indirect ? UInt64(c.klmFirst) << 16 | UInt64(c.klmCount) : c.phys
            keys[slot] = Entry(tag: c.tag, pd: c.pd, access: c.access, indirect: c.indirect, start: c.start, length: c.length, target: target)
            valid[Int(c.index)] = true
        case .writeKlm:
            klm[Int(c.index) & klmMask] = KLM(bytes: UInt32(truncatingIfNeeded: c.length), key: c.klmKey, addr: c.start)
        default:
            valid[Int(c.index)] = false
        }
    }

    public mutating func cycle(_ i: Inputs) -> Outputs {
        // --- Combinational. ---
        let slotFree = !segValid || i.segReady
        let (top, topStatus) = lookup(s1.key, pd: s1.pd, access: s1.access, va: s1.va, len: s1.len, checkPdAndAccess: true, depthFails: false)
        let startsWalk = topStatus == 0 && top.indirect && s1.len != 0
        let s1Done = s1Valid && !walking && (startsWalk || slotFree)
        let reqReady = !s1Valid || s1Done
        let cfgReady = !cfgackValid || i.cfgackReady

        // Walk stage 2: translate the piece register.
        let (inner, innerStatus) = lookup(pieceKey, pd: wPd, access: wAccess, va: pieceAddr, len: pieceLen, checkPdAndAccess: !imaicl, depthFails: pieceSp + 2 > maxIndirection)
        let innerFails = pieceError || innerStatus != 0
        let innerDirect = !inner.indirect
        let lastPiece = pieceLen == wLeft
        let needsSlot = innerFails || innerDirect
        let translates = walking && pieceValid && (!needsSlot || slotFree)
        let ends = translates && (innerFails || (innerDirect && lastPiece))
        let pushes = translates && !innerFails && !innerDirect
        // Walk stage 1: the top frame.
        let f = frames[min(sp, maxIndirection - 1)]
        let k = klm[min(f.idx & klmMask, klmEntries - 1)]
        let exhausted = f.idx >= f.end
        let frameDone = f.remaining == 0
        let skips = f.offset >= UInt64(k.bytes)
        let available = UInt64(k.bytes) &- f.offset
        let cutLen = UInt64(f.remaining) < available ? f.remaining : UInt32(truncatingIfNeeded: available)
        let works = walking && (!pieceValid || translates) && !pushes && !ends

        let out = Outputs(cfgReady: cfgReady, cfgackValid: cfgackValid, cfgack: ConfigAck(status: cfgackStatus), reqReady: reqReady, segValid: segValid, seg: seg)
        if i.rst {
            reset()
            return out
        }

        // --- Clock edge. ---
        // Configuration.
        let cfgFire = i.cfgValid && cfgReady
        if cfgackValid && i.cfgackReady { cfgackValid = false }
        // The table write lands at the end of the cycle: the walk this cycle sees the old entry.
        var tableWrite: MKeyConfig?
        if cfgFire {
            let status = cfgStatus(i.cfg)
            cfgackValid = true
            cfgackStatus = status
            if status == ConfigStatus.ok.rawValue { tableWrite = i.cfg }
        }

        // Output register.
        if segValid && i.segReady { segValid = false }
        func emit(_ s: MKeySegment) { segValid = true; seg = s }

        // Front end.
        let oldS1 = s1
        if i.reqValid && reqReady {
            s1Valid = true
            s1 = i.req
        } else if s1Done {
            s1Valid = false
        }
        let oldSp = sp
        if s1Done {
            if startsWalk {
                walking = true
                sp = 0
                frames[0] = Frame(idx: top.klmFirst, end: top.klmFirst + top.klmCount, offset: oldS1.va &- top.start, remaining: oldS1.len)
                (wId, wPd, wAccess, wLeft) = (oldS1.id, oldS1.pd, oldS1.access, oldS1.len)
            } else if topStatus != 0 {
                emit(MKeySegment(id: oldS1.id, addr: 0, len: 0, last: true, status: topStatus))
            } else if oldS1.len == 0 {
                emit(MKeySegment(id: oldS1.id, addr: 0, len: 0, last: true))
            } else {
                emit(MKeySegment(id: oldS1.id, addr: top.target &+ (oldS1.va &- top.start), len: oldS1.len, last: true))
            }
        }

        // Walk (the front end only starts one while none runs, so they never both write).
        let oldPiece = (key: pieceKey, addr: pieceAddr, len: pieceLen, error: pieceError)
        if translates {
            pieceValid = false
            if innerFails {
                emit(MKeySegment(id: wId, addr: 0, len: 0, last: true, status: oldPiece.error ? TranslationStatus.outOfRange.rawValue : innerStatus))
            } else if innerDirect {
                emit(MKeySegment(id: wId, addr: inner.target &+ (oldPiece.addr &- inner.start), len: oldPiece.len, last: lastPiece))
                wLeft &-= oldPiece.len
            } else {
                frames[oldSp + 1] = Frame(idx: inner.klmFirst, end: inner.klmFirst + inner.klmCount, offset: oldPiece.addr &- inner.start, remaining: oldPiece.len)
                sp = oldSp + 1
            }
            if ends { walking = false }
        }
        if works {
            if frameDone {
                if oldSp != 0 { sp = oldSp - 1 }
            } else if exhausted {
                (pieceValid, pieceError) = (true, true)
            } else if skips {
                frames[oldSp].offset = f.offset &- UInt64(k.bytes)
                frames[oldSp].idx = f.idx + 1
            } else {
                (pieceValid, pieceError, pieceKey, pieceAddr, pieceLen, pieceSp) = (true, false, k.key, k.addr &+ f.offset, cutLen, oldSp)
                frames[oldSp] = Frame(idx: f.idx + 1, end: f.end, offset: 0, remaining: f.remaining &- cutLen)
            }
        }
        if s1Done && startsWalk { pieceValid = false }
        if let c = tableWrite { write(c) }
        return out
    }
}
