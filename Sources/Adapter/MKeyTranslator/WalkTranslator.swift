import AdapterSpec
import Loom

/// What stage 2 did this cycle, for stage 1.
struct PieceTranslation {
    /// The piece register is read this cycle.
    let translates: Bits
    /// An indirect piece pushes a frame: stage 1 pauses so the child goes first.
    let pushes: Bits
    /// The request's answer is complete.
    let ends: Bits
}

extension MKeyTranslator {
    /// Walk stage 2: translates the piece with its own key.
    func translatePiece(_ m: ModuleBuilder, _ tables: KeyTables, _ walk: Walk, _ segment: Stream) -> PieceTranslation {
        // The piece's key sits one level below its frame: level sp + 1; an indirect key there
        // makes sp + 2 indirect keys on the path.
        let depthFails = walk.pieceSp.zeroExtended(to: 8) + 2 > maxIndirection
        let inner = tables.lookup(walk.pieceKey, pd: walk.wPd, access: walk.wAccess, va: walk.pieceAddr, len: walk.pieceLen,
                                  checkPdAndAccess: !imaicl, depthFails: depthFails, name: "inner")
        let innerFails = m.wire("inner_fails", walk.pieceError | (inner.status != 0))
        let innerDirect = !inner.entry.indirect
        let wLastPiece = m.wire("w_last_piece", walk.pieceLen == walk.wLeft)
        let wNeedsSlot = m.wire("w_needs_slot", innerFails | innerDirect)
        let wTranslates = m.wire("w_translates", walk.walking & walk.pieceValid & (!wNeedsSlot | segment.ready))
        let wEnds = m.wire("w_ends", wTranslates & (innerFails | (innerDirect & wLastPiece)))
        let wPushes = m.wire("w_pushes", wTranslates & !innerFails & !innerDirect)
        m.when(wTranslates) {
            m.when(innerFails) {
                segment.emitFinal(id: walk.wId, status: mux(walk.pieceError, m.lit(TranslationStatus.outOfRange, width: 8), inner.status))
            }.elsewhen(innerDirect) {
                segment.emitSegment(id: walk.wId, addr: inner.entry.target &+ (walk.pieceAddr &- inner.entry.start), len: walk.pieceLen,
                                    last: wLastPiece, status: m.lit(TranslationStatus.ok, width: 8))
                walk.wLeft.drive(walk.wLeft &- walk.pieceLen)
            }.otherwise {
                for k in 1..<max(maxIndirection, 2) where k < maxIndirection {
                    m.when(walk.sp == k - 1) {
                        walk.open(frame: k, first: inner.klmFirst, count: inner.klmCount, offset: walk.pieceAddr &- inner.entry.start, bytes: walk.pieceLen)
                    }
                }
                walk.sp.drive(walk.sp &+ 1)
            }
            m.when(wEnds) { walk.walking.drive(0) }
        }
        return PieceTranslation(translates: wTranslates, pushes: wPushes, ends: wEnds)
    }
}
