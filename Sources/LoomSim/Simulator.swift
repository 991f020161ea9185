import Loom

/// A native cycle simulator of an elaborated design.
///
/// **Cycle semantics** (shared by the co-simulation and the golden models):
/// 1. `poke` sets inputs for the current cycle;
/// 2. combinational logic settles (done lazily by `peek` and `step`);
/// 3. `peek` samples outputs, which reflect this cycle's inputs and the current state;
/// 4. `step` applies the rising clock edge: registers take their next values, memories
///    write, synchronous reads capture. Inputs keep their values until poked again.
/// Reset is synchronous: hold `rst` at 1 across a `step` (see `reset()`).
/// Memories and registers start at zero.
public final class Simulator {
    let net: Netlist
    let program: [Instruction]
    /// Word offset and word count of each node's value.
    let offset: [Int]
    var values: [UInt64]
    var state: [[UInt64]]
    var memories: [[UInt64]]
    var settled = false
    /// (node offset, state index) of every state node, copied in before each evaluation.
    let stateNodes: [(offset: Int, state: Int)]
    public private(set) var cycle = 0
    let inputIndex: [String: Int]
    let outputIndex: [String: Int]

    public init(_ design: Design) {
        net = Netlist(design)
        var offsets = [Int](repeating: 0, count: net.nodes.count)
        var total = 0
        for (i, n) in net.nodes.enumerated() {
            offsets[i] = total
            total += (n.width + 63) / 64
        }
        offset = offsets
        values = Array(repeating: 0, count: total)
        state = net.stateWidths.map { Array(repeating: 0, count: ($0 + 63) / 64) }
        memories = net.memories.map { Array(repeating: 0, count: $0.depth * (($0.width + 63) / 64)) }
        program = Compiler(net: net, offset: offsets).compile()
        var stateNodes: [(Int, Int)] = []
        for (i, n) in net.nodes.enumerated() {
            switch n.kind {
            case let .constant(v):
                for (k, w) in v.words.enumerated() { values[offsets[i] + k] = w }
            case let .state(s):
                stateNodes.append((offsets[i], s))
            default: break
            }
        }
        self.stateNodes = stateNodes
        inputIndex = Dictionary(uniqueKeysWithValues: net.inputs.enumerated().map { ($1.name, $0) })
        outputIndex = Dictionary(uniqueKeysWithValues: net.outputs.enumerated().map { ($1.name, $0) })
    }

    /// Input port names in declaration order (without `clk`).
    public var inputNames: [String] { net.inputs.map(\.name) }
    /// Output port names in declaration order.
    public var outputNames: [String] { net.outputs.map(\.name) }

    public func width(of port: String) -> Int? {
        if let i = inputIndex[port] { return net.inputs[i].width }
        if let o = outputIndex[port] { return net.outputs[o].width }
        return nil
    }

    /// Sets an input (masked to its width). Unknown names are a programming error.
    public func poke(_ port: String, _ value: UInt64) {
        guard let i = inputIndex[port] else { preconditionFailure("no input port '\(port)'") }
        poke(input: i, value)
    }

    /// The position of an input in `inputNames`, for `poke(input:_:)` in a hot loop.
    public func inputPosition(_ port: String) -> Int? { inputIndex[port] }
    /// The position of an output in `outputNames`, for `peek(output:)` in a hot loop.
    public func outputPosition(_ port: String) -> Int? { outputIndex[port] }

    /// Sets input number `input` (masked to its width), without a name lookup.
    public func poke(input: Int, _ value: UInt64) {
        state[net.inputs[input].state] = BitVector(width: net.inputs[input].width, value: value).words
        settled = false
    }

    /// Output number `output`, all its words, without a name lookup.
    public func peek(output: Int) -> BitVector {
        settle()
        let n = net.outputs[output].node
        let count = (net.nodes[n].width + 63) / 64
        return BitVector(width: net.nodes[n].width, words: Array(values[offset[n]..<(offset[n] + count)]))
    }

    public func poke(_ port: String, _ value: BitVector) {
        guard let i = inputIndex[port] else { preconditionFailure("no input port '\(port)'") }
        poke(input: i, value)
    }

    /// Sets input number `input` to a value of any width (masked to the port's width).
    public func poke(input: Int, _ value: BitVector) {
        state[net.inputs[input].state] = BitVector(width: net.inputs[input].width, words: value.words).words
        settled = false
    }

    /// The low 64 bits of an output.
    public func peek(_ port: String) -> UInt64 {
        peekWide(port).words[0]
    }

    public func peekWide(_ port: String) -> BitVector {
        guard let o = outputIndex[port] else { preconditionFailure("no output port '\(port)'") }
        return peek(output: o)
    }

    /// Any named signal of the top module (a wire or register too, not only a port): for
    /// debugging and for white-box tests. Nil when no such signal exists.
    public func peekSignal(_ name: String) -> BitVector? {
        guard let n = net.named[name] else { return nil }
        settle()
        let count = (net.nodes[n].width + 63) / 64
        return BitVector(width: net.nodes[n].width, words: Array(values[offset[n]..<(offset[n] + count)]))
    }

    /// Settles, then applies `cycles` rising clock edges.
    public func step(_ cycles: Int = 1) {
        for _ in 0..<cycles {
            settle()
            clockEdge()
            cycle += 1
        }
    }

    /// Holds `rst` high for `cycles` edges, then low.
    public func reset(cycles: Int = 1) {
        if inputIndex["rst"] != nil { poke("rst", 1) }
        step(cycles)
        if inputIndex["rst"] != nil { poke("rst", 0) }
    }

    func settle() {
        if settled { return }
        // State nodes read straight from state storage.
        for (o, s) in stateNodes {
            for (k, w) in state[s].enumerated() { values[o + k] = w }
        }
        run()
        settled = true
    }

    func value(_ node: Int) -> [UInt64] {
        let count = (net.nodes[node].width + 63) / 64
        return Array(values[offset[node]..<(offset[node] + count)])
    }

    func clockEdge() {
        var newState = state
        for r in net.registers { newState[r.state] = value(r.next) }
        for (mi, m) in net.memories.enumerated() {
            let wordsPer = (m.width + 63) / 64
            for r in m.reads where values[offset[r.enable]] & 1 == 1 {
                let a = Int(values[offset[r.address]])
                if a < m.depth { newState[r.state] = Array(memories[mi][(a * wordsPer)..<((a + 1) * wordsPer)]) }
                else { newState[r.state] = Array(repeating: 0, count: wordsPer) }
            }
            for w in m.writes where values[offset[w.enable]] & 1 == 1 {
                let a = Int(values[offset[w.address]])
                guard a < m.depth else { continue }
                let data = value(w.data)
                for k in 0..<wordsPer { memories[mi][a * wordsPer + k] = data[k] }
            }
        }
        state = newState
        settled = false
    }
}
