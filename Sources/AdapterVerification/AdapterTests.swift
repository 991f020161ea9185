import Adapter
import AdapterModel
import Loom
import LoomCosim

/// The adapter's lockstep tests, shared by `loom sim`, `loom regress` and `swift test`.
public enum AdapterTests {
    /// The completion engine under random traffic, against its cycle model and reference.
    public static func completionRandom(seed: UInt64, mix: CompletionStimulus.RandomMix = .init(), qps: Int = 16, records: Int = 64, cqDepth: Int = 64,
                                        ackTimeout: Int = 0, compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(CompletionEngine(qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout))
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        return .init(rtl: rtl, model: try CompletionEngineCycleModel(rtl.layout, qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout),
                     stimulus: try CompletionStimulus(rtl.layout, qps: qps, cqDepth: cqDepth, seed: seed, mix: mix, ackTimeout: ackTimeout))
    }

    /// The completion engine running a directed script.
    public static func completionDirected(_ steps: [CompletionStimulus.Step], seed: UInt64 = 1, cqeReadyPercent: Int = 100, drain: Bool = true,
                                          qps: Int = 16, records: Int = 64, cqDepth: Int = 64, ackTimeout: Int = 0) throws -> LockstepRunner.Parts {
        let design = try elaborate(CompletionEngine(qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout))
        let rtl = try VerilatedModel(design, seed: seed)
        let stimulus = try CompletionStimulus(rtl.layout, qps: qps, cqDepth: cqDepth, seed: seed, steps: steps, cqeReadyPercent: cqeReadyPercent)
        stimulus.drains = drain
        return .init(rtl: rtl, model: try CompletionEngineCycleModel(rtl.layout, qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout),
                     stimulus: stimulus)
    }
}

extension AdapterTests {
    /// The SG walker under random operations against its cycle model and the reference.
    public static func sgRandom(seed: UInt64, mix: SGStimulus.RandomMix = .init(), compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(SGWalker())
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        return .init(rtl: rtl, model: try SGWalkerCycleModel(rtl.layout), stimulus: try SGStimulus(rtl.layout, seed: seed, mix: mix))
    }

    /// The SG walker running directed operations.
    public static func sgDirected(_ operations: [[SGEntry]], seed: UInt64 = 1, chunkReadyPercent: Int = 100, sgeValidPercent: Int = 100,
                                  maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws -> LockstepRunner.Parts {
        let design = try elaborate(SGWalker(maxGroup: maxGroup, maxVisits: maxVisits))
        let rtl = try VerilatedModel(design, seed: seed)
        return .init(rtl: rtl, model: try SGWalkerCycleModel(rtl.layout, maxGroup: maxGroup, maxVisits: maxVisits),
                     stimulus: try SGStimulus(rtl.layout, seed: seed, operations: operations, chunkReadyPercent: chunkReadyPercent,
                                          sgeValidPercent: sgeValidPercent, maxGroup: maxGroup, maxVisits: maxVisits))
    }
}

extension AdapterTests {
    /// The memory-key translator over random tables and requests.
    public static func mkeyRandom(seed: UInt64, mix: MKeyScenario.Mix = .init(), compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(MKeyTranslator())
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        var scenario = MKeyScenario(seed: seed, mix: mix)
        return .init(rtl: rtl, model: try MKeyTranslatorCycleModel(rtl.layout),
                     stimulus: try MKeyStimulus(rtl.layout, seed: seed, phases: scenario.phases(), readyPercent: mix.readyPercent, validPercent: mix.validPercent))
    }

    /// The translator running directed phases with the given generator parameters.
    public static func mkeyDirected(_ phases: [MKeyStimulus.Phase], seed: UInt64 = 1, readyPercent: Int = 100, validPercent: Int = 100,
                                    maxIndirection: Int = 2, imaicl: Bool = true) throws -> LockstepRunner.Parts {
        let design = try elaborate(MKeyTranslator(maxIndirection: maxIndirection, imaicl: imaicl))
        let rtl = try VerilatedModel(design, seed: seed)
        return .init(rtl: rtl, model: try MKeyTranslatorCycleModel(rtl.layout, maxIndirection: maxIndirection, imaicl: imaicl),
                     stimulus: try MKeyStimulus(rtl.layout, seed: seed, phases: phases,
                                            reference: MKeyReference(maxIndirection: maxIndirection, imaicl: imaicl),
                                            readyPercent: readyPercent, validPercent: validPercent))
    }
}

extension AdapterTests {
    /// The DC initiator under random requests, targets and switches in both handshake modes.
    /// `CONNECT_TIMEOUT` of the random runs: short, so that unanswered CONNECTs time out often.
    public static let dcRandomConnectTimeout = 48

    public static func dcRandom(seed: UInt64, mix: DCStimulus.RandomMix = .init(), connectTimeout: Int = dcRandomConnectTimeout, connectRetries: Int = 3,
                                compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(DCInitiator(connectTimeout: connectTimeout, connectRetries: connectRetries))
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        return .init(rtl: rtl, model: try DCInitiatorCycleModel(rtl.layout, connectTimeout: connectTimeout, connectRetries: connectRetries),
                     stimulus: try DCStimulus(rtl.layout, connectRetries: connectRetries, seed: seed, mix: mix))
    }

    /// The DC initiator running directed requests in a scripted environment.
    public static func dcDirected(_ requests: [WorkRequest], setup: DCStimulus.Setup = .init(), seed: UInt64 = 1, qps: Int = 16,
                                  connectTimeout: Int = 1024, connectRetries: Int = 3) throws -> LockstepRunner.Parts {
        let design = try elaborate(DCInitiator(qps: qps, connectTimeout: connectTimeout, connectRetries: connectRetries))
        let rtl = try VerilatedModel(design, seed: seed)
        return .init(rtl: rtl, model: try DCInitiatorCycleModel(rtl.layout, qps: qps, connectTimeout: connectTimeout, connectRetries: connectRetries),
                     stimulus: try DCStimulus(rtl.layout, qps: qps, connectRetries: connectRetries, seed: seed, requests: requests, setup: setup))
    }
}

extension AdapterTests {
    /// The exec unit under random messages, gather splits and faults.
    public static func execRandom(seed: UInt64, mix: ExecStimulus.RandomMix = .init(), compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(ExecUnit())
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        return .init(rtl: rtl, model: try ExecUnitCycleModel(rtl.layout), stimulus: try ExecStimulus(rtl.layout, seed: seed, mix: mix))
    }

    /// The exec unit running directed messages.
    public static func execDirected(_ messages: [ExecStimulus.Message], setup: ExecStimulus.Setup = .init(), seed: UInt64 = 1, qps: Int = 16) throws -> LockstepRunner.Parts {
        let design = try elaborate(ExecUnit(qps: qps))
        let rtl = try VerilatedModel(design, seed: seed)
        return .init(rtl: rtl, model: try ExecUnitCycleModel(rtl.layout, qps: qps),
                     stimulus: try ExecStimulus(rtl.layout, qps: qps, seed: seed, messages: messages, setup: setup))
    }
}

extension AdapterTests {
    /// What follows the adapter's RTL in lockstep.
    public enum AdapterSecondModel {
        /// `AdapterCycleModel`: the blocks' cycle models and the glue's, wired like the RTL.
        case cycleModel
        /// The native simulator of the same design (slow: short runs).
        case nativeSimulator
        /// Nothing: the bench's scoring alone.
        case none
    }

    /// The adapter running directed work end to end, with a second model in lockstep on every
    /// output of every cycle.
    public static func adapterDirected(_ work: [AdapterStimulus.Work], setup: AdapterStimulus.Setup, seed: UInt64 = 1, second: AdapterSecondModel = .cycleModel,
                                       compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        let design = try elaborate(Adapter())
        let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
        let stimulus = try AdapterStimulus(rtl.layout, seed: seed, work: work, setup: setup)
        let model: CycleModel
        switch second {
        case .cycleModel: model = try AdapterCycleModel(rtl.layout)
        case .nativeSimulator: model = SimulatorModel(design)
        case .none: model = NoSecondModel()
        }
        return .init(rtl: rtl, model: model, stimulus: stimulus)
    }
}

extension AdapterTests {
    /// The adapter under random end-to-end traffic (`AdapterScenario`), scored by the bench.
    public static func adapterRandom(seed: UInt64, mix: AdapterScenario.Mix = .init(), second: AdapterSecondModel = .cycleModel,
                                     compiler: ModelCompiler = ModelCompiler()) throws -> LockstepRunner.Parts {
        var scenario = AdapterScenario(seed: seed, mix: mix)
        let work = scenario.work()
        return try adapterDirected(work, setup: scenario.setup, seed: seed, second: second, compiler: compiler)
    }
}
