/// A first-in first-out queue of `depth` beats of `width` bits between two streams.
///
/// - `pipe`: `enq_ready` is also 1 when full if the head leaves in the same cycle, so a
///   depth-1 pipe queue sustains one beat per cycle (`enq_ready` then depends on `deq_ready`).
/// - `flow`: an empty queue passes an arriving beat straight to `deq` in the same cycle
///   (`deq_valid` and the payload then depend on `enq_valid` and the payload).
/// Without either option both sides are fully registered. Ports: `enq_valid`, `enq_ready`,
/// `enq_bits`, `deq_valid`, `deq_ready`, `deq_bits`, `count`.
public struct Queue: Module {
    public var width: Int
    public var depth: Int
    public var pipe: Bool
    public var flow: Bool

    public init(width: Int, depth: Int, pipe: Bool = false, flow: Bool = false) {
        self.width = width
        self.depth = depth
        self.pipe = pipe
        self.flow = flow
    }

    public var name: String { "queue_w\(width)_d\(depth)\(pipe ? "_pipe" : "")\(flow ? "_flow" : "")" }

    public static func layout(width: Int) -> RecordLayout { RecordLayout(fields: [.init(name: "bits", width: width)]) }

    public func body(_ m: ModuleBuilder) {
        let enq = m.inputStream("enq", Queue.layout(width: width))
        let deq = m.outputStream("deq", Queue.layout(width: width))
        let count = m.output("count", width: addressBits(depth + 1))
        let storage = m.memory("storage", depth: depth, width: width)
        let pointerWidth = storage.addressWidth
        let head = m.register("head", width: pointerWidth, reset: 0)
        let tail = m.register("tail", width: pointerWidth, reset: 0)
        let occupancy = m.register("occupancy", width: count.width, reset: 0)

        let empty = m.wire("empty", occupancy == 0)
        let full = m.wire("full", occupancy == depth)
        func advance(_ p: Bits) -> Bits { depth == 1 << pointerWidth ? p &+ 1 : mux(p == depth - 1, m.lit(0, width: pointerWidth), p &+ 1) }

        let stored = storage.readAsync(head)
        if flow {
            deq.valid.drive(!empty || enq.valid)
            deq.payload.bits.drive(mux(empty, enq.payload.bits, stored))
        } else {
            deq.valid.drive(!empty)
            deq.payload.bits.drive(stored)
        }
        enq.ready.drive(pipe ? (!full || deq.ready) : !full)

        // In flow mode a beat that passes straight through an empty queue is not stored.
        let passThrough = flow ? empty & enq.valid & deq.ready : m.false
        let pushes = m.wire("pushes", enq.fire & !passThrough)
        let pops = m.wire("pops", deq.fire & !passThrough)
        m.when(pushes) {
            storage.write(tail, enq.payload.bits)
            tail.drive(advance(tail))
        }
        m.when(pops) { head.drive(advance(head)) }
        m.when(pushes & !pops) { occupancy.drive(occupancy &+ 1) }
            .elsewhen(pops & !pushes) { occupancy.drive(occupancy &- 1) }
        count.drive(occupancy)
    }
}

extension ModuleBuilder {
    /// Buffers `source` through a `Queue` named `name` and returns the queue's output stream,
    /// with the same record layout.
    ///
    /// ```swift
    /// let buffered = m.queue("reqq", req, depth: 4)
    /// ```
    public func queue(_ name: String, _ source: Stream, depth: Int, pipe: Bool = false, flow: Bool = false, fileID: String = #fileID, line: Int = #line) -> Stream {
        let q = instance(name, Queue(width: source.layout.width, depth: depth, pipe: pipe, flow: flow), fileID: fileID, line: line)
        q["enq_valid", fileID: fileID, line: line].drive(source.valid, fileID: fileID, line: line)
        q["enq_bits", fileID: fileID, line: line].drive(source.payload.packed(), fileID: fileID, line: line)
        source.ready.drive(q["enq_ready", fileID: fileID, line: line], fileID: fileID, line: line)
        let out = Stream(valid: wire("\(name)_out_valid", q["deq_valid", fileID: fileID, line: line], fileID: fileID, line: line),
                         ready: wire("\(name)_out_ready", width: 1, fileID: fileID, line: line),
                         payload: source.layout.unpack("\(name)_out", q["deq_bits", fileID: fileID, line: line], fileID: fileID, line: line))
        q["deq_ready", fileID: fileID, line: line].drive(out.ready, fileID: fileID, line: line)
        return out
    }
}
