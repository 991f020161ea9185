import Adapter
import Foundation
import Loom
import LoomCosim
import Testing

/// LoomSim and Verilator agree on every output of every adapter block (and of the composed
/// gather path) under random inputs: the emitter and the simulator checked on real designs.
@Suite(.serialized) struct AdapterDifferentialTests {
    static let designs: [(String, () throws -> Design)] = [
        ("mkey_translator", { try elaborate(MKeyTranslator()) }),
        ("sg_walker", { try elaborate(SGWalker()) }),
        ("completion_engine", { try elaborate(CompletionEngine()) }),
        ("gather_path", { try elaborate(GatherPath()) }),
    ]

    @Test(arguments: 0..<4)
    func simulatorAndVerilatorAgree(which: Int) throws {
        let (name, make) = Self.designs[which]
        let design = try make()
        let runner = LockstepRunner(cycleLimit: 10_000)
        let r = try runner.run(test: "diff-\(name)", seed: 5, reproduce: "swift test --filter AdapterDifferentialTests") {
            let rtl = try VerilatedModel(design, seed: 5)
            return .init(rtl: rtl, model: SimulatorModel(design), stimulus: RandomInputStimulus(rtl.layout, seed: 5, cycles: 3000, resetEvery: 1000))
        }
        #expect(r.passed, "\(name): \(r.report)")
    }
}
