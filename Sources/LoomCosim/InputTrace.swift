/// The input words a run applied, cycle by cycle: recorded once from a real test, then
/// replayed to time the Verilated model alone and in lockstep on exactly the same inputs.
///
/// ```swift
/// let recorder = InputRecorder(parts.stimulus, words: parts.rtl.layout.inputWords, limit: 200_000)
/// _ = try runner.run(test: "t", seed: 1, reproduce: "") { .init(rtl: parts.rtl, model: parts.model, stimulus: recorder) }
/// let replay = InputReplay(recorder.trace)   // drives the same inputs again, checks nothing
/// ```
public struct InputTrace: Sendable {
    /// Words per cycle (`PortLayout.inputWords`).
    public let wordsPerCycle: Int
    /// All cycles' words, one cycle after another.
    public internal(set) var words: [UInt64] = []
    public var cycles: Int { wordsPerCycle == 0 ? 0 : words.count / wordsPerCycle }

    public init(wordsPerCycle: Int) { self.wordsPerCycle = max(wordsPerCycle, 1) }
}

/// Passes a test's stimulus through unchanged and records what it drove, up to `limit`
/// cycles (the test then finishes on its own as usual).
public final class InputRecorder: Stimulus {
    let inner: Stimulus
    let limit: Int
    public private(set) var trace: InputTrace

    public init(_ inner: Stimulus, words: Int, limit: Int) {
        self.inner = inner
        self.limit = limit
        trace = InputTrace(wordsPerCycle: words)
        trace.words.reserveCapacity(min(limit, 1 << 20) * trace.wordsPerCycle)
    }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        inner.drive(cycle: cycle, inputs: inputs)
        if cycle < limit { trace.words.append(contentsOf: UnsafeBufferPointer(start: inputs, count: trace.wordsPerCycle)) }
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        inner.observe(cycle: cycle, inputs: inputs, outputs: outputs)
    }

    public var finished: Bool { inner.finished }
    public var progress: Int { inner.progress }
    public var failures: [String] { inner.failures }
    public var hasFailed: Bool { inner.hasFailed }
    public func finish() { inner.finish() }
    public var coverage: Coverage { inner.coverage }
    public var state: String { inner.state }
}

/// Drives a recorded trace, cycle by cycle, and checks nothing; finished at its end.
public final class InputReplay: Stimulus {
    let trace: InputTrace
    var replayed = 0
    public let coverage = Coverage()

    public init(_ trace: InputTrace) { self.trace = trace }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        let n = trace.wordsPerCycle
        trace.words.withUnsafeBufferPointer { all in
            inputs.update(from: all.baseAddress! + cycle * n, count: n)
        }
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) { replayed = cycle + 1 }
    public var finished: Bool { replayed >= trace.cycles }
    public var progress: Int { replayed }
    public var failures: [String] { [] }
    public var hasFailed: Bool { false }
}
