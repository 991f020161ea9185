/// A reference to a node of the module being built.
public struct SignalRef {
    public let module: ModuleBuilder
    public let node: NodeID
}

/// A hardware value: `Bits` (unsigned) or `SBits` (signed, two's complement).
///
/// Booleans are `Bits` of width 1. Operators never lose bits: operands of different widths
/// are extended to the wider one, widening operators (`+`, `-`, `*`) grow the result, and the
/// wrapping operators (`&+`, `&-`, `&*`) keep the operands' width. Dropping bits is explicit
/// (`truncated(to:)`), and `drive(_:)` rejects a value whose width differs from the target's.
public protocol Signal {
    var ref: SignalRef { get }
    init(_ ref: SignalRef)
}

extension Signal {
    public var module: ModuleBuilder { ref.module }
    public var width: Int { ref.module.ir.nodes[ref.node].width }
    var isSigned: Bool { ref.module.ir.nodes[ref.node].isSigned }

    func make(_ op: Op, width: Int) -> Self {
        Self(SignalRef(module: module, node: module.add(op, width: width, signed: isSigned)))
    }

    /// This value extended (by its signedness) to `width` bits, or itself if already that wide.
    func extended(_ width: Int) -> NodeID {
        let w = self.width
        if w == width { return ref.node }
        return module.add(isSigned ? .signExtend(ref.node) : .zeroExtend(ref.node), width: width, signed: isSigned)
    }

    /// Drives this wire, output, register (its next value) or instance input with `value`.
    /// Inside `when` blocks the assignment is conditional; a later assignment wins.
    public func drive(_ value: Self, fileID: String = #fileID, line: Int = #line) {
        module.drive(ref.node, with: value.ref.node, at: SourceLocation(fileID: fileID, line: line))
    }

    /// Drives with a constant of this signal's width.
    public func drive(_ value: Int, fileID: String = #fileID, line: Int = #line) {
        let loc = SourceLocation(fileID: fileID, line: line)
        module.drive(ref.node, with: module.literalNode(value, width: width, signed: isSigned, at: loc), at: loc)
    }
}

/// An unsigned hardware value of a fixed width; width 1 doubles as a boolean.
public struct Bits: Signal {
    public let ref: SignalRef
    public init(_ ref: SignalRef) { self.ref = ref }

    /// The same bits read as a signed value.
    public var asSigned: SBits { SBits(SignalRef(module: module, node: module.add(.zeroExtend(ref.node), width: width, signed: true))) }
}

/// A signed (two's complement) hardware value of a fixed width.
public struct SBits: Signal {
    public let ref: SignalRef
    public init(_ ref: SignalRef) { self.ref = ref }

    /// The same bits read as an unsigned value.
    public var asUnsigned: Bits { Bits(SignalRef(module: module, node: module.add(.zeroExtend(ref.node), width: width, signed: false))) }
}

extension ModuleBuilder {
    /// A constant node for an `Int` operand: exactly `width` bits if it fits, else the minimal
    /// width that holds it (so comparisons with out-of-range constants stay exact).
    func literalNode(_ value: Int, width: Int, signed: Bool, at loc: SourceLocation? = nil) -> NodeID {
        if signed {
            var w = 1
            while w < 64 && !(Int64(value) >= -(Int64(1) << Int64(w - 1)) && Int64(value) < (Int64(1) << Int64(w - 1))) { w += 1 }
            if let loc, w > width { error(loc, "constant \(value) does not fit in \(width) signed bits") }
            return constant(BitVector(width: max(w, width), signed: Int64(value)), signed: true)
        }
        if value < 0 {
            error(loc ?? .loom, "negative constant \(value) used with an unsigned value")
            return constant(BitVector(width: width, value: 0))
        }
        let v = BitVector(width: 64, value: UInt64(value))
        let w = v.significantWidth
        if let loc, w > width { error(loc, "constant \(value) does not fit in \(width) bits") }
        return constant(BitVector(width: max(w, width), value: UInt64(value)))
    }

    func drive(_ targetNode: NodeID, with value: NodeID, at loc: SourceLocation) {
        located(loc)
        guard case let .signal(target) = ir.nodes[targetNode].op else {
            error(loc, "cannot drive an expression; only wires, outputs, registers and instance inputs can be driven")
            return
        }
        let decl = ir.signals[target]
        guard decl.isDrivable else {
            let what: String
            switch decl.kind {
            case .input: what = "an input port"
            case .instanceOutput: what = "an output of an instance"
            default: what = "memory read data"
            }
            error(loc, "cannot drive '\(displayName(target))': it is \(what)")
            return
        }
        let w = ir.nodes[value].width
        attemptedDrives.insert(target)
        if w != decl.width {
            error(loc, "width mismatch: '\(displayName(target))' is \(decl.width) bits but is driven with \(w) bits")
            return
        }
        assign(signal: target, value: value, at: loc)
    }

    func assign(signal: Int, value: NodeID, at loc: SourceLocation) {
        if firstDrive[signal] == nil { firstDrive[signal] = loc }
        let item = BlockBuilder.Item.assign(target: signal, value: value, location: loc)
        if let enable = registerEnables[signal] {
            // A register with an enable: the drive sits in its own `when (enable)`.
            let gate = WhenBuilder(condition: enable, location: loc)
            gate.then.items.append(item)
            blocks[blocks.count - 1].items.append(.when(gate))
        } else {
            blocks[blocks.count - 1].items.append(item)
        }
    }

    /// A signal's name as the user knows it (`inst.port` for instance ports).
    func displayName(_ signal: Int) -> String {
        switch ir.signals[signal].kind {
        case let .instanceInput(instance, port), let .instanceOutput(instance, port):
            return "\(ir.instances[instance].name).\(port)"
        default:
            return ir.signals[signal].name
        }
    }
}
