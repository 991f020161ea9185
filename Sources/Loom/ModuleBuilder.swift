/// The handle through which a `Module`'s `body` declares hardware.
///
/// Declarations (`input`, `output`, `wire`, `register`, `memory`, `instance`) take the
/// caller's `fileID`/`line` so diagnostics point at the user's Swift line.
public final class ModuleBuilder {
    // Read and written for every node built; the builder never lends either out while it
    // changes them, so the per-access exclusivity check buys nothing here.
    @exclusivity(unchecked) var ir: ModuleIR
    let elaborator: Elaborator
    let isCombinational: Bool
    /// The open statement blocks; the innermost is last.
    var blocks: [BlockBuilder] = [BlockBuilder()]
    /// The path condition of each open block (nil at top level).
    var pathConditions: [NodeID?] = [nil]
    /// Hash-consing of constants so repeated literals share one node.
    private var constants: [BitVector: NodeID] = [:]
    /// Where each signal was first driven (for loop reports).
    var firstDrive: [Int: SourceLocation] = [:]
    /// Registers declared with an enable: register signal → enable node.
    var registerEnables: [Int: NodeID] = [:]
    /// Signals someone tried to drive, even if the drive was rejected (no cascade of errors).
    var attemptedDrives = Set<Int>()

    init(name: String, elaborator: Elaborator, combinational: Bool) {
        self.ir = ModuleIR(name: name)
        self.elaborator = elaborator
        self.isCombinational = combinational
    }

    /// The module's name as given by the `Module`.
    public var name: String { ir.name }

    func error(_ location: SourceLocation, _ message: String) {
        elaborator.diagnostics.append(Diagnostic(location, message))
    }

    /// Operators cannot capture the caller's line (Swift operators take exactly two
    /// arguments), so their errors wait here and take the line of the next located call
    /// (`drive`, `wire`, `when`, ...) that uses the expression.
    var pendingErrors: [String] = []
    var lastLocation = SourceLocation.loom

    func pendingError(_ message: String) { pendingErrors.append(message) }

    /// Called by every located entry point: attributes waiting operator errors to `loc`.
    func located(_ loc: SourceLocation) {
        lastLocation = loc
        for message in pendingErrors { error(loc, message) }
        pendingErrors.removeAll()
    }

    // MARK: nodes

    /// Structural hashing: an identical expression built twice is one node (one wire in the
    /// Verilog, one evaluation in the simulator).
    @exclusivity(unchecked) private var existing = NodeTable()

    func add(_ op: Op, width: Int, signed: Bool = false) -> NodeID {
        existing.number(of: Node(op: op, width: width, isSigned: signed), in: &ir.nodes)
    }

    func constant(_ value: BitVector, signed: Bool = false) -> NodeID {
        if !signed, let id = constants[value] { return id }
        let id = add(.constant(value), width: value.width, signed: signed)
        if !signed { constants[value] = id }
        return id
    }

    func width(_ node: NodeID) -> Int { ir.nodes[node].width }

    func declare(_ name: String, width: Int, signed: Bool, kind: SignalKind, at location: SourceLocation) -> (signal: Int, node: NodeID) {
        if location != .loom { located(location) }
        var width = width
        if width < 1 {
            error(location, "'\(name)' has width \(width); widths must be at least 1")
            width = 1
        }
        ir.signals.append(SignalDecl(name: name, width: width, isSigned: signed, kind: kind, location: location))
        let signal = ir.signals.count - 1
        return (signal, add(.signal(signal), width: width, signed: signed))
    }

    func bits(_ node: NodeID) -> Bits { Bits(SignalRef(module: self, node: node)) }

    // MARK: ports, wires, registers

    /// Declares an unsigned input port.
    public func input(_ name: String, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        let d = declare(name, width: width, signed: false, kind: .input, at: SourceLocation(fileID: fileID, line: line))
        ir.ports.append(d.signal)
        return bits(d.node)
    }

    /// Declares a signed input port.
    public func signedInput(_ name: String, width: Int, fileID: String = #fileID, line: Int = #line) -> SBits {
        let d = declare(name, width: width, signed: true, kind: .input, at: SourceLocation(fileID: fileID, line: line))
        ir.ports.append(d.signal)
        return SBits(SignalRef(module: self, node: d.node))
    }

    /// Declares an unsigned output port; drive it with `drive(_:)`.
    public func output(_ name: String, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        let d = declare(name, width: width, signed: false, kind: .output, at: SourceLocation(fileID: fileID, line: line))
        ir.ports.append(d.signal)
        return bits(d.node)
    }

    /// Declares a signed output port.
    public func signedOutput(_ name: String, width: Int, fileID: String = #fileID, line: Int = #line) -> SBits {
        let d = declare(name, width: width, signed: true, kind: .output, at: SourceLocation(fileID: fileID, line: line))
        ir.ports.append(d.signal)
        return SBits(SignalRef(module: self, node: d.node))
    }

    /// Declares a named combinational wire; drive it with `drive(_:)`.
    public func wire(_ name: String, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        bits(declare(name, width: width, signed: false, kind: .wire, at: SourceLocation(fileID: fileID, line: line)).node)
    }

    /// Names a value: declares a wire of its width driven by it. The naming is unconditional
    /// even inside a `when` (a name for an expression, not a conditional assignment).
    public func wire<S: Signal>(_ name: String, _ value: S, fileID: String = #fileID, line: Int = #line) -> S {
        let loc = SourceLocation(fileID: fileID, line: line)
        let d = declare(name, width: value.width, signed: value.isSigned, kind: .wire, at: loc)
        firstDrive[d.signal] = loc
        blocks[0].items.append(.assign(target: d.signal, value: value.ref.node, location: loc))
        return S(SignalRef(module: self, node: d.node))
    }

    /// Declares a register in the module's clock domain with a synchronous reset value.
    /// It holds its value in every cycle nothing drives it. With `enable`, every drive of it
    /// takes effect only in cycles where `enable` is 1 (as if each sat in `m.when(enable)`);
    /// reset still wins.
    ///
    /// ```swift
    /// let sample = m.register("sample", width: 8, reset: 0, enable: strobe)
    /// sample.drive(data)    // emitted as: if (strobe) sample <= data;
    /// ```
    public func register(_ name: String, width: Int, reset: UInt64, enable: Bits? = nil, fileID: String = #fileID, line: Int = #line) -> Bits {
        let loc = SourceLocation(fileID: fileID, line: line)
        if width < 64, reset >> UInt64(width) != 0 {
            error(loc, "reset value \(reset) of register '\(name)' does not fit in \(width) bits")
        }
        let node = declareRegister(name, width: width, signed: false, reset: BitVector(width: max(width, 1), value: reset), at: loc)
        if let enable, case let .signal(s) = ir.nodes[node].op { registerEnables[s] = enable.truth.ref.node }
        return bits(node)
    }

    /// A register with a reset value of any width.
    public func register(_ name: String, width: Int, reset: BitVector, fileID: String = #fileID, line: Int = #line) -> Bits {
        let loc = SourceLocation(fileID: fileID, line: line)
        if reset.width != width {
            error(loc, "reset value of register '\(name)' is \(reset.width) bits, the register is \(width) bits")
        }
        return bits(declareRegister(name, width: width, signed: false, reset: BitVector(width: max(width, 1), words: reset.words), at: loc))
    }

    /// A register with no reset value. Elaboration rejects it; it exists so the error can be shown.
    public func registerWithoutReset(_ name: String, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        bits(declareRegister(name, width: width, signed: false, reset: nil, at: SourceLocation(fileID: fileID, line: line)))
    }

    /// A signed register.
    public func signedRegister(_ name: String, width: Int, reset: Int64, fileID: String = #fileID, line: Int = #line) -> SBits {
        let loc = SourceLocation(fileID: fileID, line: line)
        return SBits(SignalRef(module: self, node: declareRegister(name, width: width, signed: true, reset: BitVector(width: max(width, 1), signed: reset), at: loc)))
    }

    func declareRegister(_ name: String, width: Int, signed: Bool, reset: BitVector?, at loc: SourceLocation) -> NodeID {
        if isCombinational {
            error(loc, "register '\(name)' has no clock domain: module '\(ir.name)' is combinational")
        }
        return declare(name, width: width, signed: signed, kind: .register(reset: reset), at: loc).node
    }

    // MARK: constants

    /// An unsigned constant of the given width.
    public func lit(_ value: UInt64, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        if width < 64, value >> UInt64(width) != 0 {
            error(SourceLocation(fileID: fileID, line: line), "constant \(value) does not fit in \(width) bits")
        }
        return bits(constant(BitVector(width: max(width, 1), value: value)))
    }

    /// A constant of any width.
    public func lit(_ value: BitVector) -> Bits { bits(constant(value)) }

    /// A signed constant of the given width.
    public func slit(_ value: Int64, width: Int, fileID: String = #fileID, line: Int = #line) -> SBits {
        let fits = width >= 64 || (value >= -(Int64(1) << Int64(width - 1)) && value < (Int64(1) << Int64(width - 1)))
        if !fits { error(SourceLocation(fileID: fileID, line: line), "constant \(value) does not fit in \(width) signed bits") }
        return SBits(SignalRef(module: self, node: constant(BitVector(width: max(width, 1), signed: value), signed: true)))
    }

    /// The 1-bit constants.
    public var `true`: Bits { bits(constant(BitVector(width: 1, value: 1))) }
    public var `false`: Bits { bits(constant(BitVector(width: 1, value: 0))) }
}

/// A mutable statement block used while building; frozen into `[Statement]` at the end.
final class BlockBuilder {
    enum Item {
        case assign(target: Int, value: NodeID, location: SourceLocation)
        case when(WhenBuilder)
    }
    var items: [Item] = []

    func freeze() -> [Statement] {
        items.map {
            switch $0 {
            case let .assign(target, value, location):
                return .assign(target: target, value: value, location: location)
            case let .when(w):
                return .when(condition: w.condition, then: w.then.freeze(), otherwise: w.otherwise?.freeze() ?? [], location: w.location)
            }
        }
    }
}

final class WhenBuilder {
    let condition: NodeID
    let location: SourceLocation
    let then = BlockBuilder()
    var otherwise: BlockBuilder?
    init(condition: NodeID, location: SourceLocation) {
        self.condition = condition
        self.location = location
    }
}
