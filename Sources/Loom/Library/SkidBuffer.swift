/// A two-entry buffer that registers both directions of a stream: `out_valid`, `out_bits`
/// and `in_ready` all come from registers, so it cuts every combinational path between its
/// sides while sustaining one beat per cycle. Ports: `in_*` and `out_*` streams of `bits`.
public struct SkidBuffer: Module {
    public var width: Int
    public init(width: Int) { self.width = width }
    public var name: String { "skid_buffer_w\(width)" }

    public func body(_ m: ModuleBuilder) {
        let layout = RecordLayout(fields: [.init(name: "bits", width: width)])
        let input = m.inputStream("in", layout)
        let output = m.outputStream("out", layout)
        let outValid = m.register("out_valid_q", width: 1, reset: 0)
        let outBits = m.register("out_bits_q", width: width, reset: 0)
        let skidValid = m.register("skid_valid", width: 1, reset: 0)
        let skidBits = m.register("skid_bits", width: width, reset: 0)

        input.ready.drive(!skidValid)
        output.valid.drive(outValid)
        output.payload.bits.drive(outBits)

        let outputFree = m.wire("output_free", !outValid || output.ready)
        m.when(outputFree) {
            m.when(skidValid) {
                outValid.drive(1)
                outBits.drive(skidBits)
                skidValid.drive(0)
            }.otherwise {
                outValid.drive(input.valid)
                outBits.drive(input.payload.bits)
            }
        }.elsewhen(input.fire) {
            skidValid.drive(1)
            skidBits.drive(input.payload.bits)
        }
    }
}
