import Loom

/// A counter with enable and synchronous clear: the smallest design with a register.
public struct Counter: Module {
    public var width: Int
    public init(width: Int = 8) { self.width = width }
    public var name: String { "counter" }

    public func body(_ m: ModuleBuilder) {
        let enable = m.input("en", width: 1)
        let clear = m.input("clear", width: 1)
        let count = m.output("count", width: width)
        let wrapped = m.output("wrapped", width: 1)
        let value = m.register("value", width: width, reset: 0)
        m.when(clear) { value.drive(0) }
            .elsewhen(enable) { value.drive(value &+ 1) }
        count.drive(value)
        wrapped.drive(enable & !clear & value.andReduce())
    }
}
