import AdapterSpec
import Loom

/// `mkey_translator` (SPEC section 1): memory keys, direct and indirect (KLM lists, nested up
/// to `MAX_INDIRECTION`), with configuration acknowledgements and in-order responses.
///
/// Microarchitecture, one file per part:
/// - **Tables and configuration** (`KeyTables.swift`). Key entries in a memory (`keys`; read
///   combinationally from a registered address, so Yosys can place it in block RAM) with
///   valid bits in registers (so reset empties the table); the KLM pool in a LUT memory
///   (`klm`, undefined until written). A `cfg` beat is checked (op, index, KLM run, wrap, in
///   that order), written in the cycle it transfers and acknowledged from the `cfgack` stage
///   the next cycle; any request accepted after that acknowledgement sees the change.
/// - **Front end** (`FrontEnd.swift`). A request is registered, then its top key is looked up
///   and checked in one cycle. A direct key, a zero-length request or a failed check answers
///   with one `seg` beat (first beat two cycles after `req` transfers, one request per
///   cycle). An indirect key starts the walk; the front end waits until the walk has
///   answered, keeping order.
/// - **Walk** (`Walk.swift`): a stack of `MAX_INDIRECTION` frames (KLM index, end, offset,
///   remaining bytes) and two stages.
///   - **Stage 1** (`WalkCutter.swift`): each cycle the top frame skips a whole KLM entry or
///     cuts a piece into the piece register (a frame out of entries cuts an error piece). A
///     finished inner frame pops in one cycle.
///   - **Stage 2** (`WalkTranslator.swift`): the piece is translated with its own key: a
///     direct key emits a segment, an indirect key pushes a frame (depth permitting; stage 1
///     pauses that cycle so the child goes first), a failed check emits the error beat. The
///     request ends with the segment that covers its last byte.
///
/// Segments from the front end and the walk leave through one output stage (`seg_out`).
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

    public var parameters: [Parameter] {
        [Parameter("MKEYS", mkeys, in: 1...(1 << 16)),
         Parameter("KLM_ENTRIES", klmEntries, in: 1...(1 << 16)),
         Parameter("MAX_INDIRECTION", maxIndirection, in: 1...8)]
    }

    public func body(_ m: ModuleBuilder) {
        let io = MKeyTranslatorInterface(m.ports())
        let tables = KeyTables(m, self)
        io.cfgack.stream.connect(from: tables.configure(io.cfg.stream))
        let segment = m.quietStream("segment", MKeySegment.self)
        io.seg.stream.connect(from: segment.stage("seg_out"))

        let walk = Walk(m, self)
        let front = frontEnd(m, io.req.stream, tables, walk, segment)
        let translated = translatePiece(m, tables, walk, segment)
        cutPiece(m, tables, walk, translated)
        // A new walk starts with an empty piece register.
        m.when(front.startsWalk) { walk.pieceValid.drive(0) }
    }

    var klmIndexWidth: Int { addressBits(klmEntries + 1) }
}

/// Segment beats as the translator emits them.
extension Stream {
    func emitSegment(id: Bits, addr: Bits, len: Bits, last: Bits, status: Bits) {
        offer(["id": id, "addr": addr, "len": len, "last": last, "status": status])
    }

    /// The error beat (or an empty request's answer): no address, no length, `last = 1`.
    func emitFinal(id: Bits, status: Bits) {
        let m = valid.module
        emitSegment(id: id, addr: m.lit(0, width: 64), len: m.lit(0, width: 32), last: m.true, status: status)
    }
}
