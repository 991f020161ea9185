import Loom

/// The whole design flattened into one dataflow graph: every module instance's expressions,
/// with `when` trees folded into multiplexers, registers' next values as ordinary nodes, and
/// instance ports joined to the signals on the other side.
struct Netlist {
    enum Kind {
        case constant(BitVector)
        /// State read at the start of a cycle: a top-level input, a register, memory read data.
        case state(Int)
        /// Same value as another node (a named combinational signal).
        case copy(Int)
        case unary(UnaryOp, Int)
        case binary(BinaryOp, Int, Int, signed: Bool)
        case mux(Int, Int, Int)
        case concat([Int])
        case slice(Int, lo: Int)
        case zeroExtend(Int)
        case signExtend(Int)
        case memoryRead(memory: Int, address: Int)
    }

    struct GNode {
        var kind: Kind
        var width: Int
    }

    struct Register {
        var state: Int
        var next: Int
    }

    struct Memory {
        var depth: Int
        var width: Int
        var writes: [(enable: Int, address: Int, data: Int)]
        var reads: [(enable: Int, address: Int, state: Int)]
    }

    var nodes: [GNode] = []
    /// Widths of state elements.
    var stateWidths: [Int] = []
    var registers: [Register] = []
    var memories: [Memory] = []
    /// Top-level ports: name → node (inputs are state nodes, outputs any node).
    var inputs: [(name: String, state: Int, width: Int)] = []
    var outputs: [(name: String, node: Int, width: Int)] = []
    /// Every named signal of the top module (wires, registers, ports) → its node.
    var named: [String: Int] = [:]

    init(_ design: Design) {
        let top = design.topModule
        var binding: [Int: Int] = [:]
        for p in top.ports where top.signals[p].kind == .input && !(top.hasClock && top.signals[p].name == "clk") {
            let s = newState(width: top.signals[p].width)
            binding[p] = add(.state(s), width: top.signals[p].width)
            inputs.append((top.signals[p].name, s, top.signals[p].width))
        }
        let local = flatten(design, design.top, binding)
        for (i, decl) in top.signals.enumerated() { named[decl.name] = local[i] }
        for p in top.ports where top.signals[p].kind == .output {
            outputs.append((top.signals[p].name, local[p], top.signals[p].width))
        }
    }

    mutating func newState(width: Int) -> Int {
        stateWidths.append(width)
        return stateWidths.count - 1
    }

    mutating func add(_ kind: Kind, width: Int) -> Int {
        nodes.append(GNode(kind: kind, width: width))
        return nodes.count - 1
    }

    /// Adds one instance of module `index`; `bound` gives global nodes for signals the parent
    /// already owns (the instance's input ports). Returns the global node of every signal.
    mutating func flatten(_ design: Design, _ index: Int, _ bound: [Int: Int]) -> [Int] {
        let m = design.modules[index]
        var signalNode = [Int](repeating: -1, count: m.signals.count)
        // Placeholders for everything driven inside this module, filled in below.
        for (s, decl) in m.signals.enumerated() {
            if let b = bound[s] { signalNode[s] = b; continue }
            switch decl.kind {
            case .register, .memoryReadData:
                signalNode[s] = add(.state(newState(width: decl.width)), width: decl.width)
            case .input:
                // clk of a child (unused by the simulator) or an unbound input.
                signalNode[s] = add(.constant(BitVector(width: decl.width, value: 0)), width: decl.width)
            default:
                signalNode[s] = add(.copy(-1), width: decl.width)
            }
        }
        // This instance's memories get their indices before any child takes some.
        let memoryBase = memories.count
        for mem in m.memories { memories.append(Memory(depth: mem.depth, width: mem.width, writes: [], reads: [])) }
        var nodeMap = [Int](repeating: -1, count: m.nodes.count)
        func g(_ n: NodeID) -> Int { nodeMap[n] }
        for (i, n) in m.nodes.enumerated() {
            let kind: Kind
            switch n.op {
            case let .constant(v): kind = .constant(v)
            case let .signal(s): nodeMap[i] = signalNode[s]; continue
            case let .unary(op, a): kind = .unary(op, g(a))
            case let .binary(op, a, b): kind = .binary(op, g(a), g(b), signed: m.nodes[a].isSigned)
            case let .mux(s, a, b): kind = .mux(g(s), g(a), g(b))
            case let .concat(parts): kind = .concat(parts.map(g))
            case let .slice(a, _, lo): kind = .slice(g(a), lo: lo)
            case let .zeroExtend(a): kind = .zeroExtend(g(a))
            case let .signExtend(a): kind = .signExtend(g(a))
            case let .memoryRead(mem, address): kind = .memoryRead(memory: memoryBase + mem, address: g(address))
            }
            nodeMap[i] = add(kind, width: n.width)
        }
        // Child instances: their inputs are this module's instance-input signals.
        for inst in m.instances {
            let child = design.modules[inst.module]
            var childBound: [Int: Int] = [:]
            for p in child.ports {
                let decl = child.signals[p]
                if decl.kind == .input {
                    if child.hasReset && decl.name == "rst" && decl.location == .loom {
                        childBound[p] = signalNode[m.ports.first { m.signals[$0].name == "rst" }!]
                    } else if let c = inst.connections.first(where: { $0.port == decl.name }) {
                        childBound[p] = signalNode[c.signal]
                    }
                }
            }
            let childNodes = flatten(design, inst.module, childBound)
            for c in inst.connections {
                guard let p = child.ports.first(where: { child.signals[$0].name == c.port }), child.signals[p].kind == .output else { continue }
                nodes[signalNode[c.signal]].kind = .copy(childNodes[p])
            }
        }
        // Memories of this instance.
        for (k, mem) in m.memories.enumerated() {
            memories[memoryBase + k].writes = mem.writePorts.map { (g($0.enable), g($0.address), g($0.data)) }
            memories[memoryBase + k].reads = mem.readPorts.map { port in
                guard case let .state(s) = nodes[signalNode[port.data]].kind else { fatalError("read data is state") }
                return (g(port.enable), g(port.address), s)
            }
        }
        // Fold each driven signal's statements into one expression.
        for (s, decl) in m.signals.enumerated() {
            switch decl.kind {
            case .output, .wire, .instanceInput:
                if bound[s] != nil { continue }
                let value = fold(m.body, target: s, base: -1, g)
                nodes[signalNode[s]].kind = .copy(value)
            case let .register(reset):
                let next = fold(m.body, target: s, base: signalNode[s], g)
                guard case let .state(st) = nodes[signalNode[s]].kind else { continue }
                let rst = m.ports.first { m.signals[$0].name == "rst" && m.signals[$0].location == .loom }
                let resetValue = reset ?? BitVector(width: decl.width, value: 0)
                let withReset = rst.map { r in
                    add(.mux(signalNode[r], add(.constant(resetValue), width: decl.width), next), width: decl.width)
                } ?? next
                registers.append(Register(state: st, next: withReset))
            default: break
            }
        }
        return signalNode
    }

    /// The value of `target` after `block`, starting from `base` (-1: not driven yet).
    mutating func fold(_ block: [Statement], target: Int, base: Int, _ g: (NodeID) -> Int) -> Int {
        var value = base
        for st in block {
            switch st {
            case let .assign(t, v, _) where t == target:
                value = g(v)
            case let .when(c, then, otherwise, _):
                let a = fold(then, target: target, base: value, g)
                let b = fold(otherwise, target: target, base: value, g)
                if a == b {
                    value = a  // both branches end with the same value (possibly a new one)
                } else {
                    // Elaboration guarantees every path drives a wire, so -1 never survives.
                    value = add(.mux(g(c), a < 0 ? b : a, b < 0 ? a : b), width: nodes[a < 0 ? b : a].width)
                }
            default: break
            }
        }
        return value
    }
}
