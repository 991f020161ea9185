import Foundation

/// One entry of a regression: a named test at a seed.
public struct RegressionTest {
    public let name: String
    public let seed: UInt64
    public let run: () throws -> RunResult

    public init(name: String, seed: UInt64, run: @escaping () throws -> RunResult) {
        self.name = name
        self.seed = seed
        self.run = run
    }
}

/// Runs tests one after another with a progress line, then prints a summary table and
/// writes a JUnit XML report.
public struct Regression {
    public var print: (String) -> Void
    public var progress: (String) -> Void

    public init(print: @escaping (String) -> Void = { Swift.print($0) },
                progress: @escaping (String) -> Void = Regression.terminalProgress) {
        self.print = print
        self.progress = progress
    }

    /// Rewrites one status line on a terminal; says nothing when stderr is a log file.
    public static func terminalProgress(_ line: String) {
        guard isatty(2) != 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    public func run(_ tests: [RegressionTest]) -> [RunResult] {
        var results: [RunResult] = []
        for (i, t) in tests.enumerated() {
            progress("[\(i + 1)/\(tests.count)] \(t.name) seed \(t.seed) ...")
            let r: RunResult
            do {
                r = try t.run()
            } catch {
                r = RunResult(test: t.name, seed: t.seed, cycles: 0, seconds: 0, outcome: .checkFailed, mismatch: nil,
                              failures: ["\(error)"], message: "\(error)".split(separator: "\n").first.map(String.init) ?? "error",
                              reproduce: "", waveform: nil, coverage: "-", uncovered: [])
            }
            results.append(r)
            if !r.passed { progress(""); print(r.report.split(separator: "\n").joined(separator: "\n")) }
        }
        progress("")
        return results
    }

    /// The summary table: test, seed, cycles, cycles/s, result, coverage.
    public static func table(_ results: [RunResult]) -> String {
        let header = ["test", "seed", "cycles", "cycles/s", "result", "coverage"]
        var rows = results.map { r in
            [r.test, String(r.seed), String(r.cycles), formatRate(r.cyclesPerSecond), r.passed ? "pass" : "FAIL", r.coverage]
        }
        let failed = results.filter { !$0.passed }.count
        let total = results.reduce(0) { $0 + $1.cycles }
        let seconds = results.reduce(0) { $0 + $1.seconds }
        rows.append(["total: \(results.count) tests", "", String(total), formatRate(seconds > 0 ? Double(total) / seconds : 0),
                     failed == 0 ? "all pass" : "\(failed) FAIL", ""])
        var widths = header.map(\.count)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == 0 || i == 4 || i == 5 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.dropLast().map(line) + [rule, line(rows.last!)]).joined(separator: "\n")
    }

    static func formatRate(_ r: Double) -> String {
        if r >= 1e6 { return String(format: "%.2fM", r / 1e6) }
        if r >= 1e3 { return String(format: "%.1fk", r / 1e3) }
        return String(format: "%.0f", r)
    }

    /// JUnit XML with seed and cycles/s as properties of each test case.
    public static func junit(_ results: [RunResult], suite: String = "loom-regress") -> String {
        let esc = JUnitReport.escaped
        let failures = results.filter { !$0.passed }.count
        let time = results.reduce(0) { $0 + $1.seconds }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuite name=\"\(suite)\" tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(String(format: "%.3f", time))\">\n"
        for r in results {
            x += "  <testcase classname=\"\(suite)\" name=\"\(esc(r.test)) seed \(r.seed)\" time=\"\(String(format: "%.3f", r.seconds))\">\n"
            x += "    <properties><property name=\"seed\" value=\"\(r.seed)\"/><property name=\"cycles\" value=\"\(r.cycles)\"/>"
            x += "<property name=\"cycles_per_second\" value=\"\(Int(r.cyclesPerSecond))\"/><property name=\"coverage\" value=\"\(esc(r.coverage))\"/></properties>\n"
            if !r.passed { x += "    <failure message=\"\(esc(r.message))\">\(esc(r.report))</failure>\n" }
            x += "  </testcase>\n"
        }
        return x + "</testsuite>\n"
    }
}
