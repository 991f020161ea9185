import Loom

/// A stream passes through a 4-deep queue (built in place) and then a skid buffer (a child module).
public struct BufferedStream: Module {
    public var width: Int
    public var depth: Int
    public init(width: Int = 8, depth: Int = 4) {
        self.width = width
        self.depth = depth
    }
    public var name: String { "buffered_stream" }

    public func body(_ m: ModuleBuilder) {
        let layout = RecordLayout(["data": width, "tag": 2])
        let input = m.inputStream("in", layout)
        let output = m.outputStream("out", layout)
        let queued = input.queue("fifo", depth: depth)
        let skid = m.instance("skid", SkidBuffer(width: layout.width))
        skid["in_valid"].drive(queued.valid)
        skid["in_bits"].drive(queued.payload.packed())
        queued.ready.drive(skid["in_ready"])
        output.valid.drive(skid["out_valid"])
        output.payload.drive(layout.unpack("skid_out", skid["out_bits"]))
        skid["out_ready"].drive(output.ready)
    }
}
