/// Merges `inputs` streams of `width` bits into one, granting in round-robin order: after
/// input `i` transfers, the search for the next grant starts at `i + 1`, so every input
/// that keeps `valid` high is served within `inputs` transfers.
///
/// Combinational: `out_valid`, `out_bits` and `out_chosen` follow the inputs in the same
/// cycle, and `in<i>_ready` is `out_ready` for the granted input. Add a queue or skid buffer
/// after it to register the output. Ports: `in<i>_valid/ready/bits`, `out_valid/ready/bits`,
/// `out_chosen`.
public struct RoundRobinArbiter: Module {
    public var inputs: Int
    public var width: Int
    public init(inputs: Int, width: Int) {
        self.inputs = inputs
        self.width = width
    }
    public var name: String { "rr_arbiter_n\(inputs)_w\(width)" }

    public func body(_ m: ModuleBuilder) {
        let layout = RecordLayout(fields: [.init(name: "bits", width: width)])
        let ins = (0..<inputs).map { m.inputStream("in\($0)", layout) }
        let out = m.outputStream("out", layout)
        let indexWidth = addressBits(inputs)
        let chosenPort = m.output("out_chosen", width: indexWidth)
        let last = m.register("last_granted", width: indexWidth, reset: UInt64(inputs - 1))

        // First valid input above `last`, else the first valid input overall.
        func firstValid(_ eligible: [Bits]) -> (found: Bits, index: Bits) {
            var found = m.false
            var index = m.lit(0, width: indexWidth)
            for i in stride(from: inputs - 1, through: 0, by: -1) {
                index = mux(eligible[i], m.lit(UInt64(i), width: indexWidth), index)
                found = found | eligible[i]
            }
            return (found, index)
        }
        let valids = ins.map(\.valid)
        let above = firstValid((0..<inputs).map { valids[$0] & (last < $0) })
        let any = firstValid(valids)
        let chosen = m.wire("chosen", mux(above.found, above.index, any.index))

        out.valid.drive(any.found)
        var bits = ins[inputs - 1].payload.bits
        for i in stride(from: inputs - 2, through: 0, by: -1) {
            bits = mux(chosen == i, ins[i].payload.bits, bits)
        }
        out.payload.bits.drive(bits)
        chosenPort.drive(chosen)
        for (i, s) in ins.enumerated() { s.ready.drive(out.ready & (chosen == i)) }
        m.when(out.fire) { last.drive(chosen) }
    }
}
