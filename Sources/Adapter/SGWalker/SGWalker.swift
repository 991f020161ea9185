import AdapterSpec
import Loom

/// `sg_walker` (SPEC section 2): scatter/gather lists with PLAIN and PATTERN entries, two
/// nested periods, interleave groups, and canonical coalescing of the logical byte stream.
///
/// Microarchitecture (one visit per cycle, one chunk per cycle), four stages, each in its
/// own file:
/// 1. **Entry checks** (`EntryChecks.swift`). `sge` beats pass three register stages: the
///    entry, the three 32×32 products, and the 66-bit sum and comparisons, so the slow checks
///    (the visit count and the entry's highest byte) stay off the path that groups entries.
/// 2. **Grouper** (`Grouper.swift`). The checked entry is checked (SPEC 2.3) and added as a
///    member of the *pending* group (up to `MAX_GROUP` members; a PLAIN entry is a one-member
///    group with counts 1). A closing entry completes the group. A malformed entry discards
///    the open group and, until `sge_last`, the rest of the operation; the operation then
///    ends in a one-visit *error group*.
/// 3. **Visit generator** (`VisitGenerator.swift`). Takes a complete pending group (in the
///    cycle its previous group ends, so groups follow each other without a gap) and produces
///    one visit per cycle: for `(i1, i0)`, for each member `m`, `elem` bytes at the member's
///    running address.
///    Visits reach the coalescer through a ready cut and a register stage (`visit_cut`,
///    `visit_reg`), a cycle later, still one a cycle.
/// 4. **Coalescer** (`Coalescer.swift`). Keeps the open chunk; a visit joins it (same key,
///    contiguous, no end at 2^64, sum below 2^32) or the open chunk goes to the output stage
///    and the visit opens the next one. The operation's last visit closes it with `last = 1`
///    (one extra cycle when it did not join, during which the next operation's first visit
///    may already open its chunk). An error visit drops the open chunk and emits the error
///    beat.
public struct SGWalker: Module {
    public var maxGroup: Int
    public var maxVisits: UInt64

    public init(maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) {
        self.maxGroup = maxGroup
        self.maxVisits = maxVisits
    }

    public var name: String { "sg_walker" }

    public var parameters: [Parameter] {
        [Parameter("MAX_GROUP", maxGroup, in: 1...16),
         Parameter("MAX_VISITS", maxVisits, in: 1...(1 << 63) - 1)]
    }

    public func body(_ m: ModuleBuilder) {
        let io = SGWalkerInterface(m.ports())
        let entries = checkEntries(m, io.sge.stream)
        let groups = group(m, entries)
        // Visits cross to the coalescer through a ready cut and a register stage: neither the
        // member multiplexer nor the coalescer's join decision reaches the other stage.
        let visits = generateVisits(m, groups).readyCut("visit_cut").stage("visit_reg")
        io.chunk.stream.connect(from: coalesce(m, visits))
    }

    /// Bits of a member count (0 to `MAX_GROUP`).
    var memberBits: Int { addressBits(maxGroup + 1) }
}
