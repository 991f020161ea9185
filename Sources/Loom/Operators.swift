// Arithmetic, bitwise, shift and comparison operators on `Bits` and `SBits`.
//
// Two arithmetic families are kept apart:
// - wrapping `&+`, `&-`, `&*`: the result has the operands' (common) width and wraps;
// - widening `+`, `-` (one bit more) and `*` (the sum of the widths): never overflows.
// Operands of unequal widths are first extended to the wider one, by their signedness.

infix operator &&& : LogicalConjunctionPrecedence

extension Signal {
    var isZeroConstant: Bool {
        if case let .constant(v) = module.ir.nodes[ref.node].op { return v.isZero }
        return false
    }

    var isConstant: Bool {
        if case .constant = module.ir.nodes[ref.node].op { return true }
        return false
    }

    /// Bitwise operators and comparisons need operands of one width (a constant adapts).
    /// Mixed widths there are almost always a precedence slip: Swift binds `|` and `&`
    /// tighter than `==`, so `a | b == c` means `(a | b) == c`.
    func checkSameWidth(_ other: Self, _ symbol: String) {
        if width != other.width && !isConstant && !other.isConstant {
            module.pendingError("operator '\(symbol)' mixes a \(width)-bit and a \(other.width)-bit value; extend one explicitly (in Swift, '|', '&' and '^' bind tighter than '==': parenthesize comparisons)")
        }
    }

    func binary(_ op: BinaryOp, _ other: Self, width resultWidth: Int? = nil, operandWidth: Int? = nil) -> Self {
        if op == .and || op == .or || op == .xor { checkSameWidth(other, ["and": "&", "or": "|", "xor": "^"][op.rawValue]!) }
        let w = operandWidth ?? max(width, other.width)
        // Fold the identities that would otherwise reach the Verilog as dead logic.
        if operandWidth == nil, op == .or || op == .xor || op == .add {
            if isZeroConstant { return Self(SignalRef(module: module, node: other.extended(w))) }
            if other.isZeroConstant { return Self(SignalRef(module: module, node: extended(w))) }
        }
        if operandWidth == nil, op == .and, isZeroConstant || other.isZeroConstant {
            return Self(SignalRef(module: module, node: module.constant(BitVector(width: w, value: 0), signed: isSigned)))
        }
        let a = extended(w), b = other.extended(w)
        return make(.binary(op, a, b), width: resultWidth ?? w)
    }

    func compare(_ op: BinaryOp, _ other: Self) -> Bits {
        checkSameWidth(other, ["eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="][op.rawValue]!)
        let w = max(width, other.width)
        // An unsigned value is never below zero; lint rejects the constant comparison.
        if !isSigned && other.isZeroConstant && (op == .lt || op == .ge) {
            return module.bits(module.constant(BitVector(width: 1, value: op == .ge ? 1 : 0)))
        }
        let node = module.add(.binary(op, extended(w), other.extended(w)), width: 1, signed: false)
        return module.bits(node)
    }

    func literal(_ value: Int) -> Self {
        Self(SignalRef(module: module, node: module.literalNode(value, width: width, signed: isSigned)))
    }

    // Wrapping family.
    public static func &+ (a: Self, b: Self) -> Self { a.binary(.add, b) }
    public static func &- (a: Self, b: Self) -> Self { a.binary(.sub, b) }
    public static func &* (a: Self, b: Self) -> Self { a.binary(.mul, b) }
    public static func &+ (a: Self, b: Int) -> Self { a &+ a.literal(b) }
    public static func &- (a: Self, b: Int) -> Self { a &- a.literal(b) }
    public static func &* (a: Self, b: Int) -> Self { a &* a.literal(b) }

    // Widening family.
    public static func + (a: Self, b: Self) -> Self { a.binary(.add, b, operandWidth: max(a.width, b.width) + 1) }
    public static func - (a: Self, b: Self) -> Self { a.binary(.sub, b, operandWidth: max(a.width, b.width) + 1) }
    public static func * (a: Self, b: Self) -> Self { a.binary(.mul, b, operandWidth: a.width + b.width) }
    public static func + (a: Self, b: Int) -> Self { a + a.literal(b) }
    public static func - (a: Self, b: Int) -> Self { a - a.literal(b) }
    public static func * (a: Self, b: Int) -> Self { a * a.literal(b) }

    // Bitwise.
    public static func & (a: Self, b: Self) -> Self { a.binary(.and, b) }
    public static func | (a: Self, b: Self) -> Self { a.binary(.or, b) }
    public static func ^ (a: Self, b: Self) -> Self { a.binary(.xor, b) }
    public static func & (a: Self, b: Int) -> Self { a & a.literal(b) }
    public static func | (a: Self, b: Int) -> Self { a | a.literal(b) }
    public static func ^ (a: Self, b: Int) -> Self { a ^ a.literal(b) }
    public static prefix func ~ (a: Self) -> Self {
        if case let .constant(v) = a.module.ir.nodes[a.ref.node].op {
            let inverted = BitVector(width: v.width, words: v.words.map { ~$0 })
            return Self(SignalRef(module: a.module, node: a.module.constant(inverted, signed: a.isSigned)))
        }
        return a.make(.unary(.not, a.ref.node), width: a.width)
    }

    // Shifts keep the left operand's width; `>>` of an `SBits` is arithmetic.
    public static func << (a: Self, amount: Int) -> Self { a.shift(.shl, amount) }
    public static func >> (a: Self, amount: Int) -> Self { a.shift(a.isSigned ? .sshr : .shr, amount) }
    public static func << (a: Self, amount: Bits) -> Self { a.make(.binary(.shl, a.ref.node, amount.ref.node), width: a.width) }
    public static func >> (a: Self, amount: Bits) -> Self { a.make(.binary(a.isSigned ? .sshr : .shr, a.ref.node, amount.ref.node), width: a.width) }

    func shift(_ op: BinaryOp, _ amount: Int) -> Self {
        let amountNode = module.literalNode(max(amount, 0), width: 1, signed: false)
        return make(.binary(op, ref.node, amountNode), width: width)
    }

    // Comparisons (signed for `SBits`); each gives a 1-bit `Bits`.
    public static func == (a: Self, b: Self) -> Bits { a.compare(.eq, b) }
    public static func != (a: Self, b: Self) -> Bits { a.compare(.ne, b) }
    public static func < (a: Self, b: Self) -> Bits { a.compare(.lt, b) }
    public static func <= (a: Self, b: Self) -> Bits { a.compare(.le, b) }
    public static func > (a: Self, b: Self) -> Bits { a.compare(.gt, b) }
    public static func >= (a: Self, b: Self) -> Bits { a.compare(.ge, b) }
    public static func == (a: Self, b: Int) -> Bits { a.compare(.eq, a.literal(b)) }
    public static func != (a: Self, b: Int) -> Bits { a.compare(.ne, a.literal(b)) }
    public static func < (a: Self, b: Int) -> Bits { a.compare(.lt, a.literal(b)) }
    public static func <= (a: Self, b: Int) -> Bits { a.compare(.le, a.literal(b)) }
    public static func > (a: Self, b: Int) -> Bits { a.compare(.gt, a.literal(b)) }
    public static func >= (a: Self, b: Int) -> Bits { a.compare(.ge, a.literal(b)) }

    // Reductions.
    public func andReduce() -> Bits { module.bits(module.add(.unary(.andReduce, ref.node), width: 1)) }
    public func orReduce() -> Bits { module.bits(module.add(.unary(.orReduce, ref.node), width: 1)) }
    public func xorReduce() -> Bits { module.bits(module.add(.unary(.xorReduce, ref.node), width: 1)) }
}

extension SBits {
    public static prefix func - (a: SBits) -> SBits { a.literal(0) - a }
}

// Boolean operators treat any non-zero value as true, as Verilog does; the result is 1 bit.
extension Bits {
    var truth: Bits { width == 1 ? self : orReduce() }
    public static func && (a: Bits, b: Bits) -> Bits { a.truth & b.truth }
    public static func || (a: Bits, b: Bits) -> Bits { a.truth | b.truth }
    public static prefix func ! (a: Bits) -> Bits { ~a.truth }
}
