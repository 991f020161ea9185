import AdapterSpec
import Loom

/// `mkey_translator` (SPEC section 1): memory keys, direct and indirect (KLM lists, nested up
/// to `MAX_INDIRECTION`), with configuration acknowledgements and in-order responses.
///
/// Microarchitecture:
/// - **Tables.** Key entries in a memory (`keys`; read combinationally from a registered
///   address, so Yosys can place it in block RAM) with valid bits in registers (so reset
///   empties the table); the KLM pool in a LUT memory (`klm`, undefined until written).
/// - **Configuration.** A `cfg` beat is checked (op, index, KLM run, wrap, in that order),
///   written in the cycle it transfers and acknowledged from the `cfgack` register the next
///   cycle; any request accepted after that acknowledgement sees the change.
/// - **Front end.** A request is registered, then its top key is looked up and checked in
///   one cycle. A direct key, a zero-length request or a failed check answers with one `seg`
///   beat (first beat two cycles after `req` transfers, one request per cycle). An indirect
///   key starts the walk; the front end waits until the walk has answered, keeping order.
/// - **Walk.** A stack of `MAX_INDIRECTION` frames (KLM index, end, offset, remaining bytes)
///   and two stages. Stage 1: each cycle the top frame skips a whole KLM entry or cuts a
///   piece into the piece register (a frame out of entries cuts an error piece). Stage 2: the
///   piece is translated with its own key: a direct key emits a segment, an indirect key
///   pushes a frame (depth permitting; stage 1 pauses that cycle so the child goes first), a
///   failed check emits the error beat. A finished inner frame pops in one cycle. The request
///   ends with the segment that covers its last byte.
public struct MKeyTranslator: Module {
    public var mkeys: Int
    public var klmEntries: Int
    public var maxIndirection: Int
    public var imaicl: Bool

    public init(mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) {
        self.mkeys = mkeys
        self.klmEntries = klmEntries
        self.maxIndirection = maxIndirection
        self.imaicl = imaicl
    }

    public var name: String { "mkey_translator" }

    /// A key entry; `phys` of a direct key and `{klm_first, klm_count}` of an indirect one share a field.
    static let entryLayout = RecordLayout(["tag": 8, "pd": 24, "access": 5, "indirect": 1, "start": 64, "length": 64, "target": 64])
    static let klmLayout = RecordLayout(["bytes": 32, "key": 32, "addr": 64])


    public func body(_ m: ModuleBuilder) {
        let keysOK = m.check(mkeys >= 1 && mkeys <= 1 << 16, "MKEYS must be between 1 and 65536, got \(mkeys)")
        let poolOK = m.check(klmEntries >= 1 && klmEntries <= 1 << 16, "KLM_ENTRIES must be between 1 and 65536, got \(klmEntries)")
        let depthOK = m.check(maxIndirection >= 1 && maxIndirection <= 8, "MAX_INDIRECTION must be between 1 and 8, got \(maxIndirection)")
        guard keysOK && poolOK && depthOK else { return }  // a bad configuration builds nothing
        let cfg = m.inputStream(MKeyTranslatorInterface.cfg)
        let cfgack = m.outputStream(MKeyTranslatorInterface.cfgack)
        let req = m.inputStream(MKeyTranslatorInterface.req)
        let seg = m.outputStream(MKeyTranslatorInterface.seg)

        let keyAddressWidth = addressBits(mkeys)
        let klmAddressWidth = addressBits(klmEntries)
        let klmIndexWidth = addressBits(klmEntries + 1)
        let keys = m.memory("keys", depth: mkeys, width: Self.entryLayout.width)
        let klm = m.memory("klm", depth: klmEntries, width: Self.klmLayout.width)
        let keyValid = m.registers("key_valid", count: mkeys, width: 1)

        // --- Configuration. ---
        let c = cfg.payload
        let isWriteKey = c.op == ConfigOp.writeMkey, isWriteKlm = c.op == ConfigOp.writeKlm, isInvalidate = c.op == ConfigOp.invalidateMkey
        let indexLimit = mux(isWriteKlm, m.lit(UInt64(klmEntries), width: 24), m.lit(UInt64(mkeys), width: 24))
        let runEnd = c.klm_first.zeroExtended(to: 17) + c.klm_count.zeroExtended(to: 17)
        let badRun = isWriteKey & c.indirect & ((c.klm_count == 0) | (runEnd > klmEntries))
        let regionEnd = c.start + c.length            // 65 bits
        let physEnd = c.phys + c.length
        let klmEnd = c.start + c.length[31, 0].zeroExtended(to: 64)
        let wraps = (isWriteKey & (regionEnd[64] & (regionEnd[63, 0] != 0)))
            | (isWriteKey & !c.indirect & (physEnd[64] & (physEnd[63, 0] != 0)))
            | (isWriteKlm & (klmEnd[64] & (klmEnd[63, 0] != 0)))
        let cfgStatus = m.wire("cfg_status", mux(!(isWriteKey | isWriteKlm | isInvalidate), m.lit(ConfigStatus.badOp, width: 8),
            mux(c.index >= indexLimit, m.lit(ConfigStatus.indexOutOfRange, width: 8),
            mux(badRun, m.lit(ConfigStatus.klmRunOutsidePool, width: 8),
            mux(wraps, m.lit(ConfigStatus.regionWraps, width: 8), m.lit(ConfigStatus.ok, width: 8))))))
        let cfgApplies = m.wire("cfg_applies", cfg.fire & (cfgStatus == ConfigStatus.ok))
        // Every cfg beat becomes one cfgack beat through an output stage.
        cfgack.connect(from: cfg.map("cfg_result", ConfigAck.self) { _ in [cfgStatus] }.stage("cfgack_out"))
        let target = mux(c.indirect, cat(m.lit(0, width: 32), c.klm_first, c.klm_count), c.phys)
        keys.write(c.index.truncated(to: keyAddressWidth), cat(c.tag, c.pd, c.access, c.indirect, c.start, c.length, target), enable: cfgApplies & isWriteKey)
        klm.write(c.index.truncated(to: klmAddressWidth), cat(c.length[31, 0], c.klm_key, c.start), enable: cfgApplies & isWriteKlm)
        for k in 0..<mkeys {
            m.when(cfgApplies & (c.index == k)) {
                m.when(isWriteKey) { keyValid[k].drive(1) }
                m.when(isInvalidate) { keyValid[k].drive(0) }
            }
        }

        /// Looks up `key` and runs the checks SPEC 1.2 and 1.5 name, in their order.
        struct Lookup {
            let entry: Record
            let status: Bits     // 0 or the first failing check's code
            let klmFirst: Bits
            let klmCount: Bits
        }
        func lookup(_ key: Bits, pd: Bits, access: Bits, va: Bits, len: Bits, checkPdAndAccess: Bool, depthFails: Bits?, name: String) -> Lookup {
            let index = key[31, 8]
            let entry = Self.entryLayout.unpack("\(name)_entry", keys.readAsync(index.truncated(to: keyAddressWidth)))
            let isValid = (index < mkeys) & m.select(keyValid, index.truncated(to: keyAddressWidth)) & (entry.tag == key[7, 0])
            let accessBit = m.wire("\(name)_access_ok", (access <= Int(Access.atomic.rawValue)) & (entry.access >> access.zeroExtended(to: 5))[0])
            let vaEnd = va + len.zeroExtended(to: 64)                      // 65 bits
            let regionEnd = entry.start + entry.length                        // 65 bits
            let inRange = m.wire("\(name)_in_range", (va >= entry.start) & (vaEnd <= regionEnd))
            var status = mux(!inRange, m.lit(TranslationStatus.outOfRange, width: 8), m.lit(TranslationStatus.ok, width: 8))
            if let depthFails { status = mux(inRange & entry.indirect & depthFails, m.lit(TranslationStatus.depthExceeded, width: 8), status) }
            if checkPdAndAccess {
                status = mux(!accessBit, m.lit(TranslationStatus.accessDenied, width: 8), status)
                status = mux(entry.pd != pd, m.lit(TranslationStatus.pdMismatch, width: 8), status)
            }
            status = mux(!isValid, m.lit(TranslationStatus.badKey, width: 8), status)
            return Lookup(entry: entry, status: m.wire("\(name)_status", status), klmFirst: entry.target[31, 16], klmCount: entry.target[15, 0])
        }

        // --- Output register. ---
        // Segments from the front end and the walk go out through one register stage.
        let segment = m.quietStream("segment", MKeySegment.self)
        seg.connect(from: segment.stage("seg_out"))
        let slotFree = segment.ready
        func emit(id: Bits, addr: Bits, len: Bits, last: Bits, status: Bits) {
            segment.valid.drive(1)
            let segOut = segment.payload
            segOut.id.drive(id)
            segOut.addr.drive(addr)
            segOut.len.drive(len)
            segOut.last.drive(last)
            segOut.status.drive(status)
        }

        // --- Front end. ---
        let s1Valid = m.register("s1_valid", width: 1, reset: 0)
        let s1 = m.registerRecord("s1", RecordLayout(MKeyRequest.self))
        let walking = m.register("walking", width: 1, reset: 0)
        let top = lookup(s1.key, pd: s1.pd, access: s1.access, va: s1.va, len: s1.len, checkPdAndAccess: true, depthFails: nil, name: "top")
        let startsWalk = m.wire("starts_walk", (top.status == 0) & top.entry.indirect & (s1.len != 0))
        let s1Done = m.wire("s1_done", s1Valid & !walking & (startsWalk | slotFree))
        req.ready.drive(!s1Valid | s1Done)
        m.when(req.fire) {
            s1Valid.drive(1)
            s1.drive(req.payload)
        }.elsewhen(s1Done) { s1Valid.drive(0) }

        // Walk state: frames and the request being walked.
        let frameIdx = m.registers("frame_idx", count: maxIndirection, width: klmIndexWidth)
        let frameEnd = m.registers("frame_end", count: maxIndirection, width: klmIndexWidth)
        let frameOffset = m.registers("frame_offset", count: maxIndirection, width: 64)
        let frameRemaining = m.registers("frame_remaining", count: maxIndirection, width: 32)
        let sp = m.register("sp", width: addressBits(maxIndirection), reset: 0)
        let wId = m.register("w_id", width: 8, reset: 0)
        let wPd = m.register("w_pd", width: 24, reset: 0)
        let wAccess = m.register("w_access", width: 3, reset: 0)
        let wLeft = m.register("w_left", width: 32, reset: 0)   // bytes not yet emitted

        m.when(s1Done) {
            m.when(startsWalk) {
                walking.drive(1)
                sp.drive(0)
                frameIdx[0].drive(top.klmFirst.resized(to: klmIndexWidth))
                frameEnd[0].drive((top.klmFirst.zeroExtended(to: 17) + top.klmCount.zeroExtended(to: 17)).resized(to: klmIndexWidth))
                frameOffset[0].drive(s1.va &- top.entry.start)
                frameRemaining[0].drive(s1.len)
                wId.drive(s1.id)
                wPd.drive(s1.pd)
                wAccess.drive(s1.access)
                wLeft.drive(s1.len)
            }.elsewhen(top.status != 0) {
                emit(id: s1.id, addr: m.lit(0, width: 64), len: m.lit(0, width: 32), last: m.true, status: top.status)
            }.elsewhen(s1.len == 0) {
                emit(id: s1.id, addr: m.lit(0, width: 64), len: m.lit(0, width: 32), last: m.true, status: m.lit(TranslationStatus.ok, width: 8))
            }.otherwise {
                emit(id: s1.id, addr: top.entry.target &+ (s1.va &- top.entry.start), len: s1.len, last: m.true, status: m.lit(TranslationStatus.ok, width: 8))
            }
        }

        // --- Walk, stage 1: the top frame skips a KLM entry or cuts a piece. ---
        let pieceValid = m.register("piece_valid", width: 1, reset: 0)
        let pieceError = m.register("piece_error", width: 1, reset: 0)   // the frame ran out of entries
        let pieceKey = m.register("piece_key", width: 32, reset: 0)
        let pieceAddr = m.register("piece_addr", width: 64, reset: 0)
        let pieceLen = m.register("piece_len", width: 32, reset: 0)
        let pieceSp = m.register("piece_sp", width: sp.width, reset: 0)

        // --- Walk, stage 2: the piece is translated with its own key. ---
        // The piece's key sits one level below its frame: level sp + 1; an indirect key there
        // makes sp + 2 indirect keys on the path.
        let depthFails = pieceSp.zeroExtended(to: 8) + 2 > maxIndirection
        let inner = lookup(pieceKey, pd: wPd, access: wAccess, va: pieceAddr, len: pieceLen, checkPdAndAccess: !imaicl, depthFails: depthFails, name: "inner")
        let innerFails = m.wire("inner_fails", pieceError | (inner.status != 0))
        let innerDirect = !inner.entry.indirect
        let wLastPiece = m.wire("w_last_piece", pieceLen == wLeft)
        let wNeedsSlot = m.wire("w_needs_slot", innerFails | innerDirect)
        let wTranslates = m.wire("w_translates", walking & pieceValid & (!wNeedsSlot | slotFree))
        let wEnds = m.wire("w_ends", wTranslates & (innerFails | (innerDirect & wLastPiece)))
        let wPushes = m.wire("w_pushes", wTranslates & !innerFails & !innerDirect)
        m.when(wTranslates) {
            m.when(innerFails) {
                emit(id: wId, addr: m.lit(0, width: 64), len: m.lit(0, width: 32), last: m.true,
                     status: mux(pieceError, m.lit(TranslationStatus.outOfRange, width: 8), inner.status))
            }.elsewhen(innerDirect) {
                emit(id: wId, addr: inner.entry.target &+ (pieceAddr &- inner.entry.start), len: pieceLen, last: wLastPiece, status: m.lit(TranslationStatus.ok, width: 8))
                wLeft.drive(wLeft &- pieceLen)
            }.otherwise {
                for k in 1..<max(maxIndirection, 2) where k < maxIndirection {
                    m.when(sp == k - 1) {
                        frameIdx[k].drive(inner.klmFirst.resized(to: klmIndexWidth))
                        frameEnd[k].drive((inner.klmFirst.zeroExtended(to: 17) + inner.klmCount.zeroExtended(to: 17)).resized(to: klmIndexWidth))
                        frameOffset[k].drive(pieceAddr &- inner.entry.start)
                        frameRemaining[k].drive(pieceLen)
                    }
                }
                sp.drive(sp &+ 1)
            }
            m.when(wEnds) { walking.drive(0) }
        }

        // Stage 1 works when the piece register is free (or being translated now) and stage 2
        // neither pushes a frame (the child goes first) nor ends the walk this cycle.
        let wIdx = m.wire("w_idx", m.select(frameIdx, sp))
        let end = m.select(frameEnd, sp)
        let wOffset = m.wire("w_offset", m.select(frameOffset, sp))
        let wRemaining = m.wire("w_remaining", m.select(frameRemaining, sp))
        let entry = Self.klmLayout.unpack("w_klm", klm.readAsync(wIdx.resized(to: klmAddressWidth)))
        let wExhausted = m.wire("w_exhausted", wIdx >= end)
        let frameDone = wRemaining == 0
        let wSkips = m.wire("w_skips", wOffset >= entry.bytes.zeroExtended(to: 64))
        let available = entry.bytes.zeroExtended(to: 64) &- wOffset
        let wCutLen = m.wire("w_cut_len", mux(wRemaining.zeroExtended(to: 64) < available, wRemaining, available.truncated(to: 32)))
        let wWorks = m.wire("w_works", walking & (!pieceValid | wTranslates) & !wPushes & !wEnds)
        m.when(wTranslates) { pieceValid.drive(0) }
        m.when(wWorks) {
            m.when(frameDone) {
                // A finished inner frame returns to its parent; a finished top frame waits for
                // stage 2 to translate the request's last piece.
                m.when(sp != 0) { sp.drive(sp &- 1) }
            }.elsewhen(wExhausted) {
                pieceValid.drive(1)
                pieceError.drive(1)
            }.elsewhen(wSkips) {
                for k in 0..<maxIndirection {
                    m.when(sp == k) {
                        frameOffset[k].drive(wOffset &- entry.bytes.zeroExtended(to: 64))
                        frameIdx[k].drive(wIdx &+ 1)
                    }
                }
            }.otherwise {
                pieceValid.drive(1)
                pieceError.drive(0)
                pieceKey.drive(entry.key)
                pieceAddr.drive(entry.addr &+ wOffset)
                pieceLen.drive(wCutLen)
                pieceSp.drive(sp)
                for k in 0..<maxIndirection {
                    m.when(sp == k) {
                        frameOffset[k].drive(0)
                        frameIdx[k].drive(wIdx &+ 1)
                        frameRemaining[k].drive(wRemaining &- wCutLen)
                    }
                }
            }
        }
        m.when(s1Done & startsWalk) { pieceValid.drive(0) }
    }
}
