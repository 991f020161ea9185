import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// Seeded random regressions of `completion_engine` with random back-pressure on every
/// stream, compared every cycle with the cycle model and at the end with the reference.
@Suite(.serialized) struct CompletionEngineRandomTests {
    /// `target`: the `loom sim` target with this mix, for the reproduce line.
    func run(_ name: String, seed: UInt64, mix: CompletionStimulus.RandomMix, ackTimeout: Int = 0, target: String = "completion_engine") throws -> RunResult {
        let runner = LockstepRunner(cycleLimit: 400_000, watchdogCycles: 5_000)
        return try runner.run(test: name, seed: seed, reproduce: "loom sim \(target) --seed \(seed) --cycles \(mix.posts)") {
            try AdapterTests.completionRandom(seed: seed, mix: mix, ackTimeout: ackTimeout)
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
        let r = try run("completion-wrap", seed: 11, mix: mix, target: "completion_engine_wrap")
        #expect(r.passed, "\(r.report)")
        #expect(!r.uncovered.contains("PSN wrap"))
    }

    @Test func poolExhaustionAndCqBackPressure() throws {
        var mix = CompletionStimulus.RandomMix()
        mix.ackPercent = 4
        mix.cqeReadyPercent = 30
        let r = try run("completion-pressure", seed: 21, mix: mix, target: "completion_engine_pressure")
        #expect(r.passed, "\(r.report)")
        #expect(!r.uncovered.contains("pool full back-pressure"))
        #expect(!r.uncovered.contains("CQE back-pressure"))
    }

    @Test func errorsNaksAndResets() throws {
        var mix = CompletionStimulus.RandomMix()
        mix.nakPercent = 25
        mix.localErrorPercent = 8
        mix.outOfRangePercent = 6
        let r = try run("completion-errors", seed: 31, mix: mix, target: "completion_engine_errors")
        #expect(r.passed, "\(r.report)")
        for bin in ["NAK fails a record", "flush", "local error record", "qp_reset clears ERROR", "post to QP out of range", "stale NAK ignored"] {
            #expect(!r.uncovered.contains(bin), "never exercised: \(bin)")
        }
    }

    /// Rule 13 under random traffic: lerr beats for QPs with and without records, out of
    /// range and with syndrome 0 (`loom sim completion_engine_lerr`).
    @Test(arguments: [UInt64(5), 6])
    func randomLocalErrors(seed: UInt64) throws {
        var mix = CompletionStimulus.RandomMix()
        mix.posts = 1500
        mix.lerrPercent = 8
        let r = try run("completion-lerr", seed: seed, mix: mix, target: "completion_engine_lerr")
        #expect(r.passed, "\(r.report)")
        #expect(!r.uncovered.contains("lerr fails the newest record"))
        #expect(!r.uncovered.contains("lerr that changes nothing"))
    }

    /// Rule 14 under random traffic: ACKs too rare to beat a 48-cycle timeout
    /// (`loom sim completion_engine_timeout`).
    @Test func randomAckTimeouts() throws {
        var mix = CompletionStimulus.RandomMix()
        mix.posts = 1200
        mix.ackPercent = 6
        mix.lerrPercent = 3
        let r = try run("completion-timeout", seed: 9, mix: mix, ackTimeout: 48, target: "completion_engine_timeout")
        #expect(r.passed, "\(r.report)")
        #expect(!r.uncovered.contains("ACK timeout"))
    }
}
