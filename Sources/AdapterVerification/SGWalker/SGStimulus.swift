import AdapterModel
import LoomCosim

/// The `sg_walker` test bench: sends operations (lists of entries) into `sge` with random
/// gaps, takes chunks with random back-pressure, and scores each operation in order
/// (`SGScoreboard`).
public final class SGStimulus: Stimulus {
    public struct RandomMix {
        public var operations = 300
        public var malformedPercent = 10
        public var groupPercent = 25
        public var patternPercent = 35
        public var chunkReadyPercent = 70
        public var sgeValidPercent = 80
        public var edgePercent = 5
        public init() {}
    }

    let ports: SGPorts
    let source: StreamSource<SGEntry>
    let sink: StreamSink<SGChunk>
    let scoreboard: SGScoreboard
    public private(set) var progress = 0
    public let coverage = Coverage(["plain", "pattern", "two-level pattern", "interleave group", "coalesced visits", "malformed",
                                    "end at 2^64 joins nothing", "length sum limit", "back-pressure on chunk"])

    /// Directed mode: exactly these operations.
    public init(_ layout: PortLayout, seed: UInt64, operations: [[SGEntry]], chunkReadyPercent: Int = 100, sgeValidPercent: Int = 100,
                maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws {
        ports = try SGPorts(layout.packed())
        source = StreamSource(ports.sge, seed: seed &+ 1, validPercent: sgeValidPercent)
        sink = StreamSink(ports.chunk, seed: seed &+ 2, readyPercent: chunkReadyPercent)
        scoreboard = SGScoreboard(SGReference(maxGroup: maxGroup, maxVisits: maxVisits), coverage: coverage)
        for op in operations { send(op) }
    }

    /// Random mode.
    public convenience init(_ layout: PortLayout, seed: UInt64, mix: RandomMix) throws {
        try self.init(layout, seed: seed, operations: [], chunkReadyPercent: mix.chunkReadyPercent, sgeValidPercent: mix.sgeValidPercent)
        var gen = OperationGenerator(rng: SeededRandom(seed: seed &* 31 &+ 7), mix: mix)
        for k in 0..<mix.operations {
            let op = gen.next(id: UInt8(k & 0xff))
            send(op.isEmpty ? [SGEntry.plain(key: 1, addr: 0, len: 1, id: UInt8(k & 0xff), last: true)] : op)
        }
    }

    func send(_ op: [SGEntry]) {
        for e in op { source.send(e) }
        scoreboard.expect(op)
    }

    /// The chunks received, one list per finished operation.
    public var received: [[SGChunk]] { scoreboard.received }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        source.drive(inputs)
        sink.drive(inputs)
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if outputs[ports.chunk.valid] & 1 == 1 && inputs[ports.chunk.ready] & 1 == 0 { coverage.hit("back-pressure on chunk") }
        if source.observe(outputs) != nil { progress += 1 }
        guard let c = sink.observe(cycle: cycle, outputs) else { return }
        progress += 1
        scoreboard.actual(c, cycle: cycle)
    }

    public var finished: Bool { scoreboard.operationsLeft == 0 && source.idle }
    public var failures: [String] { sink.violations + scoreboard.failures }
    /// Asked every cycle: checked without building the list.
    public var hasFailed: Bool { !sink.violations.isEmpty || !scoreboard.failures.isEmpty }
    public func finish() { scoreboard.board.finish() }
}
