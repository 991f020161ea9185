import AdapterModel
import LoomCosim

/// `sg_walker`'s streams in the packed word arrays, resolved once from `SGWalkerInterface`.
public struct SGPorts {
    public let rst: Int
    public let sge: StreamSlots<SGEntry>
    public let chunk: StreamSlots<SGChunk>

    public init(_ layout: PortLayout) throws {
        rst = try layout.resetSlot()
        sge = try layout.inputStream(SGWalkerInterface.sge)
        chunk = try layout.outputStream(SGWalkerInterface.chunk)
    }
}

/// `SGWalkerModel` behind the packed-word interface of the lockstep runner.
public final class SGWalkerCycleModel: CycleModel {
    let model: SGWalkerModel
    let p: SGPorts

    public init(_ layout: PortLayout, maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws {
        model = SGWalkerModel(maxGroup: maxGroup, maxVisits: maxVisits)
        p = try SGPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = SGWalkerModel.Inputs()
        x.rst = w[p.rst] & 1 == 1
        // sge_ready does not depend on the payload: it is decoded only with valid.
        x.sgeValid = w[p.sge.valid] & 1 == 1
        if x.sgeValid { x.sge = p.sge.read(w) }
        x.chunkReady = w[p.chunk.ready] & 1 == 1
        let r = model.cycle(x)
        o[p.sge.ready] = r.sgeReady ? 1 : 0
        o[p.chunk.valid] = r.chunkValid ? 1 : 0
        p.chunk.write(r.chunk, into: o)
    }
}

/// Sends operations (lists of entries) into `sg_walker`, takes chunks with random
/// back-pressure, and scores each operation against `SGReference`.
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
    var rng: SeededRandom
    let reference: SGReference
    var operations: [[SGEntry]] = []
    var opIndex = 0
    var current: [SGChunk] = []
    /// The chunks received, one list per finished operation.
    public private(set) var received: [[SGChunk]] = []
    public private(set) var progress = 0
    var scoreFailures: [String] = []
    public let coverage = Coverage(["plain", "pattern", "two-level pattern", "interleave group", "coalesced visits", "malformed",
                                    "end at 2^64 joins nothing", "length sum limit", "back-pressure on chunk"])

    /// Directed mode: exactly these operations.
    public init(_ layout: PortLayout, seed: UInt64, operations: [[SGEntry]], chunkReadyPercent: Int = 100, sgeValidPercent: Int = 100,
                maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws {
        ports = try SGPorts(layout)
        source = StreamSource(ports.sge, seed: seed &+ 1, validPercent: sgeValidPercent)
        sink = StreamSink(ports.chunk, seed: seed &+ 2, readyPercent: chunkReadyPercent)
        rng = SeededRandom(seed: seed)
        reference = SGReference(maxGroup: maxGroup, maxVisits: maxVisits)
        self.operations = operations
        for op in operations { for e in op { send(e) } }
    }

    /// Random mode.
    public convenience init(_ layout: PortLayout, seed: UInt64, mix: RandomMix) throws {
        try self.init(layout, seed: seed, operations: [], chunkReadyPercent: mix.chunkReadyPercent, sgeValidPercent: mix.sgeValidPercent)
        var gen = OperationGenerator(rng: SeededRandom(seed: seed &* 31 &+ 7), mix: mix)
        for k in 0..<mix.operations {
            var op = gen.next(id: UInt8(k & 0xff))
            if op.isEmpty { op = [SGEntry.plain(key: 1, addr: 0, len: 1, id: UInt8(k & 0xff), last: true)] }
            operations.append(op)
            for e in op { send(e) }
        }
    }

    func send(_ e: SGEntry) { source.send(e) }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        source.drive(inputs)
        sink.drive(inputs)
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if outputs[ports.chunk.valid] & 1 == 1 && inputs[ports.chunk.ready] & 1 == 0 { coverage.hit("back-pressure on chunk") }
        if source.observe(outputs) != nil { progress += 1 }
        guard let c = sink.observe(cycle: cycle, outputs) else { return }
        progress += 1
        current.append(c)
        if c.last {
            score(current, cycle: cycle)
            received.append(current)
            current = []
        }
    }

    func score(_ got: [SGChunk], cycle: Int) {
        guard opIndex < operations.count else {
            scoreFailures.append("cycle \(cycle): chunks for an operation that was never sent: \(got)")
            return
        }
        let op = operations[opIndex]
        opIndex += 1
        let outcome = reference.run(op)
        switch outcome {
        case let .chunks(want):
            if got != want {
                scoreFailures.append("operation \(opIndex - 1) (cycle \(cycle)): expected \(want), got \(got)")
            }
            let visits = op.reduce(0) { n, e in n + (e.kind == 1 ? Int(e.count0) * Int(e.count1) : 1) }
            if visits > want.count { coverage.hit("coalesced visits") }
        case let .malformed(before, id, _):
            coverage.hit("malformed")
            let prefix = got.dropLast()
            let ok = got.last == SGChunk.malformed(id: id) && prefix.count <= before.count && Array(before.prefix(prefix.count)) == Array(prefix)
            if !ok { scoreFailures.append("operation \(opIndex - 1) (cycle \(cycle)): expected a prefix of \(before) then MALFORMED(id \(id)), got \(got)") }
        }
        for e in op {
            if e.kind == 0 { coverage.hit("plain") }
            if e.kind == 1 { coverage.hit(e.count1 > 1 ? "two-level pattern" : "pattern") }
            if e.group { coverage.hit("interleave group") }
            if e.kind == 0 && e.addr &+ UInt64(e.len) == 0 && e.len > 0 { coverage.hit("end at 2^64 joins nothing") }
            if e.len > 0x8000_0000 { coverage.hit("length sum limit") }
        }
    }

    public var finished: Bool { opIndex >= operations.count && source.idle }
    public var failures: [String] { sink.violations + scoreFailures }
    /// Asked every cycle: checked without building the list.
    public var hasFailed: Bool { !sink.violations.isEmpty || !scoreFailures.isEmpty }
    public func finish() {
        if opIndex < operations.count { scoreFailures.append("\(operations.count - opIndex) operation(s) never completed") }
    }
}

/// Random operations: PLAIN runs (often contiguous), patterns, interleave groups, edge
/// cases near 2^64 and 2^32, and malformed entries of every kind in SPEC 2.3.
struct OperationGenerator {
    var rng: SeededRandom
    let mix: SGStimulus.RandomMix

    mutating func plain(_ id: UInt8, after: SGEntry?) -> SGEntry {
        var addr = rng.next() & 0xffff_ffff
        var key = UInt32(1 + rng.below(2))
        if let a = after, a.kind == 0, rng.chance(50) { addr = a.addr &+ UInt64(a.len); key = a.key }
        var len = UInt32(1 + rng.below(4096))
        if rng.chance(mix.edgePercent) { len = UInt32.max - UInt32(rng.below(4)) }          // sum limit
        if rng.chance(mix.edgePercent) { addr = 0 &- UInt64(len) }                          // ends exactly at 2^64
        return .plain(key: key, addr: addr, len: len, id: id)
    }

    mutating func pattern(_ id: UInt8, counts: (UInt32, UInt32)? = nil) -> SGEntry {
        let elem = UInt32(1 + rng.below(64))
        let c0 = counts?.0 ?? UInt32(1 + rng.below(6)), c1 = counts?.1 ?? UInt32(rng.chance(40) ? 1 + rng.below(3) : 1)
        let stride0 = rng.chance(40) ? elem : elem + UInt32(rng.below(32))
        let stride1 = stride0 * c0 + UInt32(rng.below(64))
        return .pattern(key: UInt32(1 + rng.below(2)), base: rng.next() & 0xffff_ffff_ffff, elem: elem, count0: c0, stride0: stride0,
                        count1: c1, stride1: stride1, id: id)
    }

    mutating func next(id: UInt8) -> [SGEntry] {
        var op: [SGEntry] = []
        let entries = 1 + Int(rng.below(4))
        for _ in 0..<entries {
            if rng.chance(mix.groupPercent) {
                let members = 2 + Int(rng.below(3))
                let counts = (UInt32(1 + rng.below(4)), UInt32(1 + rng.below(2)))
                let elem = UInt32(8)
                let base = rng.next() & 0xffff_ffff
                for k in 0..<members {
                    // mlx5 interleaved layout: members side by side, so visits chain into one run.
                    var e = SGEntry.pattern(key: 1, base: base + UInt64(k) * UInt64(elem), elem: elem, count0: counts.0,
                                            stride0: elem * UInt32(members), count1: counts.1, stride1: elem * UInt32(members) * counts.0, id: id)
                    if rng.chance(30) { e = pattern(id, counts: counts) }
                    e.group = k < members - 1
                    op.append(e)
                }
            } else if rng.chance(mix.patternPercent) {
                op.append(pattern(id))
            } else {
                op.append(plain(id, after: op.last))
            }
        }
        if rng.chance(mix.malformedPercent) { corrupt(&op) }
        op[op.count - 1].last = true
        for k in op.indices { op[k].id = id }
        return op
    }

    mutating func corrupt(_ op: inout [SGEntry]) {
        let k = Int(rng.below(UInt64(op.count)))
        switch rng.below(9) {
        case 0: op[k].kind = 2 + UInt8(rng.below(2))
        case 1: op[k] = .plain(key: 1, addr: 0x1000, len: 0)
        case 2: op[k] = .pattern(key: 1, base: 0, elem: 0, count0: 2, stride0: 4)
        case 3: op[k] = .pattern(key: 1, base: 0, elem: 4, count0: 0, stride0: 4)
        case 4: op[k] = .pattern(key: 1, base: 0, elem: 4, count0: 1 << 13, stride0: 4, count1: 1 << 12, stride1: 4)  // 2^25 visits
        case 5: op.append(.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, group: true))        // group open at the end
        case 6: op.insert(.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, group: true), at: k)  // continued by anything else
            op.insert(.plain(key: 1, addr: 0, len: 4), at: k + 1)
        case 7: op[k] = .plain(key: 1, addr: UInt64.max - 2, len: 4)                                    // past 2^64
        default: op[k] = .pattern(key: 1, base: UInt64.max - 100, elem: 8, count0: 4, stride0: 32)     // pattern past 2^64
        }
        op[k].group = op[k].group && k < op.count - 1
    }
}
