import Loom
import LoomCosim
import LoomSim
import Testing

/// `lowestSet` through the native simulator: every input pattern for small counts (powers of
/// two and not), random ones for 16 and 37, against the lowest set bit computed in Swift.
@Suite struct LowestSetTests {
    func check(count: Int, patterns: [UInt64]) throws {
        let design = try elaborate(Probe(name: "lowest_set", isCombinational: true) { m in
            let requests = m.input("requests", width: count)
            let pick = lowestSet((0..<count).map { requests[$0] })
            m.output("found", width: 1).drive(pick.found)
            m.output("index", width: pick.index.width).drive(pick.index)
        })
        let sim = Simulator(design)
        for pattern in patterns {
            sim.poke("requests", pattern)
            #expect(sim.peek("found") == (pattern != 0 ? 1 : 0), "count \(count), requests \(pattern)")
            if pattern != 0 {
                #expect(sim.peek("index") == UInt64(pattern.trailingZeroBitCount), "count \(count), requests \(pattern)")
            }
        }
    }

    @Test func everyPatternOfSmallCounts() throws {
        for count in 1...7 { try check(count: count, patterns: Array(0..<(UInt64(1) << UInt64(count)))) }
    }

    @Test func randomPatternsOfLargerCounts() throws {
        var rng = SeededRandom(seed: 11)
        for count in [16, 37] {
            let patterns = (0..<500).map { k in
                // Sparse patterns too, so high positions win often.
                (k % 2 == 0 ? rng.next() : rng.next() & rng.next() & rng.next() & rng.next()) & mask(count)
            }
            try check(count: count, patterns: patterns + [1 << UInt64(count - 1)])
        }
    }

    @Test func indexWidthFitsTheCount() throws {
        _ = try elaborate(Probe(name: "width_probe", isCombinational: true) { m in
            let requests = m.input("requests", width: 16)
            #expect(lowestSet((0..<16).map { requests[$0] }).index.width == 4)
            #expect(lowestSet([requests[0]]).index.width == 1)
            m.output("y", width: 16).drive(requests)
        })
    }
}

/// `lowestSet(_:carrying:)`: the value of the lowest request that is 1 comes out of the tree.
@Suite struct LowestSetCarryingTests {
    @Test(arguments: [3, 16])
    func theLowestRequestsValueComesOut(count: Int) throws {
        // Each request's value is distinct: 5·i + 1 in 8 bits.
        let design = try elaborate(Probe(name: "lowest_set_carrying", isCombinational: true) { m in
            let requests = m.input("requests", width: count)
            let pick = lowestSet((0..<count).map { requests[$0] }, carrying: (0..<count).map { m.lit(UInt64(5 * $0 + 1), width: 8) })
            m.output("found", width: 1).drive(pick.found)
            m.output("index", width: pick.index.width).drive(pick.index)
            m.output("value", width: 8).drive(pick.value)
        })
        let sim = Simulator(design)
        let patterns: [UInt64] = count <= 8 ? Array(1..<(UInt64(1) << UInt64(count))) : (0..<count).flatMap { [1 << UInt64($0), mask(count) << UInt64($0) & mask(count)] }
        for pattern in patterns {
            sim.poke("requests", pattern)
            let lowest = UInt64(pattern.trailingZeroBitCount)
            #expect(sim.peek("found") == 1 && sim.peek("index") == lowest && sim.peek("value") == 5 * lowest + 1, "requests \(pattern)")
        }
    }
}

/// A value list that does not match the requests is an error at the caller's line.
@Suite struct LowestSetDiagnosticsTests {
    @Test func oneValuePerRequest() {
        let line = #line + 3
        let found = diagnostics(Probe(name: "mismatch", isCombinational: true) { m in
            let requests = m.input("requests", width: 4)
            let pick = lowestSet((0..<4).map { requests[$0] }, carrying: [requests[0], requests[1]])
            m.output("y", width: 1).drive(pick.value)
        })
        #expect(found == ["LoomTests/LowestSetTests.swift:\(line): error: lowestSet carries one value per request: 2 values for 4 requests"])
    }
}
