import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// Seeded random regressions of `exec_unit`: thousands of messages over 16 QPs (and some
/// beyond), random segment splits and gather faults, random gaps on `wr` and `gseg` and
/// random back-pressure on every output; compared every cycle with the cycle model and
/// scored by `ExecReference` and the cross-stream rules.
@Suite(.serialized) struct ExecUnitRandomTests {
    func check(_ name: String, seed: UInt64, _ tweak: (inout ExecStimulus.RandomMix) -> Void = { _ in }) throws {
        var mix = ExecStimulus.RandomMix()
        tweak(&mix)
        try expectRandomRunPasses(name, seed: seed, work: mix.messages) { try AdapterTests.execRandom(seed: seed, mix: mix) }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func thousandsOfMessages(seed: UInt64) throws { try check("exec_unit", seed: seed) }

    @Test(arguments: [UInt8(0), 2, 3, 4, 5, 7])
    func everyPmtu(code: UInt8) throws {
        try check("exec_unit", seed: 10 + UInt64(code)) { $0.pmtuCode = code; $0.messages = 800; $0.maxPackets = code >= 4 ? 2 : 4 }
    }

    @Test func heavyBackPressure() throws {
        try check("exec_unit_pressure", seed: 5) { $0.dmaReadyPercent = 25; $0.pktReadyPercent = 30; $0.postReadyPercent = 35; $0.lerrReadyPercent = 20; $0.wrValidPercent = 50 }
    }

    @Test func manyFaults() throws { try check("exec_unit_faults", seed: 6) { $0.faultPercent = 45; $0.preFailedPercent = 10 } }

    @Test func qpErrorPulses() throws { try check("exec_unit_qp_error", seed: 7) { $0.errorPulsesPerMille = 30 } }
}
