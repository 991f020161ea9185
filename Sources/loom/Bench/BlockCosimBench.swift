import Foundation
import LoomCosim

/// The adapter blocks' co-simulation speed, split into its parts: the Verilated model
/// alone on a recorded input trace, the same trace in lockstep with the block's cycle
/// model, and the whole regression test (stimulus, reference model and scoreboards too).
enum BlockCosimBench {
    struct Row {
        let block: String
        let cycles: Int
        let verilatorAlone: Double, lockstep: Double, regression: Double
    }

    static let blocks = ["mkey_translator", "sg_walker", "completion_engine", "exec_unit", "dc_initiator", "adapter"]

    /// One block: a first run at the default size sets how much work gives about
    /// `targetCycles`; then each measurement is the best of `repeats`.
    static func measure(_ name: String, seed: UInt64, targetCycles: Int, repeats: Int) throws -> Row {
        guard let target = SimTargets.named(name) else { throw CosimBenchError.failed(name, "there is no lockstep test of that name") }
        let probe = try SimTargets.run(target, seed: seed, cycles: nil)
        guard probe.passed else { throw CosimBenchError.failed(name, probe.report) }
        let work = max(1, Int((Double(target.defaultCycles) * Double(targetCycles) / Double(max(probe.cycles, 1))).rounded()))

        var regression = 0.0
        for _ in 0..<repeats {
            let r = try SimTargets.run(target, seed: seed, cycles: work)
            guard r.passed else { throw CosimBenchError.failed(name, r.report) }
            regression = max(regression, r.cyclesPerSecond)
        }

        // Record the inputs of one more run of the same test.
        var recorder: InputRecorder?
        let runner = LockstepRunner(cycleLimit: target.cycleLimit(work))
        let recorded = try runner.run(test: name, seed: seed, reproduce: "") {
            let parts = try target.make(seed, work)
            let r = InputRecorder(parts.stimulus, words: parts.rtl.layout.inputWords, limit: targetCycles * 2)
            recorder = r
            return .init(rtl: parts.rtl, model: parts.model, stimulus: r)
        }
        guard recorded.passed, let trace = recorder?.trace else { throw CosimBenchError.failed(name, recorded.report) }

        func replay(withModel: Bool) throws -> Double {
            let r = try LockstepRunner(cycleLimit: trace.cycles + 1).run(test: name, seed: seed, reproduce: "") {
                let parts = try target.make(seed, work)
                return .init(rtl: parts.rtl, model: withModel ? parts.model : NoSecondModel(), stimulus: InputReplay(trace))
            }
            guard r.passed else { throw CosimBenchError.failed(name, r.report) }
            return r.cyclesPerSecond
        }
        // Alternated, so that a slow spell of the machine falls on both alike.
        var alone = 0.0, lockstep = 0.0
        for _ in 0..<repeats {
            alone = max(alone, try replay(withModel: false))
            lockstep = max(lockstep, try replay(withModel: true))
        }
        return Row(block: name, cycles: trace.cycles, verilatorAlone: alone, lockstep: lockstep, regression: regression)
    }

    static func print(_ rows: [Row], repeats: Int) {
        Swift.print("adapter blocks, co-simulation speed (best of \(repeats); ratios to the Verilated model alone on the same inputs):")
        Swift.print("  block               trace cycles   Verilator alone   lockstep with cycle model   whole regression test")
        for r in rows {
            let name = r.block.padding(toLength: 18, withPad: " ", startingAt: 0)
            Swift.print(String(format: "  %@  %12d   %8.2f M/s       %8.2f M/s  (%.2f)       %8.2f M/s  (%.2f)",
                               name, r.cycles, r.verilatorAlone / 1e6, r.lockstep / 1e6, r.lockstep / r.verilatorAlone,
                               r.regression / 1e6, r.regression / r.verilatorAlone))
        }
    }
}

enum CosimBenchError: Error, CustomStringConvertible {
    case failed(String, String)
    var description: String {
        switch self {
        case let .failed(name, report): return "\(name) did not pass while being measured:\n\(report)"
        }
    }
}
