import ArgumentParser
import Foundation
import LoomCosim

struct SimCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "sim",
            abstract: "Run one lockstep test: Verilator against its Swift model, every output, every cycle.",
            discussion: """
            The first mismatch stops the run and prints the cycle, port, expected and actual values, the seed,
            the command that reproduces it and a waveform of the cycles around it.
            Example: \(LoomCommand.project.name) sim \(LoomCommand.project.tests.first?.name ?? "counter") --seed 7 --cycles 100000 --wave run.vcd
            """)
    }

    @Argument(help: "The test to run (see `list`).")
    var test: String

    @Option(help: "Random seed (an unsigned 64-bit integer); one seed drives Swift and Verilator.")
    var seed: UInt64 = 1

    @Option(help: "Length of the run: what the test counts, cycles or work items (default: the test's own length).")
    var cycles: Int?

    @Option(help: "Write a VCD waveform of the whole run to this file.")
    var wave: String?

    @Option(help: ArgumentHelp("Co-simulate the Verilog in this directory instead of Loom's: <design>.v or .sv, or the files listed in <design>.f. Its ports must match the design's.", valueName: "dir"))
    var rtl: String?

    func validate() throws {
        if LoomCommand.project.test(named: test) == nil { throw ValidationError(unknownTest(test)) }
        try validateRTL(rtl)
        if let cycles, cycles < 1 { throw ValidationError("--cycles must be at least 1, got \(cycles)") }
    }

    func run() throws {
        let target = LoomCommand.project.test(named: test)!
        if let rtl, !ExternalRTL.implements(target.design, in: rtlURL(rtl)) {
            throw ValidationError("\(rtl) has no \(target.design).v, \(target.design).sv or \(target.design).f for design '\(target.design)'")
        }
        let result = try target.run(seed: seed, length: cycles, compiler: LockstepTest.compiler(rtl: rtl.map(rtlURL)), wave: wave)
        print(Regression.table([result]))
        if !result.uncovered.isEmpty { print("not covered: \(result.uncovered.joined(separator: ", "))") }
        if !result.passed {
            print(result.report)
            throw ExitCode(1)
        }
        if let wave { print("waveform: \(wave)") }
    }
}

struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Run every lockstep test at several seeds; print a summary table, write JUnit XML.",
        discussion: "Exits non-zero when any test fails. Example: regress --seeds 1,2,3 --junit out/junit.xml")

    @Option(help: "Comma-separated seeds.", transform: parseSeeds)
    var seeds: [UInt64] = [1, 2]

    @Option(help: "Cycles per test (default: each test's own length).")
    var cycles: Int?

    @Option(help: "Only tests whose name contains this text.")
    var filter: String?

    @Option(help: "Where to write the JUnit XML report.")
    var junit: String = ".build/loom-regress.xml"

    @Option(help: ArgumentHelp("Co-simulate the Verilog in this directory instead of Loom's, for every design it implements (<design>.v, .sv or .f); the other tests are left out.", valueName: "dir"))
    var rtl: String?

    @Option(help: ArgumentHelp("Run only the K-th of N disjoint slices of the test × seed matrix (for a CI matrix or an array job).", valueName: "K/N"),
            transform: Shard.init(parsing:))
    var shard: Shard?

    @Option(help: "Run the matrix as this many shards in parallel processes, then merge their reports.")
    var jobs = 1

    @Flag(help: "Print the tests of the (sharded) matrix, one per line, and run nothing.")
    var list = false

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Merge these JUnit reports (from shards) into --junit and print the totals; run nothing.", valueName: "report"))
    var merge: [String] = []

    func validate() throws {
        try validateRTL(rtl)
        if seeds.isEmpty { throw ValidationError("--seeds needs at least one seed") }
        if let cycles, cycles < 1 { throw ValidationError("--cycles must be at least 1, got \(cycles)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if jobs > 1 && shard != nil { throw ValidationError("--jobs splits the matrix itself; leave out --shard") }
    }

    /// The test × seed matrix, in a fixed order: tests as listed, each at every seed.
    func matrix() throws -> [(target: LockstepTest, seed: UInt64)] {
        let targets = LoomCommand.project.tests.filter { t in
            (filter == nil || t.name.contains(filter!)) && (rtl == nil || ExternalRTL.implements(t.design, in: rtlURL(rtl!)))
        }
        if targets.isEmpty { throw ValidationError("no test matches '\(filter ?? "")'") }
        let all = targets.flatMap { t in seeds.map { (target: t, seed: $0) } }
        return shard.map { s in all.enumerated().filter { s.contains($0.offset) }.map(\.element) } ?? all
    }

    func run() throws {
        if !merge.isEmpty { return try mergeReports() }
        if list {
            for (t, seed) in try matrix() { print("\(t.name) seed \(seed)") }
            return
        }
        if jobs > 1 { return try runShardsInParallel() }
        let compiler = LockstepTest.compiler(rtl: rtl.map(rtlURL))
        let tests = try matrix().map { t, seed in RegressionTest(name: t.name, seed: seed) { try t.run(seed: seed, length: cycles, compiler: compiler) } }
        let results = Regression().run(tests)
        print(Regression.table(results))
        let url = URL(fileURLWithPath: junit)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Regression.junit(results).write(to: url, atomically: true, encoding: .utf8)
        print("JUnit report: \(junit)")
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
