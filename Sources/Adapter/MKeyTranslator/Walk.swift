import Loom

/// The walk's state: the frame stack, the request being walked, and the piece register
/// between stage 1 and stage 2.
struct Walk {
    let walking: Bits
    /// Frame `k`: the KLM index, one past the frame's last entry, the byte offset into the
    /// current entry, and the bytes the frame has still to cover.
    let frameIdx: [Bits]
    let frameEnd: [Bits]
    let frameOffset: [Bits]
    let frameRemaining: [Bits]
    /// The top frame.
    let sp: Bits
    // The request being walked.
    let wId: Bits
    let wPd: Bits
    let wAccess: Bits
    /// Bytes not yet emitted.
    let wLeft: Bits
    // The piece register.
    let pieceValid: Bits
    /// The frame ran out of entries.
    let pieceError: Bits
    let pieceKey: Bits
    let pieceAddr: Bits
    let pieceLen: Bits
    let pieceSp: Bits

    init(_ m: ModuleBuilder, _ block: MKeyTranslator) {
        let depth = block.maxIndirection, indexWidth = block.klmIndexWidth
        walking = m.register("walking", width: 1, reset: 0)
        frameIdx = m.registers("frame_idx", count: depth, width: indexWidth)
        frameEnd = m.registers("frame_end", count: depth, width: indexWidth)
        frameOffset = m.registers("frame_offset", count: depth, width: 64)
        frameRemaining = m.registers("frame_remaining", count: depth, width: 32)
        sp = m.register("sp", width: addressBits(depth), reset: 0)
        wId = m.register("w_id", width: 8, reset: 0)
        wPd = m.register("w_pd", width: 24, reset: 0)
        wAccess = m.register("w_access", width: 3, reset: 0)
        wLeft = m.register("w_left", width: 32, reset: 0)
        pieceValid = m.register("piece_valid", width: 1, reset: 0)
        pieceError = m.register("piece_error", width: 1, reset: 0)
        pieceKey = m.register("piece_key", width: 32, reset: 0)
        pieceAddr = m.register("piece_addr", width: 64, reset: 0)
        pieceLen = m.register("piece_len", width: 32, reset: 0)
        pieceSp = m.register("piece_sp", width: sp.width, reset: 0)
    }

    /// Sets frame `level` (a constant) to walk `count` KLM entries from `first`, starting
    /// `offset` bytes in, for `bytes` bytes.
    func open(frame level: Int, first: Bits, count: Bits, offset: Bits, bytes: Bits) {
        let indexWidth = frameIdx[level].width
        frameIdx[level].drive(first.resized(to: indexWidth))
        frameEnd[level].drive((first.zeroExtended(to: 17) + count.zeroExtended(to: 17)).resized(to: indexWidth))
        frameOffset[level].drive(offset)
        frameRemaining[level].drive(bytes)
    }
}
