import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// Seeded random end-to-end regressions of the `adapter` (`AdapterScenario`): 16 DCIs and
/// six targets in both handshakes, random SG lists over direct and nested indirect keys,
/// random PMTU, sizes (0 and exact multiples too), ACK and host-memory latency, random
/// back-pressure on `tx`, `txd`, `cqe` and `dma_req`, and occasional faults; every run
/// scored by the end-to-end bench.
@Suite(.serialized) struct AdapterRandomTests {
    func check(_ name: String, seed: UInt64, requireAllBins: Bool = false, _ tweak: (inout AdapterScenario.Mix) -> Void = { _ in }) throws {
        var mix = AdapterScenario.Mix()
        tweak(&mix)
        let r = try LockstepRunner(cycleLimit: 2_000_000, watchdogCycles: 20_000)
            .run(test: name, seed: seed, reproduce: "loom sim \(name) --seed \(seed) --cycles \(mix.requests)") { try AdapterTests.adapterRandom(seed: seed, mix: mix) }
        #expect(r.passed, "\(r.report)")
        if requireAllBins { #expect(r.uncovered.isEmpty, "not exercised: \(r.uncovered)") }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomPmtu(seed: UInt64) throws { try check("adapter", seed: seed) }

    @Test func pmtu256() throws { try check("adapter_pmtu_256", seed: 4, requireAllBins: true) { $0.pmtuCode = 1 } }

    @Test func backPressureEverywhere() throws {
        try check("adapter_pressure", seed: 5) { $0.txReadyPercent = 30; $0.txdReadyPercent = 30; $0.cqeReadyPercent = 30; $0.dmaRspValidPercent = 40; $0.dmaReqReadyPercent = 40 }
    }

    @Test func manyFaults() throws { try check("adapter_faults", seed: 2, requireAllBins: true) { $0.faultPercent = 25; $0.pmtuCode = 1; $0.strayRxPercent = 3 } }

    @Test func shortRandomRunAgreesWithTheNativeSimulator() throws {
        // Besides the cycle model (every other run), the native simulator follows the RTL on
        // every output of every cycle of a short random run.
        var mix = AdapterScenario.Mix()
        (mix.requests, mix.pmtuCode) = (16, 1)
        let r = try LockstepRunner(cycleLimit: 200_000, watchdogCycles: 20_000)
            .run(test: "adapter-lockstep", seed: 9, reproduce: "swift test --filter shortRandomRunAgreesWithTheNativeSimulator") { try AdapterTests.adapterRandom(seed: 9, mix: mix, second: .nativeSimulator) }
        #expect(r.passed, "\(r.report)")
        #expect(r.cycles > 500)
    }
}
