import Loom

/// A small pipelined multiply-accumulate unit, the co-simulation benchmark's design.
///
/// Stage 1 registers `a * b`, `in_valid` and `clear`. Stage 2 accumulates valid products
/// into the 48-bit `acc` (wrapping); a `clear` restarts the sum from this product (or 0),
/// and `count` counts accumulated products (wrapping at 16 bits). All outputs are registered.
public struct MacPipeline: Module {
    public init() {}
    public var name: String { "mac_pipeline" }

    public func body(_ m: ModuleBuilder) {
        let inValid = m.input("in_valid", width: 1)
        let a = m.input("a", width: 16)
        let b = m.input("b", width: 16)
        let clear = m.input("clear", width: 1)
        let s1Valid = m.register("s1_valid", width: 1, reset: 0)
        let s1Product = m.register("s1_product", width: 32, reset: 0)
        let s1Clear = m.register("s1_clear", width: 1, reset: 0)
        let acc = m.register("acc_q", width: 48, reset: 0)
        let count = m.register("count_q", width: 16, reset: 0)
        let outValid = m.register("out_valid_q", width: 1, reset: 0)

        s1Valid.drive(inValid)
        s1Product.drive(a * b)
        s1Clear.drive(clear)
        let product = s1Product.zeroExtended(to: 48)
        m.when(s1Clear) {
            acc.drive(mux(s1Valid, product, 0))
            count.drive(mux(s1Valid, m.lit(1, width: 16), 0))
        }.elsewhen(s1Valid) {
            acc.drive(acc &+ product)
            count.drive(count &+ 1)
        }
        outValid.drive(s1Valid)
        m.output("out_valid", width: 1).drive(outValid)
        m.output("acc", width: 48).drive(acc)
        m.output("count", width: 16).drive(count)
    }
}
