import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// Seeded random regressions of `completion_engine` with random back-pressure on every
/// stream, compared every cycle with the cycle model and at the end with the reference.
@Suite(.serialized) struct CompletionEngineRandomTests {
    func run(_ name: String, seed: UInt64, mix: CompletionStimulus.RandomMix) throws -> RunResult {
        let runner = LockstepRunner(cycleLimit: 400_000, watchdogCycles: 5_000)
        return try runner.run(test: name, seed: seed, reproduce: "loom sim completion_engine --seed \(seed)") {
            try AdapterTests.completionRandom(seed: seed, mix: mix)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mixedTraffic(seed: UInt64) throws {
        let r = try run("completion-mixed", seed: seed, mix: .init())
        #expect(r.passed, "\(r.report)")
    }

    @Test func psnWrapAround() throws {
        var mix = CompletionStimulus.RandomMix()
        mix.firstPsn = 0xff_ffc0
        let r = try run("completion-wrap", seed: 11, mix: mix)
        #expect(r.passed, "\(r.report)")
        #expect(!r.uncovered.contains("PSN wrap"))
    }

    @Test func poolExhaustionAndCqBackPressure() throws {
        var mix = CompletionStimulus.RandomMix()
        mix.ackPercent = 4
        mix.cqeReadyPercent = 30
        let r = try run("completion-pressure", seed: 21, mix: mix)
        #expect(r.passed, "\(r.report)")
        #expect(!r.uncovered.contains("pool full back-pressure"))
        #expect(!r.uncovered.contains("CQE back-pressure"))
    }

    @Test func errorsNaksAndResets() throws {
        var mix = CompletionStimulus.RandomMix()
        mix.nakPercent = 25
        mix.localErrorPercent = 8
        mix.outOfRangePercent = 6
        let r = try run("completion-errors", seed: 31, mix: mix)
        #expect(r.passed, "\(r.report)")
        for bin in ["NAK fails a record", "flush", "local error record", "qp_reset clears ERROR", "post to QP out of range", "stale NAK ignored"] {
            #expect(!r.uncovered.contains(bin), "never exercised: \(bin)")
        }
    }
}
