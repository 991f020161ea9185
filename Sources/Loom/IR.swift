/// The elaborated form of a module: declarations, an expression graph and statement trees.
/// The emitter and the native simulator read only this; the DSL front end builds it.

/// A node of a module's expression graph, identified by its index in `ModuleIR.nodes`.
public typealias NodeID = Int

/// Operators of the expression graph. Operands are node ids. Every binary operator except
/// shifts takes operands of equal width (the front end extends them first), so each node's
/// width is exact and the emitter never relies on Verilog's context-determined widths.
public enum BinaryOp: String, Hashable, Sendable, CaseIterable {
    case add, sub, mul, and, or, xor
    case shl, shr, sshr
    case eq, ne, lt, le, gt, ge
}

public enum UnaryOp: String, Hashable, Sendable {
    case not, andReduce, orReduce, xorReduce
}

public enum Op: Hashable, Sendable {
    case constant(BitVector)
    /// A declared signal: port, wire, register, memory read data or instance port.
    case signal(Int)
    case unary(UnaryOp, NodeID)
    case binary(BinaryOp, NodeID, NodeID)
    /// `select ? whenTrue : whenFalse`
    case mux(NodeID, NodeID, NodeID)
    /// Operands most significant first, as in Verilog's `{a, b}`.
    case concat([NodeID])
    case slice(NodeID, hi: Int, lo: Int)
    case zeroExtend(NodeID)
    case signExtend(NodeID)
    /// Asynchronous (combinational) read of a memory.
    case memoryRead(memory: Int, address: NodeID)
}

public struct Node: Hashable, Sendable {
    public var op: Op
    public var width: Int
    /// Signedness matters only to comparisons, `sshr` and `signExtend` of this node's users.
    public var isSigned: Bool

    public init(op: Op, width: Int, isSigned: Bool) {
        (self.op, self.width, self.isSigned) = (op, width, isSigned)
    }
}

public enum SignalKind: Hashable, Sendable {
    case input
    case output
    case wire
    /// A register: reset value (nil for none, which elaboration rejects) and clock domain.
    case register(reset: BitVector?)
    /// The registered data of a synchronous memory read port.
    case memoryReadData(memory: Int, port: Int)
    /// The parent-side end of a child instance's input port (driven by the parent).
    case instanceInput(instance: Int, port: String)
    /// The parent-side end of a child instance's output port.
    case instanceOutput(instance: Int, port: String)
}

public struct SignalDecl: Hashable, Sendable {
    public var name: String
    public var width: Int
    public var isSigned: Bool
    public var kind: SignalKind
    public var location: SourceLocation

    /// Whether statements may drive it.
    public var isDrivable: Bool {
        switch kind {
        case .output, .wire, .register, .instanceInput: return true
        default: return false
        }
    }

    public var isRegister: Bool {
        if case .register = kind { return true }
        return false
    }
}

/// A statement of a module body: an assignment or a conditional block.
public indirect enum Statement: Hashable, Sendable {
    case assign(target: Int, value: NodeID, location: SourceLocation)
    case when(condition: NodeID, then: [Statement], otherwise: [Statement], location: SourceLocation)
}

public struct MemoryReadPort: Hashable, Sendable {
    public var address: NodeID
    public var enable: NodeID
    /// The `SignalDecl` that holds the registered data.
    public var data: Int
    public var location: SourceLocation
}

public struct MemoryWritePort: Hashable, Sendable {
    public var address: NodeID
    public var data: NodeID
    public var enable: NodeID
    public var location: SourceLocation
}

public struct MemoryDecl: Hashable, Sendable {
    public var name: String
    public var depth: Int
    public var width: Int
    public var addressWidth: Int
    public var location: SourceLocation
    public var readPorts: [MemoryReadPort] = []
    public var writePorts: [MemoryWritePort] = []
}

public struct Connection: Hashable, Sendable {
    public var port: String
    public var signal: Int
}

public struct InstanceDecl: Hashable, Sendable {
    public var name: String
    /// Index into `Design.modules`.
    public var module: Int
    public var location: SourceLocation
    /// Child port name → parent-side signal.
    public var connections: [Connection]
}

public struct EnumerationDecl: Hashable, Sendable {
    public var signal: Int
    public var cases: [String]
}

/// One Verilog module's worth of elaborated hardware.
public struct ModuleIR: Hashable, Sendable {
    public var name: String
    public var nodes: [Node] = []
    public var signals: [SignalDecl] = []
    /// Indices into `signals`, in declaration order.
    public var ports: [Int] = []
    public var body: [Statement] = []
    public var memories: [MemoryDecl] = []
    public var instances: [InstanceDecl] = []
    /// Whether the module has the implicit `clk` / `rst` inputs (first among its ports).
    public var hasClock = false
    public var hasReset = false
    /// For each output port name, the input port names it depends on combinationally.
    public var combinationalPaths: [String: Set<String>] = [:]
    /// Named enumerations (state machines) for readable `localparam`s: name → (case, value).
    public var enumerations: [EnumerationDecl] = []
}

/// An elaborated design: every distinct module once, children before parents, top last.
public struct Design: Sendable {
    public var modules: [ModuleIR]
    public var top: Int { modules.count - 1 }
    public var topModule: ModuleIR { modules[top] }

    public init(modules: [ModuleIR]) { self.modules = modules }

    /// Module `index` as a design of its own: it and the modules it instantiates, directly
    /// or not, in their order here (children first), instance indices renumbered.
    public func submodule(_ index: Int) -> Design {
        var needed = Set([index]), stack = [index]
        while let m = stack.popLast() {
            for i in modules[m].instances where needed.insert(i.module).inserted { stack.append(i.module) }
        }
        let kept = modules.indices.filter { needed.contains($0) }
        let position = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
        return Design(modules: kept.map { k in
            var module = modules[k]
            for j in module.instances.indices { module.instances[j].module = position[module.instances[j].module]! }
            return module
        })
    }
}
