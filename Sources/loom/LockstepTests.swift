import AdapterVerification
import Examples
import Foundation
import Loom
import LoomCLI
import LoomCosim

/// The lockstep tests `loom sim` and `loom regress` run.
enum LockstepTests {
    /// The adapter blocks' lockstep tests: random traffic with random back-pressure. `n` counts
    /// the work of a run (requests, operations or posts), the cycle limit follows from it.
    static var adapter: [LockstepTest] {
        func target<Mix>(_ name: String, design: String, _ defaultWork: Int, cyclesPerItem: Int, _ base: Mix, _ setWork: @escaping (inout Mix, Int) -> Void,
                         _ make: @escaping (UInt64, Mix, ModelCompiler) throws -> LockstepRunner.Parts, _ tweak: @escaping (inout Mix) -> Void) -> LockstepTest {
            LockstepTest(name, design: design, defaultLength: defaultWork, cycleLimit: { $0 * cyclesPerItem + 20_000 }) { seed, n, compiler in
                var mix = base
                setWork(&mix, n)
                tweak(&mix)
                return try make(seed, mix, compiler)
            }
        }
        func mkey(_ name: String, _ tweak: @escaping (inout MKeyScenario.Mix) -> Void) -> LockstepTest {
            target(name, design: "mkey_translator", 300, cyclesPerItem: 200, MKeyScenario.Mix(), { $0.requestsPerRound = $1 }, { try AdapterTests.mkeyRandom(seed: $0, mix: $1, compiler: $2) }, tweak)
        }
        func sg(_ name: String, _ tweak: @escaping (inout SGStimulus.RandomMix) -> Void) -> LockstepTest {
            target(name, design: "sg_walker", 600, cyclesPerItem: 400, SGStimulus.RandomMix(), { $0.operations = $1 }, { try AdapterTests.sgRandom(seed: $0, mix: $1, compiler: $2) }, tweak)
        }
        func completion(_ name: String, ackTimeout: Int = 0, _ tweak: @escaping (inout CompletionStimulus.RandomMix) -> Void) -> LockstepTest {
            target(name, design: ackTimeout > 0 ? "completion_engine_ack_timeout" : "completion_engine", 4000, cyclesPerItem: 60, CompletionStimulus.RandomMix(), { $0.posts = $1 },
                   { try AdapterTests.completionRandom(seed: $0, mix: $1, ackTimeout: ackTimeout, compiler: $2) }, tweak)
        }
        func dc(_ name: String, _ tweak: @escaping (inout DCStimulus.RandomMix) -> Void) -> LockstepTest {
            target(name, design: "dc_initiator", 2000, cyclesPerItem: 80, DCStimulus.RandomMix(), { $0.requests = $1 }, { try AdapterTests.dcRandom(seed: $0, mix: $1, compiler: $2) }, tweak)
        }
        func exec(_ name: String, _ tweak: @escaping (inout ExecStimulus.RandomMix) -> Void) -> LockstepTest {
            target(name, design: "exec_unit", 3000, cyclesPerItem: 60, ExecStimulus.RandomMix(), { $0.messages = $1 }, { try AdapterTests.execRandom(seed: $0, mix: $1, compiler: $2) }, tweak)
        }
        func adapter(_ name: String, _ tweak: @escaping (inout AdapterScenario.Mix) -> Void) -> LockstepTest {
            target(name, design: "adapter", 300, cyclesPerItem: 2000, AdapterScenario.Mix(), { $0.requests = $1 }, { try AdapterTests.adapterRandom(seed: $0, mix: $1, compiler: $2) }, tweak)
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
            adapter("adapter_faults") { $0.faultPercent = 25; $0.pmtuCode = 1; $0.strayRxPercent = 3 },
            dc("dc_initiator") { _ in },
            dc("dc_initiator_pressure") { $0.xwrReadyPercent = 25; $0.ctlReadyPercent = 30; $0.wrValidPercent = 40 },
            dc("dc_initiator_switches") { $0.switchPercent = 60; $0.deadTargetPercent = 10; $0.nakPerMille = 8 },
        ]
    }

    /// Each example against the native simulator of its own IR, under random inputs.
    static var examples: [LockstepTest] {
        Examples.names.map { name in
            LockstepTest(name, design: name, defaultLength: 50_000) { seed, cycles, compiler in
                let design = try elaborateOrExplain(name)
                let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
                return .init(rtl: rtl, model: SimulatorModel(design), stimulus: RandomInputStimulus(rtl.layout, seed: seed, cycles: cycles))
            }
        }
    }
}
