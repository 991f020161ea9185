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
        let plainTop: Bits = p.addr.zeroExtended(to: 66) &+ p.len.zeroExtended(to: 66)
        let spans: Bits = p.span0.zeroExtended(to: 66) &+ p.span1.zeroExtended(to: 66)
        let top = mux(p.kind == SGKind.pattern, plainTop &+ spans, plainTop)
        let beyondTop = top[65] | (top[64] & (top[63, 0] != 0))
        let checked = entry.appending(["too_many_visits": 1, "beyond_top": 1])
        return pe.map("checked", checked) { p in
            Array(p.values.prefix(entry.fields.count)) + [p.visits > m.lit(maxVisits, width: 64), beyondTop]
        }.stage("e")
    }
}
