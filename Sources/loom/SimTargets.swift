import AdapterVerification
import Examples
import Foundation
import Loom
import LoomCosim

/// What `loom sim` and `loom regress` can run: a design, how to build its lockstep parts
/// for a seed, and how many cycles a default run takes.
struct SimTarget {
    let name: String
    /// The top module the test co-simulates (what `--rtl` looks for).
    let design: String
    let defaultCycles: Int
    /// Cycles allowed for a run of `n` (the adapter's tests count posts, not cycles).
    var cycleLimit: (Int) -> Int = { $0 * 4 + 10_000 }
    let make: (_ seed: UInt64, _ cycles: Int) throws -> LockstepRunner.Parts
}

enum SimTargets {
    /// Every target; with `rtl`, each design found there is built from that Verilog
    /// (`loom sim --rtl`, see `ExternalRTL`).
    static func all(rtl: URL? = nil) -> [SimTarget] {
        var compiler = ModelCompiler(log: log)
        compiler.externalRTL = rtl
        return adapter(compiler) + examples(compiler)
    }

    static func log(_ s: String) { FileHandle.standardError.write(Data("\(s)\n".utf8)) }

    /// The adapter blocks' lockstep tests: random traffic with random back-pressure. `n` counts
    /// the work of a run (requests, operations or posts), the cycle limit follows from it.
    static func adapter(_ compiler: ModelCompiler) -> [SimTarget] {
        func target<Mix>(_ name: String, design: String, _ defaultWork: Int, cyclesPerItem: Int, _ base: Mix, _ setWork: @escaping (inout Mix, Int) -> Void,
                         _ make: @escaping (UInt64, Mix) throws -> LockstepRunner.Parts, _ tweak: @escaping (inout Mix) -> Void) -> SimTarget {
            SimTarget(name: name, design: design, defaultCycles: defaultWork, cycleLimit: { $0 * cyclesPerItem + 20_000 }) { seed, n in
                var mix = base
                setWork(&mix, n)
                tweak(&mix)
                return try make(seed, mix)
            }
        }
        func mkey(_ name: String, _ tweak: @escaping (inout MKeyScenario.Mix) -> Void) -> SimTarget {
            target(name, design: "mkey_translator", 300, cyclesPerItem: 200, MKeyScenario.Mix(), { $0.requestsPerRound = $1 }, { try AdapterTests.mkeyRandom(seed: $0, mix: $1, compiler: compiler) }, tweak)
        }
        func sg(_ name: String, _ tweak: @escaping (inout SGStimulus.RandomMix) -> Void) -> SimTarget {
            target(name, design: "sg_walker", 600, cyclesPerItem: 400, SGStimulus.RandomMix(), { $0.operations = $1 }, { try AdapterTests.sgRandom(seed: $0, mix: $1, compiler: compiler) }, tweak)
        }
        func completion(_ name: String, ackTimeout: Int = 0, _ tweak: @escaping (inout CompletionStimulus.RandomMix) -> Void) -> SimTarget {
            target(name, design: ackTimeout > 0 ? "completion_engine_ack_timeout" : "completion_engine", 4000, cyclesPerItem: 60, CompletionStimulus.RandomMix(), { $0.posts = $1 },
                   { try AdapterTests.completionRandom(seed: $0, mix: $1, ackTimeout: ackTimeout, compiler: compiler) }, tweak)
        }
        func dc(_ name: String, _ tweak: @escaping (inout DCStimulus.RandomMix) -> Void) -> SimTarget {
            target(name, design: "dc_initiator", 2000, cyclesPerItem: 80, DCStimulus.RandomMix(), { $0.requests = $1 }, { try AdapterTests.dcRandom(seed: $0, mix: $1, compiler: compiler) }, tweak)
        }
        func exec(_ name: String, _ tweak: @escaping (inout ExecStimulus.RandomMix) -> Void) -> SimTarget {
            target(name, design: "exec_unit", 3000, cyclesPerItem: 60, ExecStimulus.RandomMix(), { $0.messages = $1 }, { try AdapterTests.execRandom(seed: $0, mix: $1, compiler: compiler) }, tweak)
        }
        func adapter(_ name: String, _ tweak: @escaping (inout AdapterScenario.Mix) -> Void) -> SimTarget {
            target(name, design: "adapter", 300, cyclesPerItem: 2000, AdapterScenario.Mix(), { $0.requests = $1 }, { try AdapterTests.adapterRandom(seed: $0, mix: $1, compiler: compiler) }, tweak)
        }
        return [
            mkey("mkey_translator") { _ in },
            mkey("mkey_translator_pressure") { $0.readyPercent = 25; $0.validPercent = 40 },
            mkey("mkey_translator_errors") { $0.badRequestPercent = 50 },
            sg("sg_walker") { _ in },
            sg("sg_walker_pressure") { $0.chunkReadyPercent = 25; $0.sgeValidPercent = 40 },
            sg("sg_walker_malformed") { $0.malformedPercent = 40 },
            completion("completion_engine") { _ in },
            completion("completion_engine_errors") { $0.nakPercent = 25; $0.localErrorPercent = 8; $0.outOfRangePercent = 6 },
            completion("completion_engine_pressure") { $0.ackPercent = 4; $0.cqeReadyPercent = 30 },
            completion("completion_engine_wrap") { $0.firstPsn = 0xff_ffc0 },
            completion("completion_engine_lerr") { $0.lerrPercent = 8 },
            completion("completion_engine_timeout", ackTimeout: 48) { $0.ackPercent = 6; $0.lerrPercent = 3 },
            exec("exec_unit") { _ in },
            exec("exec_unit_pmtu_4096") { $0.pmtuCode = 5; $0.maxPackets = 2 },
            exec("exec_unit_pressure") { $0.dmaReadyPercent = 25; $0.pktReadyPercent = 30; $0.postReadyPercent = 35; $0.lerrReadyPercent = 20; $0.wrValidPercent = 50 },
            exec("exec_unit_faults") { $0.faultPercent = 45; $0.preFailedPercent = 10 },
            exec("exec_unit_qp_error") { $0.errorPulsesPerMille = 30 },
            adapter("adapter") { _ in },
            adapter("adapter_pmtu_256") { $0.pmtuCode = 1 },
            adapter("adapter_pressure") { $0.txReadyPercent = 30; $0.txdReadyPercent = 30; $0.cqeReadyPercent = 30; $0.dmaRspValidPercent = 40; $0.dmaReqReadyPercent = 40 },
            adapter("adapter_faults") { $0.faultPercent = 25; $0.pmtuCode = 1 },
            dc("dc_initiator") { _ in },
            dc("dc_initiator_pressure") { $0.xwrReadyPercent = 25; $0.ctlReadyPercent = 30; $0.wrValidPercent = 40 },
            dc("dc_initiator_switches") { $0.switchPercent = 60; $0.deadTargetPercent = 10; $0.nakPerMille = 8 },
        ]
    }

    static func examples(_ compiler: ModelCompiler) -> [SimTarget] {
        Examples.names.map { name in
            SimTarget(name: name, design: name, defaultCycles: 50_000) { seed, cycles in
                let design = try elaborateOrExplain(name)
                let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
                return .init(rtl: rtl, model: SimulatorModel(design), stimulus: RandomInputStimulus(rtl.layout, seed: seed, cycles: cycles))
            }
        }
    }

    static func named(_ name: String, rtl: URL? = nil) -> SimTarget? { all(rtl: rtl).first { $0.name == name } }

    /// Runs one target at one seed in lockstep.
    static func run(_ target: SimTarget, seed: UInt64, cycles: Int?, wave: String? = nil) throws -> RunResult {
        let n = cycles ?? target.defaultCycles
        var runner = LockstepRunner(cycleLimit: target.cycleLimit(n))
        runner.onProgress = { Regression.terminalProgress("\(target.name) seed \(seed): \($0 / 1_000_000)M of \(n) cycles") }
        let reproduce = "loom sim \(target.name) --seed \(seed) --cycles \(n)"
        return try runner.run(test: target.name, seed: seed, reproduce: reproduce) {
            let parts = try target.make(seed, n)
            if let wave { try parts.rtl.startTrace(wave) }
            return parts
        }
    }
}
