import Loom

/// Three request streams share one output through a round-robin arbiter.
public struct ArbiterExample: Module {
    public init() {}
    public var name: String { "arbiter3" }

    public func body(_ m: ModuleBuilder) {
        let arb = m.instance("arb", RoundRobinArbiter(inputs: 3, width: 8))
        for i in 0..<3 {
            let s = m.inputStream("req\(i)", RecordLayout(["data": 8]))
            arb["in\(i)_valid"].drive(s.valid)
            arb["in\(i)_bits"].drive(s.payload.data)
            s.ready.drive(arb["in\(i)_ready"])
        }
        let out = m.outputStream("grant", RecordLayout(["data": 8, "source": 2]))
        out.valid.drive(arb["out_valid"])
        out.payload.data.drive(arb["out_bits"])
        out.payload.source.drive(arb["out_chosen"])
        arb["out_ready"].drive(out.ready)
    }
}
