import Dispatch
import Foundation

/// The first disagreement between the RTL and the model.
public struct Mismatch: CustomStringConvertible, Sendable {
    public let cycle: Int
    public let port: String
    public let expected: [UInt64]
    public let actual: [UInt64]

    static func hex(_ words: [UInt64]) -> String {
        "0x" + words.reversed().enumerated().map { i, w in
            let s = String(w, radix: 16)
            return i == 0 ? s : String(repeating: "0", count: 16 - s.count) + s
        }.joined(separator: "_")
    }

    public var description: String {
        "cycle \(cycle): port '\(port)' expected \(Mismatch.hex(expected)), RTL gave \(Mismatch.hex(actual))"
    }
}

/// The outcome of one lockstep run.
public struct RunResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case passed
        case mismatch
        case checkFailed
        case cycleLimit
        case watchdog
    }
    public var test: String
    public var seed: UInt64
    public var cycles: Int
    public var seconds: Double
    public var outcome: Outcome
    public var mismatch: Mismatch?
    public var failures: [String]
    /// A one-line message for the summary and the JUnit report.
    public var message: String
    public var reproduce: String
    public var waveform: String?
    public var coverage: String
    public var uncovered: [String]

    public var passed: Bool { outcome == .passed }
    public var cyclesPerSecond: Double { seconds > 0 ? Double(cycles) / seconds : 0 }

    /// The full failure report: what, where, how to reproduce, and the waveform.
    public var report: String {
        var lines = ["FAIL \(test) seed \(seed): \(message)"]
        if let m = mismatch {
            lines.append("  cycle:    \(m.cycle)")
            lines.append("  port:     \(m.port)")
            lines.append("  expected: \(Mismatch.hex(m.expected))")
            lines.append("  actual:   \(Mismatch.hex(m.actual))")
        }
        for f in failures.prefix(5) { lines.append("  check: \(f)") }
        lines.append("  seed:     \(seed)")
        lines.append("  reproduce: \(reproduce)")
        if let w = waveform { lines.append("  waveform: \(w)") }
        return lines.joined(separator: "\n")
    }
}

/// Runs RTL and model in lockstep under a stimulus, compares every output every cycle, and
/// stops at the first mismatch, check failure, cycle limit or watchdog.
public struct LockstepRunner {
    /// The run stops (and fails) here if the stimulus has not finished.
    public var cycleLimit: Int
    /// The run stops (and fails) after this many cycles without progress.
    public var watchdogCycles: Int
    /// Cycles with `rst` high at the start (outputs are not compared before the first edge).
    public var resetCycles = 2
    /// Cycles of waveform kept before a mismatch.
    public var waveWindow = 64
    /// Where waveforms of failures go.
    public var waveDirectory: URL
    /// Called about every million cycles during long runs (for a progress line).
    public var onProgress: ((Int) -> Void)?

    public init(cycleLimit: Int, watchdogCycles: Int = 10_000, waveDirectory: URL = URL(fileURLWithPath: ".build/loom-waves")) {
        self.cycleLimit = cycleLimit
        self.watchdogCycles = watchdogCycles
        self.waveDirectory = waveDirectory
    }

    /// One instance of everything a run needs; `make` is called again to replay a failure
    /// with the waveform on, so it must build fresh, identically seeded objects.
    public struct Parts {
        public var rtl: VerilatedModel
        public var model: CycleModel
        public var stimulus: Stimulus
        public init(rtl: VerilatedModel, model: CycleModel, stimulus: Stimulus) {
            self.rtl = rtl
            self.model = model
            self.stimulus = stimulus
        }
    }

    public func run(test: String, seed: UInt64, reproduce: String, make: () throws -> Parts) throws -> RunResult {
        let parts = try make()
        let start = DispatchTime.now().uptimeNanoseconds
        var result = loop(parts, stopAt: nil)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if result.outcome == .passed {
            parts.stimulus.finish()
            if !parts.stimulus.failures.isEmpty { result.outcome = .checkFailed }
        }
        var r = RunResult(test: test, seed: seed, cycles: result.cycles, seconds: seconds, outcome: result.outcome,
                          mismatch: result.mismatch, failures: parts.stimulus.failures, message: "",
                          reproduce: reproduce, waveform: nil, coverage: parts.stimulus.coverage.summary,
                          uncovered: parts.stimulus.coverage.missing)
        switch r.outcome {
        case .passed: r.message = "passed"
        case .mismatch: r.message = result.mismatch!.description
        case .checkFailed: r.message = parts.stimulus.failures.first ?? "check failed"
        case .cycleLimit: r.message = "cycle limit \(cycleLimit) reached before the test finished"
        case .watchdog: r.message = "watchdog: nothing moved for \(watchdogCycles) cycles (a ready or valid never rose?)"
        }
        if r.outcome == .cycleLimit || r.outcome == .watchdog, !parts.stimulus.state.isEmpty { r.message += "; bench: \(parts.stimulus.state)" }
        if r.outcome != .passed {
            r.waveform = try? replayWithWaveform(test: test, seed: seed, failedAt: result.cycles, make: make)
        }
        return r
    }

    struct LoopResult {
        var cycles: Int
        var outcome: RunResult.Outcome
        var mismatch: Mismatch?
    }

    /// The hot loop. Kept to local variables and raw buffers.
    func loop(_ parts: Parts, stopAt: Int?, traceFrom: Int? = nil, tracePath: String? = nil) -> LoopResult {
        let layout = parts.rtl.layout
        let rtl = parts.rtl, model = parts.model, stimulus = parts.stimulus
        let inWords = max(layout.inputWords, 1), outWords = max(layout.outputWords, 1)
        let inputs = UnsafeMutablePointer<UInt64>.allocate(capacity: inWords)
        let rtlOut = UnsafeMutablePointer<UInt64>.allocate(capacity: outWords)
        let modelOut = UnsafeMutablePointer<UInt64>.allocate(capacity: outWords)
        defer { inputs.deallocate(); rtlOut.deallocate(); modelOut.deallocate() }
        inputs.initialize(repeating: 0, count: inWords)
        rtlOut.initialize(repeating: 0, count: outWords)
        modelOut.initialize(repeating: 0, count: outWords)
        let rst = layout.input("rst")?.wordOffset
        let limit = stopAt ?? cycleLimit
        let compares = !(model is NoSecondModel)

        // Reset both sides identically; outputs before the first reset edge are undefined.
        if let rst {
            inputs[rst] = 1
            for _ in 0..<resetCycles {
                rtl.cycle(inputs, rtlOut)
                model.cycle(inputs, modelOut)
            }
            inputs[rst] = 0
        }
        var lastProgress = stimulus.progress
        var lastProgressCycle = 0
        var cycle = 0
        while cycle < limit {
            if let traceFrom, let tracePath, cycle == traceFrom { try? rtl.startTrace(tracePath) }
            stimulus.drive(cycle: cycle, inputs: inputs)
            rtl.cycle(inputs, rtlOut)
            var same = true
            if compares {
                model.cycle(inputs, modelOut)
                for k in 0..<outWords where rtlOut[k] != modelOut[k] { same = false; break }
            }
            if !same {
                let port = layout.outputs.first { p in (0..<p.words).contains { rtlOut[p.wordOffset + $0] != modelOut[p.wordOffset + $0] } }!
                let words = 0..<port.words
                return LoopResult(cycles: cycle, outcome: .mismatch, mismatch: Mismatch(
                    cycle: cycle, port: port.name,
                    expected: words.map { modelOut[port.wordOffset + $0] }, actual: words.map { rtlOut[port.wordOffset + $0] }))
            }
            stimulus.observe(cycle: cycle, inputs: inputs, outputs: rtlOut)
            if stimulus.hasFailed { return LoopResult(cycles: cycle, outcome: .checkFailed) }
            cycle += 1
            if stimulus.finished { return LoopResult(cycles: cycle, outcome: .passed) }
            // The watchdog looks every 16 cycles: cheap, and late by at most 15 cycles.
            if cycle & 15 == 0 {
                let p = stimulus.progress
                if p != lastProgress {
                    lastProgress = p
                    lastProgressCycle = cycle
                } else if cycle - lastProgressCycle >= watchdogCycles {
                    return LoopResult(cycles: cycle, outcome: .watchdog)
                }
                if cycle & 0xFFFFF == 0, let onProgress { onProgress(cycle) }
            }
        }
        return LoopResult(cycles: cycle, outcome: stopAt == nil ? .cycleLimit : .passed)
    }

    /// Runs the same seed again with the waveform on for the cycles around the failure.
    func replayWithWaveform(test: String, seed: UInt64, failedAt: Int, make: () throws -> Parts) throws -> String {
        try FileManager.default.createDirectory(at: waveDirectory, withIntermediateDirectories: true)
        let safe = test.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        let path = waveDirectory.appendingPathComponent("\(String(safe))-seed\(seed).vcd").path
        let parts = try make()
        _ = loop(parts, stopAt: failedAt + 2, traceFrom: max(0, failedAt - waveWindow), tracePath: path)
        parts.rtl.stopTrace()
        return path
    }
}
