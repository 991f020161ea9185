import Loom

/// A combinational ALU covering both arithmetic families, shifts, comparisons and signed ops.
///
/// `op`: 0 add (wrapping), 1 sub (wrapping), 2 and, 3 or, 4 xor, 5 shift left, 6 shift right,
/// 7 arithmetic shift right, 8 signed less-than, 9 unsigned less-than, 10 equal,
/// 11 low half of the product, 12 high half of the product, 13 concat of halves swapped.
/// `sum` is the widening sum (`width + 1` bits); `product` the full product.
public struct ALU: Module {
    public var width: Int
    public init(width: Int = 16) { self.width = width }
    public var name: String { "alu" }
    public var isCombinational: Bool { true }

    public func body(_ m: ModuleBuilder) {
        let a = m.input("a", width: width)
        let b = m.input("b", width: width)
        let op = m.input("op", width: 4)
        let result = m.output("result", width: width)
        let sum = m.output("sum", width: width + 1)
        let product = m.output("product", width: 2 * width)
        let zero = m.output("zero", width: 1)

        let amount = b.truncated(to: addressBits(width))
        let full = m.wire("full_product", a * b)
        let half = width / 2
        let value = m.wire("value", width: width)
        m.switch(op) { c in
            c.case(0) { value.drive(a &+ b) }
            c.case(1) { value.drive(a &- b) }
            c.case(2) { value.drive(a & b) }
            c.case(3) { value.drive(a | b) }
            c.case(4) { value.drive(a ^ b) }
            c.case(5) { value.drive(a << amount) }
            c.case(6) { value.drive(a >> amount) }
            c.case(7) { value.drive((a.asSigned >> amount).asUnsigned) }
            c.case(8) { value.drive((a.asSigned < b.asSigned).zeroExtended(to: width)) }
            c.case(9) { value.drive((a < b).zeroExtended(to: width)) }
            c.case(10) { value.drive((a == b).zeroExtended(to: width)) }
            c.case(11) { value.drive(full.truncated(to: width)) }
            c.case(12) { value.drive(full[2 * width - 1, width]) }
            c.case(13) { value.drive(cat(a[half - 1, 0], a[width - 1, half])) }
            c.default { value.drive(0) }
        }
        result.drive(value)
        sum.drive(a + b)
        product.drive(full)
        zero.drive(value == 0)
    }
}
