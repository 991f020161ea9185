import Loom
import LoomCosim
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

func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }
