import Loom
import LoomSim

/// A module whose body is a closure, for tests that need a small one-off design.
struct Probe: Module {
    var name: String = "probe"
    var isCombinational = false
    let build: (ModuleBuilder) -> Void
    func body(_ m: ModuleBuilder) { build(m) }
}

/// The diagnostics that elaborating `module` produces (empty if it elaborates).
func diagnostics(_ module: some Module) -> [String] {
    do {
        _ = try elaborate(module)
        return []
    } catch let error as ElaborationError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected \(error)"]
    }
}

/// A simulator of `module`, reset for one cycle when it has a reset.
func simulate(_ module: some Module) throws -> Simulator {
    let sim = Simulator(try elaborate(module))
    sim.reset()
    return sim
}

/// A small deterministic generator (SplitMix64) so every test run sees the same values.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }
