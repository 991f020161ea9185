import AdapterSpec
import Loom

extension SGWalker {
    /// Stage 1: three register stages that compute what the grouper's checks need. The result
    /// is the `sge` beat with two more fields, `too_many_visits` and `beyond_top` (the
    /// entry's highest byte is past 2^64 - 1), in registers `e_*`.
    func checkEntries(_ m: ModuleBuilder, _ sge: Stream) -> Stream {
        let entry = RecordLayout(SGEntry.self)
        let e0 = sge.stage("e0")

        // Products first (their own stage: four MULT18 and an adder each on an ECP5)...
        let withProducts = entry.appending(["visits": 64, "span0": 64, "span1": 64])
        let pe = e0.map("products", withProducts) { e in
            let visits: Bits = e.count0 * e.count1
            let span0: Bits = (e.count0 &- 1) * e.stride0
            let span1: Bits = (e.count1 &- 1) * e.stride1
            return e.values + [visits, span0, span1]
        }.stage("pe")

        // ...then the sums and comparisons.
        let p = pe.payload
        // One carry chain per sum, in this order: grouping the pattern's sum as
        // (addr + len) + (span0 + span1) costs Yosys 170 more LUT4 and the walker 8 MHz.
        let withSpan0: Bits = p.addr.zeroExtended(to: 66) &+ p.span0.zeroExtended(to: 66)
        let withSpans: Bits = withSpan0 &+ p.span1.zeroExtended(to: 66)
        let patternTop: Bits = withSpans &+ p.len.zeroExtended(to: 66)
        let plainTop: Bits = p.addr.zeroExtended(to: 66) &+ p.len.zeroExtended(to: 66)
        let top = mux(p.kind == SGKind.pattern, patternTop, plainTop)
        let beyondTop = top[65] | (top[64] & (top[63, 0] != 0))
        let checked = entry.appending(["too_many_visits": 1, "beyond_top": 1])
        return pe.map("checked", checked) { p in
            Array(p.values.prefix(entry.fields.count)) + [p.visits > m.lit(maxVisits, width: 64), beyondTop]
        }.stage("e")
    }
}
