import Loom
import LoomSim

/// The native `LoomSim` simulator of a design as a `CycleModel`: the differential check
/// runs it in lockstep with Verilator on the same Verilog source.
public final class SimulatorModel: CycleModel {
    let sim: Simulator
    let layout: PortLayout

    public init(_ design: Design) {
        sim = Simulator(design)
        layout = PortLayout(design.topModule)
    }

    public func cycle(_ inputs: UnsafePointer<UInt64>, _ outputs: UnsafeMutablePointer<UInt64>) {
        for p in layout.inputs {
            if p.words == 1 { sim.poke(p.name, inputs[p.wordOffset]) }
            else { sim.poke(p.name, BitVector(width: p.width, words: (0..<p.words).map { inputs[p.wordOffset + $0] })) }
        }
        for p in layout.outputs {
            if p.words == 1 { outputs[p.wordOffset] = sim.peek(p.name) }
            else {
                let v = sim.peekWide(p.name)
                for k in 0..<p.words { outputs[p.wordOffset + k] = v.words[k] }
            }
        }
        sim.step()
    }
}
