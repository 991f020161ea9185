import Loom

extension MKeyTranslator {
    /// Walk stage 1: the top frame skips a KLM entry or cuts a piece into the piece register.
    func cutPiece(_ m: ModuleBuilder, _ tables: KeyTables, _ walk: Walk, _ stage2: PieceTranslation) {
        let wIdx = m.wire("w_idx", m.select(walk.frameIdx, walk.sp))
        let end = m.select(walk.frameEnd, walk.sp)
        let wOffset = m.wire("w_offset", m.select(walk.frameOffset, walk.sp))
        let wRemaining = m.wire("w_remaining", m.select(walk.frameRemaining, walk.sp))
        let entry = KeyTables.klmLayout.unpack("w_klm", tables.klm.readAsync(wIdx.resized(to: tables.klm.addressWidth)))
        let wExhausted = m.wire("w_exhausted", wIdx >= end)
        let frameDone = wRemaining == 0
        let wSkips = m.wire("w_skips", wOffset >= entry.bytes.zeroExtended(to: 64))
        let available = entry.bytes.zeroExtended(to: 64) &- wOffset
        let wCutLen = m.wire("w_cut_len", mux(wRemaining.zeroExtended(to: 64) < available, wRemaining, available.truncated(to: 32)))
        // Stage 1 works when the piece register is free (or being translated now) and stage 2
        // neither pushes a frame (the child goes first) nor ends the walk this cycle.
        let wWorks = m.wire("w_works", walk.walking & (!walk.pieceValid | stage2.translates) & !stage2.pushes & !stage2.ends)
        m.when(stage2.translates) { walk.pieceValid.drive(0) }
        m.when(wWorks) {
            m.when(frameDone) {
                // A finished inner frame returns to its parent; a finished top frame waits for
                // stage 2 to translate the request's last piece.
                m.when(walk.sp != 0) { walk.sp.drive(walk.sp &- 1) }
            }.elsewhen(wExhausted) {
                walk.pieceValid.drive(1)
                walk.pieceError.drive(1)
            }.elsewhen(wSkips) {
                for k in 0..<maxIndirection {
                    m.when(walk.sp == k) {
                        walk.frameOffset[k].drive(wOffset &- entry.bytes.zeroExtended(to: 64))
                        walk.frameIdx[k].drive(wIdx &+ 1)
                    }
                }
            }.otherwise {
                walk.pieceValid.drive(1)
                walk.pieceError.drive(0)
                walk.pieceKey.drive(entry.key)
                walk.pieceAddr.drive(entry.addr &+ wOffset)
                walk.pieceLen.drive(wCutLen)
                walk.pieceSp.drive(walk.sp)
                for k in 0..<maxIndirection {
                    m.when(walk.sp == k) {
                        walk.frameOffset[k].drive(0)
                        walk.frameIdx[k].drive(wIdx &+ 1)
                        walk.frameRemaining[k].drive(wRemaining &- wCutLen)
                    }
                }
            }
        }
    }
}
