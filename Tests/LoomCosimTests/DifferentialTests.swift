import Examples
import Foundation
import Loom
import LoomCosim
import Testing

/// LoomSim and Verilator agree on every output of every example on every cycle: a test of
/// the emitter and of the simulator at once.
@Suite(.serialized) struct DifferentialTests {
    @Test(arguments: Examples.names, [UInt64(1), 2])
    func simulatorAndVerilatorAgree(name: String, seed: UInt64) throws {
        let design = try #require(try Examples.design(named: name))
        let runner = LockstepRunner(cycleLimit: 30_000)
        let result = try runner.run(test: "diff-\(name)", seed: seed, reproduce: "loom sim \(name) --seed \(seed)") {
            let rtl = try VerilatedModel(design, seed: seed)
            return .init(rtl: rtl, model: SimulatorModel(design), stimulus: RandomInputStimulus(rtl.layout, seed: seed, cycles: 20_000))
        }
        #expect(result.passed, "\(result.report)")
        #expect(result.cycles == 20_000)
    }
}
