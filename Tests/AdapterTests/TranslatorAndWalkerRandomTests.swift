import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// Seeded random regressions of `mkey_translator` and `sg_walker` with random back-pressure
/// on every stream, compared every cycle with the cycle models and scored by the references.
@Suite(.serialized) struct TranslatorAndWalkerRandomTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func translatorOverRandomNestedTables(seed: UInt64) throws {
        var mix = MKeyScenario.Mix()
        mix.requestsPerRound = 1000   // 3000 requests per seed
        let r = try LockstepRunner(cycleLimit: 400_000, watchdogCycles: 5_000).run(test: "mkey-random", seed: seed, reproduce: "loom sim mkey_translator --seed \(seed) --cycles 1000") {
            try AdapterTests.mkeyRandom(seed: seed, mix: mix)
        }
        #expect(r.passed, "\(r.report)")
        #expect(r.uncovered.isEmpty, "not exercised: \(r.uncovered)")
    }

    @Test func translatorUnderHeavyBackPressure() throws {
        var mix = MKeyScenario.Mix()
        (mix.readyPercent, mix.validPercent, mix.badRequestPercent) = (20, 30, 40)
        let r = try LockstepRunner(cycleLimit: 400_000, watchdogCycles: 5_000).run(test: "mkey-pressure", seed: 9, reproduce: "loom sim mkey_translator_pressure --seed 9") {
            try AdapterTests.mkeyRandom(seed: 9, mix: mix)
        }
        #expect(r.passed, "\(r.report)")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func walkerOverRandomLists(seed: UInt64) throws {
        var mix = SGStimulus.RandomMix()
        mix.operations = 1000
        let r = try LockstepRunner(cycleLimit: 400_000, watchdogCycles: 5_000).run(test: "sg-random", seed: seed, reproduce: "loom sim sg_walker --seed \(seed) --cycles 1000") {
            try AdapterTests.sgRandom(seed: seed, mix: mix)
        }
        #expect(r.passed, "\(r.report)")
        #expect(r.uncovered.isEmpty, "not exercised: \(r.uncovered)")
    }

    @Test func walkerWithManyMalformedListsAndBackPressure() throws {
        var mix = SGStimulus.RandomMix()
        (mix.operations, mix.malformedPercent, mix.chunkReadyPercent, mix.sgeValidPercent) = (600, 40, 25, 40)
        let r = try LockstepRunner(cycleLimit: 400_000, watchdogCycles: 5_000).run(test: "sg-malformed", seed: 17, reproduce: "loom sim sg_walker_malformed --seed 17") {
            try AdapterTests.sgRandom(seed: 17, mix: mix)
        }
        #expect(r.passed, "\(r.report)")
    }
}
