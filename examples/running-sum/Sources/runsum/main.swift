import Loom
import LoomCLI
import LoomCosim

// `runsum list | emit | lint | sim | regress | bench | synth`, over this package's design.
LoomCommand.main(
    designs: [ProjectDesign("running_sum") { try elaborate(RunningSum()) }],
    tests: [
        LockstepTest("running_sum", design: "running_sum", defaultLength: 5_000, cycleLimit: { $0 * 20 + 1_000 }) { seed, samples, compiler in
            let rtl = try VerilatedModel(try elaborate(RunningSum()), seed: seed, compiler: compiler)
            let model = try WiredModel(rtl.layout, RunningSumModel(), interface: RunningSumInterface.init)
            return .init(rtl: rtl, model: model, stimulus: try RunningSumBench(rtl.layout, seed: seed, samples: samples))
        },
    ])
