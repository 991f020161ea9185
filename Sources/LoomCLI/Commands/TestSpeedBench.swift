import ArgumentParser
import Foundation
import LoomCosim

/// `bench tests`: each lockstep test's co-simulation speed, split into its parts: the
/// Verilated model alone on a recorded input trace, the test's Swift model alone on the same
/// trace, the two in lockstep, and the whole test (stimulus, reference models and scoreboards
/// too).
public struct TestSpeedBench: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tests",
        abstract: "Each lockstep test's speed: the Verilated model alone, its Swift model alone, the two in lockstep, and the whole test.")

    @Argument(help: "Tests to measure (default: every test).") var tests: [String] = []
    @Option(help: "Cycles of each test's recorded trace.") var cycles = 200_000
    @Option(help: "Seed of the runs.") var seed: UInt64 = 1
    @Option(help: "Measurements of each part (the best is reported).") var repeats = 3

    public init() {}

    public func validate() throws {
        if cycles < 1000 { throw ValidationError("--cycles must be at least 1000") }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        for t in tests where LoomCommand.project.test(named: t) == nil { throw ValidationError(unknownTest(t)) }
    }

    public func run() throws {
        let names = tests.isEmpty ? LoomCommand.project.tests.map(\.name) : tests
        let rows = try names.map { try Self.measure(LoomCommand.project.test(named: $0)!, seed: seed, targetCycles: cycles, repeats: repeats) }
        Self.print(rows, repeats: repeats)
    }

    public struct Row {
        public let test: String
        public let cycles: Int
        public let verilatorAlone: Double, modelAlone: Double, lockstep: Double, wholeTest: Double
    }

    /// One test: a first run at the default length sets how much work gives about
    /// `targetCycles`; then each measurement is the best of `repeats`.
    public static func measure(_ test: LockstepTest, seed: UInt64, targetCycles: Int, repeats: Int) throws -> Row {
        let compiler = LockstepTest.compiler()
        let probe = try test.run(seed: seed, compiler: compiler)
        guard probe.passed else { throw TestSpeedBenchError.failed(test.name, probe.report) }
        let work = max(1, Int((Double(test.defaultLength) * Double(targetCycles) / Double(max(probe.cycles, 1))).rounded()))

        var whole = 0.0
        for _ in 0..<repeats {
            let r = try test.run(seed: seed, length: work, compiler: compiler)
            guard r.passed else { throw TestSpeedBenchError.failed(test.name, r.report) }
            whole = max(whole, r.cyclesPerSecond)
        }

        // Record the inputs of one more run of the same test.
        var recorder: InputRecorder?
        let recorded = try LockstepRunner(cycleLimit: test.cycleLimit(work)).run(test: test.name, seed: seed, reproduce: "") {
            let parts = try test.make(seed, work, compiler)
            let r = InputRecorder(parts.stimulus, words: parts.rtl.layout.inputWords, limit: targetCycles * 2)
            recorder = r
            return .init(rtl: parts.rtl, model: parts.model, stimulus: r)
        }
        guard recorded.passed, let trace = recorder?.trace else { throw TestSpeedBenchError.failed(test.name, recorded.report) }

        func replay(withModel: Bool) throws -> Double {
            let r = try LockstepRunner(cycleLimit: trace.cycles + 1).run(test: test.name, seed: seed, reproduce: "") {
                let parts = try test.make(seed, work, compiler)
                return .init(rtl: parts.rtl, model: withModel ? parts.model : NoSecondModel(), stimulus: InputReplay(trace))
            }
            guard r.passed else { throw TestSpeedBenchError.failed(test.name, r.report) }
            return r.cyclesPerSecond
        }
        /// The Swift model on the trace with no Verilated model beside it: what the model
        /// itself costs, in a figure that the machine's noise moves less.
        func modelAlone() throws -> Double {
            let parts = try test.make(seed, work, compiler)
            var outputs = [UInt64](repeating: 0, count: parts.rtl.layout.outputWords)
            let n = trace.wordsPerCycle, model = parts.model
            let start = DispatchTime.now().uptimeNanoseconds
            trace.words.withUnsafeBufferPointer { all in
                outputs.withUnsafeMutableBufferPointer { o in
                    for c in 0..<trace.cycles { model.cycle(all.baseAddress! + c * n, o.baseAddress!) }
                }
            }
            return Double(trace.cycles) * 1e9 / Double(max(DispatchTime.now().uptimeNanoseconds - start, 1))
        }
        // Alternated, so that a slow spell of the machine falls on all alike.
        var alone = 0.0, model = 0.0, lockstep = 0.0
        for _ in 0..<repeats {
            alone = max(alone, try replay(withModel: false))
            model = max(model, try modelAlone())
            lockstep = max(lockstep, try replay(withModel: true))
        }
        return Row(test: test.name, cycles: trace.cycles, verilatorAlone: alone, modelAlone: model, lockstep: lockstep, wholeTest: whole)
    }

    public static func print(_ rows: [Row], repeats: Int) {
        Swift.print("co-simulation speed by test (best of \(repeats); ratios to the Verilated model alone on the same inputs):")
        Swift.print("  test                trace cycles   Verilator alone   model alone   lockstep with the model     whole test")
        for r in rows {
            let name = r.test.padding(toLength: 18, withPad: " ", startingAt: 0)
            Swift.print(String(format: "  %@  %12d   %8.2f M/s    %8.2f M/s     %8.2f M/s  (%.2f)       %8.2f M/s  (%.2f)",
                               name, r.cycles, r.verilatorAlone / 1e6, r.modelAlone / 1e6, r.lockstep / 1e6, r.lockstep / r.verilatorAlone,
                               r.wholeTest / 1e6, r.wholeTest / r.verilatorAlone))
        }
    }
}

enum TestSpeedBenchError: Error, CustomStringConvertible {
    case failed(String, String)
    var description: String {
        switch self {
        case let .failed(name, report): return "\(name) did not pass while being measured:\n\(report)"
        }
    }
}
