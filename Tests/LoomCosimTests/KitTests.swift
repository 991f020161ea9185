import Foundation
@testable import LoomCosim
import Testing

/// The stimulus kit's scoreboards and coverage, and the text of co-simulation errors.
@Suite struct KitTests {
    @Test func inOrderScoreboardFlagsOrderLossAndExtras() {
        let s = InOrderScoreboard<Int>("beats")
        for v in [1, 2, 3] { s.expect(v) }
        s.actual(1, cycle: 10)
        s.actual(3, cycle: 11)
        s.finish()
        #expect(s.failures == ["beats: cycle 11: expected 2, got 3", "beats: 1 expected item(s) never arrived, first 3"])
        s.actual(9, cycle: 12)
        #expect(s.failures.last == "beats: cycle 12: expected 3, got 9")
    }

    /// A custom match: a negative item stands for "any prefix of the items before it, then
    /// this error", as the walker's and translator's error answers are scored.
    @Test func inOrderScoreboardWithACustomMatch() {
        let s = InOrderScoreboard<[Int]>("answers") { want, got in
            guard let error = want.last, error < 0 else { return want == got }
            return got.last == error && got.count <= want.count && Array(want.prefix(got.count - 1)) == Array(got.dropLast())
        }
        for _ in 0..<4 { s.expect([1, 2, -5]) }
        s.actual([1, 2, -5], cycle: 1)
        s.actual([1, -5], cycle: 2)
        s.actual([-5], cycle: 3)
        #expect(s.failures == [])
        s.actual([2, -5], cycle: 4)
        #expect(s.failures == ["answers: cycle 4: expected [1, 2, -5], got [2, -5]"])
        #expect(s.matched == 3)
    }

    @Test func anyOrderScoreboardAcceptsAnyOrderButNotExtras() {
        let s = AnyOrderScoreboard<String>("cqes")
        for v in ["a", "b", "b"] { s.expect(v) }
        s.actual("b", cycle: 1)
        s.actual("a", cycle: 2)
        s.actual("c", cycle: 3)
        s.finish()
        #expect(s.failures == ["cqes: cycle 3: unexpected c", "cqes: 1 expected item(s) never arrived"])
    }

    @Test func coverageCountsAndReportsMissingBins() {
        let c = Coverage(["x", "y"])
        c.hit("x", 3)
        c.hit("z")
        #expect(c.summary == "2/3 bins")
        #expect(c.missing == ["y"])
        #expect(c.counts["x"] == 3)
    }

    @Test func toolFailureIsShortenedWithTheCommandToRerun() {
        let output = (1...40).map { "line \($0)" }.joined(separator: "\n")
        let e = CosimError.toolFailed(step: "verilating top", output: output, command: "verilator --cc top.v")
        let text = e.description
        #expect(text.hasPrefix("verilating top failed:\nline 1\n"))
        #expect(text.contains("line 15\n... (25 more lines)\nrerun with:\n  verilator --cc top.v"))
        #expect(!text.contains("line 16\n"))
    }

    @Test func missingOrOldVerilatorSaysHowToInstall() {
        #expect(CosimError.verilatorMissing.description.contains("apt-get install -y verilator"))
        #expect(CosimError.verilatorTooOld(found: "4.038").description == "Verilator 4.038 is older than supported (5.0 or later). Install a newer one with `apt-get install -y verilator` (Debian 12 ships 5.006).")
    }

    @Test func seededRandomIsReproducible() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
    }

    @Test func junitReportCarriesSeedAndRate() {
        let r = RunResult(test: "t<1>", seed: 7, cycles: 1000, seconds: 0.5, outcome: .mismatch, mismatch: nil, failures: [],
                          message: "cycle 3: port 'x'", reproduce: "loom sim t --seed 7", waveform: nil, coverage: "1/2 bins", uncovered: ["b"])
        let xml = Regression.junit([r])
        #expect(xml.contains("<testsuite name=\"loom-regress\" tests=\"1\" failures=\"1\""))
        #expect(xml.contains("name=\"t&lt;1&gt; seed 7\""))
        #expect(xml.contains("<property name=\"seed\" value=\"7\"/>"))
        #expect(xml.contains("<property name=\"cycles_per_second\" value=\"2000\"/>"))
        #expect(xml.contains("<failure message=\"cycle 3: port 'x'\">FAIL t&lt;1&gt; seed 7: cycle 3: port 'x'"))
        let table = Regression.table([r])
        #expect(table.contains("FAIL"))
        #expect(table.contains("1 FAIL"))
    }
}
