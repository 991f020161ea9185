import Loom
import LoomSim

/// The native `LoomSim` simulator of a design as a `CycleModel`: the differential check
/// runs it in lockstep with Verilator on the same Verilog source.
public final class SimulatorModel: CycleModel {
    let sim: Simulator
    /// (simulator input position, port) and (simulator output position, port), resolved once.
    let inputs: [(Int, ShimPort)]
    let outputs: [(Int, ShimPort)]

    public init(_ design: Design) {
        let simulator = Simulator(design)
        let layout = PortLayout(design.topModule)
        sim = simulator
        inputs = layout.inputs.map { (simulator.inputPosition($0.name)!, $0) }
        outputs = layout.outputs.map { (simulator.outputPosition($0.name)!, $0) }
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        for (i, p) in inputs {
            if p.words == 1 { sim.poke(input: i, w[p.wordOffset]) }
            else { sim.poke(input: i, BitVector(width: p.width, words: (0..<p.words).map { w[p.wordOffset + $0] })) }
        }
        for (i, p) in outputs {
            let v = sim.peek(output: i)
            for k in 0..<p.words { o[p.wordOffset + k] = v.words[k] }
        }
        sim.step()
    }
}
