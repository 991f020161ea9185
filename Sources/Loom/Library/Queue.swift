/// A first-in first-out queue of `depth` beats of `width` bits between two streams.
///
/// - `pipe`: `enq_ready` is also 1 when full if the head leaves in the same cycle, so a
///   depth-1 pipe queue sustains one beat per cycle (`enq_ready` then depends on `deq_ready`).
/// - `flow`: an empty queue passes an arriving beat straight to `deq` in the same cycle
///   (`deq_valid` and the payload then depend on `enq_valid` and the payload).
/// Without either option both sides are fully registered. Ports: `enq_valid`, `enq_ready`,
/// `enq_bits`, `deq_valid`, `deq_ready`, `deq_bits`, `count`.
///
/// To buffer a stream inside a module without a child module, use `Stream.queue(_:depth:)`:
/// the same logic, built in place.
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
        count.drive(Self.build(m, prefix: "", enq: enq, deq: deq, depth: depth, pipe: pipe, flow: flow))
    }

    /// Builds the queue between `enq` and `deq` (one record layout) in `m`, its state named
    /// `<prefix>storage`, `<prefix>head`, ...; returns the occupancy.
    static func build(_ m: ModuleBuilder, prefix: String, enq: Stream, deq: Stream, depth: Int, pipe: Bool, flow: Bool,
                      fileID: String = #fileID, line: Int = #line) -> Bits {
        let storage = m.memory("\(prefix)storage", depth: depth, width: enq.layout.width, fileID: fileID, line: line)
        let pointerWidth = storage.addressWidth
        let head = m.register("\(prefix)head", width: pointerWidth, reset: 0, fileID: fileID, line: line)
        let tail = m.register("\(prefix)tail", width: pointerWidth, reset: 0, fileID: fileID, line: line)
        let occupancy = m.register("\(prefix)occupancy", width: addressBits(depth + 1), reset: 0, fileID: fileID, line: line)

        let empty = m.wire("\(prefix)empty", occupancy == 0, fileID: fileID, line: line)
        let full = m.wire("\(prefix)full", occupancy == depth, fileID: fileID, line: line)
        func advance(_ p: Bits) -> Bits { depth == 1 << pointerWidth ? p &+ 1 : mux(p == depth - 1, m.lit(0, width: pointerWidth), p &+ 1) }

        let incoming = enq.payload.packed()
        let stored = storage.readAsync(head, fileID: fileID, line: line)
        if flow {
            deq.valid.drive(!empty || enq.valid, fileID: fileID, line: line)
            deq.payload.drive(packed: mux(empty, incoming, stored), fileID: fileID, line: line)
        } else {
            deq.valid.drive(!empty, fileID: fileID, line: line)
            deq.payload.drive(packed: stored, fileID: fileID, line: line)
        }
        enq.ready.drive(pipe ? (!full || deq.ready) : !full, fileID: fileID, line: line)

        // In flow mode a beat that passes straight through an empty queue is not stored.
        let passThrough = flow ? empty & enq.valid & deq.ready : m.false
        let pushes = m.wire("\(prefix)pushes", enq.fire & !passThrough, fileID: fileID, line: line)
        let pops = m.wire("\(prefix)pops", deq.fire & !passThrough, fileID: fileID, line: line)
        m.when(pushes, fileID: fileID, line: line) {
            storage.write(tail, incoming, fileID: fileID, line: line)
            tail.drive(advance(tail), fileID: fileID, line: line)
        }
        m.when(pops, fileID: fileID, line: line) { head.drive(advance(head), fileID: fileID, line: line) }
        m.when(pushes & !pops, fileID: fileID, line: line) { occupancy.drive(occupancy &+ 1, fileID: fileID, line: line) }
            .elsewhen(pops & !pushes, fileID: fileID, line: line) { occupancy.drive(occupancy &- 1, fileID: fileID, line: line) }
        return occupancy
    }
}
