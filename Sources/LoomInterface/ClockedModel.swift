/// A block's golden model, stepped once per clock cycle: given this cycle's inputs, it returns
/// the outputs the design must show before the clock edge, then advances as the edge would.
///
/// The fields of `Inputs` and `Outputs` are named after the block interface's ports, so that
/// co-simulation wires a model to its design with no code per port (`WiredModel`):
///
/// | port of the interface | field of `Inputs` | field of `Outputs` |
/// |---|---|---|
/// | input stream `wr` | `wrValid: Bool`, `wr: Beat` | `wrReady: Bool` |
/// | output stream `xwr` | `xwrReady: Bool` | `xwrValid: Bool`, `xwr: Beat` |
/// | input level `qp_error` | `qpError` | |
/// | output level `qp_active` | | `qpActive` |
/// | the reset `rst` | `rst: Bool` | |
///
/// A level is a `[Bool]` (bit `i` at index `i`, any width), a `Bool` (1 bit) or an unsigned
/// integer at least as wide as the port. Port names in snake case become lower camel case.
///
/// ```swift
/// struct CounterModel: ClockedModel {
///     struct Inputs: ModelInputs { var rst = false, addValid = false, add = Amount(); init() {} }
///     struct Outputs { var addReady = true, total: UInt32 = 0 }
///     var total: UInt32 = 0
///     mutating func cycle(_ i: Inputs) -> Outputs { ... }
/// }
/// ```
public protocol ClockedModel {
    associatedtype Inputs: ModelInputs
    associatedtype Outputs
    /// One clock cycle: the outputs before the edge, for these inputs; the state after it.
    mutating func cycle(_ inputs: Inputs) -> Outputs
}

/// A model's inputs, which start all false and zero.
public protocol ModelInputs {
    init()
}
