import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// Seeded random regressions of `dc_initiator`: many QPs, targets and switches in both
/// handshake modes, dead targets and NAK-like errors, with random gaps on `wr` and random
/// back-pressure on `xwr` and `ctl`; compared every cycle with the cycle model and scored by
/// `DCReference` and the cross-stream rules.
@Suite(.serialized) struct DCInitiatorRandomTests {
    func check(_ name: String, seed: UInt64, _ tweak: (inout DCStimulus.RandomMix) -> Void = { _ in }) throws {
        var mix = DCStimulus.RandomMix()
        tweak(&mix)
        try expectRandomRunPasses(name, seed: seed, work: mix.requests) { try AdapterTests.dcRandom(seed: seed, mix: mix) }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func manyQpsAndTargets(seed: UInt64) throws { try check("dc_initiator", seed: seed) }

    @Test func heavyBackPressure() throws {
        try check("dc_initiator_pressure", seed: 5) { $0.xwrReadyPercent = 25; $0.ctlReadyPercent = 30; $0.wrValidPercent = 40 }
    }

    @Test func frequentSwitchesDeadTargetsAndErrors() throws {
        try check("dc_initiator_switches", seed: 7) { $0.switchPercent = 60; $0.deadTargetPercent = 10; $0.nakPerMille = 8 }
    }
}
