import Adapter
import AdapterModel
import Loom
import LoomCosim

/// The adapter's lockstep tests, shared by `loom sim`, `loom regress` and `swift test`.
public enum AdapterTests {
    /// The completion engine under random traffic, against its cycle model and reference.
    public static func completionRandom(seed: UInt64, mix: CompletionStimulus.RandomMix = .init(), qps: Int = 16, records: Int = 64, cqDepth: Int = 64,
                                        compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(CompletionEngine(qps: qps, records: records, cqDepth: cqDepth))
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        return .init(rtl: rtl, model: CompletionEngineCycleModel(rtl.layout, qps: qps, records: records, cqDepth: cqDepth),
                     stimulus: CompletionStimulus(rtl.layout, qps: qps, cqDepth: cqDepth, seed: seed, mix: mix))
    }

    /// The completion engine running a directed script.
    public static func completionDirected(_ steps: [CompletionStimulus.Step], seed: UInt64 = 1, cqeReadyPercent: Int = 100, drain: Bool = true,
                                          qps: Int = 16, records: Int = 64, cqDepth: Int = 64) throws -> LockstepRunner.Parts {
        let design = try elaborate(CompletionEngine(qps: qps, records: records, cqDepth: cqDepth))
        let rtl = try VerilatedModel(design, seed: seed)
        let stimulus = CompletionStimulus(rtl.layout, qps: qps, cqDepth: cqDepth, seed: seed, steps: steps, cqeReadyPercent: cqeReadyPercent)
        stimulus.drains = drain
        return .init(rtl: rtl, model: CompletionEngineCycleModel(rtl.layout, qps: qps, records: records, cqDepth: cqDepth), stimulus: stimulus)
    }
}
