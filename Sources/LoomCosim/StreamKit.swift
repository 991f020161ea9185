import LoomInterface

/// Where a port sits in the packed word arrays.
public struct PortSlot {
    public let offset: Int
    public let width: Int
    public let mask: UInt64

    public init(_ port: ShimPort) {
        offset = port.wordOffset
        width = port.width
        mask = port.width >= 64 ? ~0 : (1 << UInt64(port.width)) - 1
    }
}

/// Drives one of the design's input streams with queued beats, respecting the stream
/// contract: once valid rises it stays up with the payload unchanged until the beat
/// transfers. Between beats it idles at random (`validPercent`) with random junk on the
/// payload, which the design must ignore.
/// The per-cycle state of the drivers is never accessed from two places at once, so the
/// runtime's exclusivity checks on it are turned off (they cost more than the work here).
public final class StreamSource<Beat: StreamBeat> {
    public let slots: StreamSlots<Beat>
    /// Every beat queued so far, sent or not.
    public var pending: [Beat] { queuedBeats }
    @exclusivity(unchecked) @usableFromInline var queuedBeats: [Beat] = []
    @exclusivity(unchecked) @usableFromInline var head = 0
    @exclusivity(unchecked) @usableFromInline var holding = false
    public var validPercent: Int
    /// Beats that have transferred.
    public var sent: Int { head }
    @exclusivity(unchecked) @usableFromInline var rng: SeededRandom

    public init(_ slots: StreamSlots<Beat>, seed: UInt64, validPercent: Int = 70) {
        self.slots = slots
        rng = SeededRandom(seed: seed)
        self.validPercent = validPercent
    }

    /// Queues a beat.
    public func send(_ beat: Beat) { queuedBeats.append(beat) }

    public var idle: Bool { head >= queuedBeats.count && !holding }
    public var queued: Int { queuedBeats.count - head }

    @inlinable
    public func drive(_ inputs: UnsafeMutablePointer<UInt64>) {
        if !holding && head < queuedBeats.count && rng.chance(validPercent) {
            holding = true
            slots.write(queuedBeats[head], into: inputs)
        }
        inputs[slots.valid] = holding ? 1 : 0
        if !holding { slots.scramble(inputs, &rng) }
    }

    /// Returns the beat that transferred this cycle, if any.
    @inlinable @discardableResult
    public func observe(_ outputs: UnsafePointer<UInt64>) -> Beat? {
        guard holding, outputs[slots.ready] & 1 == 1 else { return nil }
        holding = false
        head += 1
        return queuedBeats[head - 1]
    }
}

/// Receives one of the design's output streams with random back-pressure on `ready`, and
/// checks the contract: valid, once up, stays up with an unchanged payload until the beat
/// transfers.
public final class StreamSink<Beat: StreamBeat> {
    public let slots: StreamSlots<Beat>
    public var readyPercent: Int
    @exclusivity(unchecked) @usableFromInline var rng: SeededRandom
    /// The payload of a beat that waits for ready (valid and unchanged until it transfers).
    @exclusivity(unchecked) @usableFromInline var held: [UInt64]
    @exclusivity(unchecked) @usableFromInline var holding = false
    /// Breaches of the stream contract seen so far.
    public var violations: [String] { contractViolations }
    @usableFromInline var contractViolations: [String] = []
    /// Beats that have transferred.
    public var received: Int { receivedCount }
    @exclusivity(unchecked) @usableFromInline var receivedCount = 0
    @exclusivity(unchecked) @usableFromInline var readyNow = false

    public init(_ slots: StreamSlots<Beat>, seed: UInt64, readyPercent: Int = 70) {
        self.slots = slots
        rng = SeededRandom(seed: seed)
        self.readyPercent = readyPercent
        held = Array(repeating: 0, count: Beat.fields.count)
    }

    @inlinable
    public func drive(_ inputs: UnsafeMutablePointer<UInt64>) {
        readyNow = rng.chance(readyPercent)
        inputs[slots.ready] = readyNow ? 1 : 0
    }

    /// Returns the beat that transferred this cycle, if any.
    @inlinable @discardableResult
    public func observe(cycle: Int, _ outputs: UnsafePointer<UInt64>) -> Beat? {
        let v = outputs[slots.valid] & 1 == 1
        if holding {
            if !v { contractViolations.append("\(slots.name): cycle \(cycle): valid dropped before the beat transferred") }
            else if !slots.payloadEquals(outputs, held) { contractViolations.append("\(slots.name): cycle \(cycle): payload changed while valid waited for ready") }
        }
        if v && readyNow {
            holding = false
            receivedCount += 1
            return slots.read(outputs)
        }
        if v && !holding { slots.copyPayload(outputs, into: &held) }
        holding = v
        return nil
    }
}

/// Expects items in exactly the order they were predicted.
///
/// ```swift
/// let board = InOrderScoreboard<Beat>("chunks")
/// board.expect(reference.next())        // when the stimulus is sent
/// board.actual(beat, cycle: cycle)      // when the design answers
/// ```
public final class InOrderScoreboard<Item> {
    public private(set) var expected: [Item] = []
    var head = 0
    public private(set) var failures: [String] = []
    public private(set) var matched = 0
    let name: String
    let matches: (_ expected: Item, _ actual: Item) -> Bool

    /// Items match when `matches` says so: for answers the SPEC allows in more than one form
    /// (an error beat after any prefix of the segments, for example).
    public init(_ name: String, matches: @escaping (_ expected: Item, _ actual: Item) -> Bool) {
        self.name = name
        self.matches = matches
    }

    public func expect(_ item: Item) { expected.append(item) }

    public func actual(_ item: Item, cycle: Int) {
        guard head < expected.count else {
            failures.append("\(name): cycle \(cycle): unexpected \(item) (nothing more was expected)")
            return
        }
        if !matches(expected[head], item) {
            failures.append("\(name): cycle \(cycle): expected \(expected[head]), got \(item)")
        } else {
            matched += 1
        }
        head += 1
    }

    public var outstanding: Int { expected.count - head }

    /// Fails when items were predicted but never arrived.
    public func finish() {
        if head < expected.count { failures.append("\(name): \(expected.count - head) expected item(s) never arrived, first \(expected[head])") }
    }
}

extension InOrderScoreboard where Item: Equatable {
    /// Items match when they are equal.
    public convenience init(_ name: String) { self.init(name, matches: ==) }
}

/// Expects a multiset of items in any order.
public final class AnyOrderScoreboard<Item: Hashable> {
    var expected: [Item: Int] = [:]
    public private(set) var failures: [String] = []
    let name: String
    public init(_ name: String) { self.name = name }

    public func expect(_ item: Item) { expected[item, default: 0] += 1 }

    public func actual(_ item: Item, cycle: Int) {
        if let n = expected[item], n > 0 { expected[item] = n == 1 ? nil : n - 1 }
        else { failures.append("\(name): cycle \(cycle): unexpected \(item)") }
    }

    public var outstanding: Int { expected.values.reduce(0, +) }

    public func finish() {
        if outstanding > 0 { failures.append("\(name): \(outstanding) expected item(s) never arrived") }
    }
}

/// Random values on every input but `rst`, every cycle: the differential check's stimulus.
/// Every `resetEvery` cycles on average it also pulses `rst` to exercise reset.
public final class RandomInputStimulus: Stimulus {
    let slots: [PortSlot]
    let rst: PortSlot?
    let cycles: Int
    let resetPerMille: UInt64
    var rng: SeededRandom
    public private(set) var progress = 0
    public var failures: [String] { [] }
    public let coverage = Coverage(["cycles"])

    public init(_ layout: PortLayout, seed: UInt64, cycles: Int, resetEvery: Int = 500) {
        slots = layout.inputs.filter { $0.name != "rst" && $0.words == 1 }.map(PortSlot.init) +
            layout.inputs.filter { $0.words > 1 }.flatMap { p in (0..<p.words).map { k in
                PortSlot(ShimPort(name: p.name, width: min(64, p.width - 64 * k), isOutput: false, wordOffset: p.wordOffset + k)) } }
        rst = layout.input("rst").map(PortSlot.init)
        if rst != nil { coverage.declare("reset pulses") }
        self.cycles = cycles
        resetPerMille = UInt64(max(1, 1000 / max(resetEvery, 1)))
        rng = SeededRandom(seed: seed)
    }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        for s in slots { inputs[s.offset] = rng.next() & s.mask }
        if let rst {
            let pulse = rng.next() % 1000 < resetPerMille
            inputs[rst.offset] = pulse ? 1 : 0
            if pulse { coverage.hit("reset pulses") }
        }
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        progress += 1
        coverage.hit("cycles")
    }

    public var finished: Bool { progress >= cycles }
}
