import Loom
import LoomCosim
import LoomSim
import Testing

/// A module whose body is a closure, for tests that need a small one-off design.
struct Probe: Module {
    var name: String = "probe"
    var isCombinational = false
    let build: (ModuleBuilder) -> Void
    func body(_ m: ModuleBuilder) { build(m) }
}

/// The diagnostics that elaborating `module` produces (empty if it elaborates).
func diagnostics(_ module: some Module) -> [String] { diagnostics(of: module).map(\.description) }

/// A simulator of `module`, reset for one cycle when it has a reset.
func simulate(_ module: some Module) throws -> Simulator { simulate(try elaborate(module)) }

/// A simulator of `design`, reset for one cycle when it has a reset.
func simulate(_ design: Design) -> Simulator {
    let sim = Simulator(design)
    sim.reset()
    return sim
}

func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }

/// Drives `in_*` randomly and drains `out_*` with random ready; returns what came out.
/// Also checks the contract on the output: valid held and payload stable until transfer.
func pump(_ sim: Simulator, input: String, output: String, dataPort: String = "bits", outDataPort: String = "bits",
          count: Int, seed: UInt64, readyPercent: UInt64 = 60, validPercent: UInt64 = 70) -> (sent: [UInt64], received: [UInt64], cycles: Int) {
    var rng = SeededRandom(seed: seed)
    var sent: [UInt64] = [], received: [UInt64] = []
    var pendingValid = false
    var pendingData: UInt64 = 0
    var heldOutput: UInt64?
    var cycles = 0
    let width = sim.width(of: "\(input)_\(dataPort)")!
    while received.count < count && cycles < count * 50 {
        if !pendingValid && sent.count < count && rng.next() % 100 < validPercent {
            pendingValid = true
            pendingData = rng.next() & mask(width)
        }
        sim.poke("\(input)_valid", pendingValid ? 1 : 0)
        sim.poke("\(input)_\(dataPort)", pendingData)
        let ready: UInt64 = rng.next() % 100 < readyPercent ? 1 : 0
        sim.poke("\(output)_ready", ready)
        let outValid = sim.peek("\(output)_valid") == 1
        let outData = sim.peek("\(output)_\(outDataPort)")
        if let held = heldOutput {
            #expect(outValid && outData == held, "output changed before its transfer")
        }
        if outValid && ready == 1 {
            received.append(outData)
            heldOutput = nil
        } else if outValid {
            heldOutput = outData
        }
        if pendingValid && sim.peek("\(input)_ready") == 1 {
            sent.append(pendingData)
            pendingValid = false
        }
        sim.step()
        cycles += 1
    }
    return (sent, received, cycles)
}
