import Examples
import Foundation
import Loom
import LoomCosim
import Testing

/// The verifier catches what it exists to catch: a wrong model, a mutated RTL, a stuck
/// handshake, a protocol violation; each at the right cycle with a full report.
@Suite(.serialized) struct VerifierCatchesTests {
    /// Counter with enable held high; the mutant wraps from 37 to 0.
    final class EnableHigh: Stimulus {
        let en: LevelSlots
        var cycle = 0
        let cycles: Int
        init(_ layout: PortLayout, cycles: Int) throws {
            en = try layout.levelInput(LevelPort("en"))
            self.cycles = cycles
        }
        func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) { inputs[en.offset] = 1 }
        func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) { self.cycle = cycle + 1 }
        var finished: Bool { cycle >= cycles }
        var progress: Int { cycle }
        var failures: [String] { [] }
        let coverage = Coverage()
    }

    func run(rtlDesign: Design, modelDesign: Design, test: String) throws -> RunResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-verifier-\(getpid())")
        var runner = LockstepRunner(cycleLimit: 1000, waveDirectory: dir)
        runner.waveWindow = 16
        return try runner.run(test: test, seed: 9, reproduce: "loom sim counter --seed 9") {
            let rtl = try VerilatedModel(rtlDesign, seed: 9)
            return .init(rtl: rtl, model: SimulatorModel(modelDesign), stimulus: try EnableHigh(rtl.layout, cycles: 200))
        }
    }

    func checkReport(_ r: RunResult) throws {
        #expect(r.outcome == .mismatch)
        let m = try #require(r.mismatch)
        // Count k appears at cycle k after reset; the mutant shows 0 where 38 is due.
        #expect(m.cycle == 38)
        #expect(m.port == "count")
        #expect(r.report.contains("cycle:    38"))
        #expect(r.report.contains("port:     count"))
        #expect(r.report.contains("seed:     9"))
        #expect(r.report.contains("reproduce: loom sim counter --seed 9"))
        let wave = try #require(r.waveform)
        let vcd = try String(contentsOfFile: wave, encoding: .utf8)
        #expect(vcd.contains("$enddefinitions"))
        #expect(vcd.contains("#"))
    }

    @Test func wrongModelFailsAtTheRightCycle() throws {
        let r = try run(rtlDesign: try elaborate(Counter()), modelDesign: try elaborate(MutantCounter()), test: "wrong-model")
        try checkReport(r)
        #expect(r.mismatch!.expected == [0] && r.mismatch!.actual == [38])
    }

    @Test func mutatedRTLFailsAtTheRightCycle() throws {
        let r = try run(rtlDesign: try elaborate(MutantCounter()), modelDesign: try elaborate(Counter()), test: "mutated-rtl")
        try checkReport(r)
        #expect(r.mismatch!.expected == [38] && r.mismatch!.actual == [0])
    }

    @Test func stuckReadyEndsInTheWatchdog() throws {
        let design = try elaborate(StuckSink())
        let runner = LockstepRunner(cycleLimit: 1_000_000, watchdogCycles: 500, waveDirectory: FileManager.default.temporaryDirectory)
        let r = try runner.run(test: "stuck", seed: 1, reproduce: "-") {
            let rtl = try VerilatedModel(design, seed: 1)
            return .init(rtl: rtl, model: SimulatorModel(design), stimulus: try OneStream(rtl.layout, beats: 10))
        }
        #expect(r.outcome == .watchdog)
        #expect(r.message == "watchdog: nothing moved for 500 cycles (a ready or valid never rose?)")
        // The watchdog looks every 16 cycles.
        #expect(r.cycles >= 500 && r.cycles < 516)
    }

    @Test func cycleLimitEndsAnEndlessTest() throws {
        let design = try elaborate(Counter())
        let runner = LockstepRunner(cycleLimit: 300, waveDirectory: FileManager.default.temporaryDirectory)
        let r = try runner.run(test: "endless", seed: 1, reproduce: "-") {
            let rtl = try VerilatedModel(design, seed: 1)
            return .init(rtl: rtl, model: SimulatorModel(design), stimulus: try EnableHigh(rtl.layout, cycles: .max))
        }
        #expect(r.outcome == .cycleLimit)
        #expect(r.message == "cycle limit 300 reached before the test finished")
    }

    @Test func sinkCatchesAPayloadChangingWhileWaiting() throws {
        // A design whose output payload is a free-running counter while valid is held.
        let design = try elaborate(ChattyStream())
        let runner = LockstepRunner(cycleLimit: 1000, waveDirectory: FileManager.default.temporaryDirectory)
        let r = try runner.run(test: "chatty", seed: 3, reproduce: "-") {
            let rtl = try VerilatedModel(design, seed: 3)
            return .init(rtl: rtl, model: SimulatorModel(design), stimulus: try DrainOnly(rtl.layout))
        }
        #expect(r.outcome == .checkFailed)
        #expect(r.message.contains("payload changed while valid waited for ready"))
    }
}

/// The counter with a planted bug: it wraps from 37 to 0.
struct MutantCounter: Module {
    var name: String { "counter" }
    func body(_ m: ModuleBuilder) {
        let enable = m.input("en", width: 1)
        let clear = m.input("clear", width: 1)
        let count = m.output("count", width: 8)
        let wrapped = m.output("wrapped", width: 1)
        let value = m.register("value", width: 8, reset: 0)
        m.when(clear) { value.drive(0) }
            .elsewhen(enable) { value.drive(mux(value == 37, m.lit(0, width: 8), value &+ 1)) }
        count.drive(value)
        wrapped.drive(enable & !clear & value.andReduce())
    }
}

/// An input stream whose ready never rises.
struct StuckSink: Module {
    var name: String { "stuck_sink" }
    func body(_ m: ModuleBuilder) {
        let s = m.inputStream("in", RecordLayout(["data": 8]))
        s.ready.drive(0)
        let seen = m.register("seen", width: 8, reset: 0)
        m.when(s.valid) { seen.drive(s.payload.data) }
        m.output("last", width: 8).drive(seen)
    }
}

/// An output stream that holds valid but lets its payload run.
struct ChattyStream: Module {
    var name: String { "chatty_stream" }
    func body(_ m: ModuleBuilder) {
        let out = m.outputStream("out", RecordLayout(["data": 8]))
        let n = m.register("n", width: 8, reset: 0)
        n.drive(n &+ 1)
        out.valid.drive(1)
        out.payload.data.drive(n)
    }
}

/// The one-field payload of the test streams.
struct DataBeat: StreamBeat {
    var data: UInt8 = 0
    static let fields: [BeatField<DataBeat>] = [.init("data", 8, \.data)]
}

final class OneStream: Stimulus {
    let source: StreamSource<DataBeat>
    init(_ layout: PortLayout, beats: Int) throws {
        source = StreamSource(try layout.inputStream(StreamPort<DataBeat>("in")), seed: 1, validPercent: 100)
        for i in 0..<beats { source.send(DataBeat(data: UInt8(truncatingIfNeeded: i))) }
    }
    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) { source.drive(inputs) }
    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) { source.observe(outputs) }
    var finished: Bool { source.idle }
    var progress: Int { source.sent }
    var failures: [String] { [] }
    let coverage = Coverage()
}

final class DrainOnly: Stimulus {
    let sink: StreamSink<DataBeat>
    init(_ layout: PortLayout) throws { sink = StreamSink(try layout.outputStream(StreamPort<DataBeat>("out")), seed: 3, readyPercent: 30) }
    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) { sink.drive(inputs) }
    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) { sink.observe(cycle: cycle, outputs) }
    var finished: Bool { sink.received > 100 }
    var progress: Int { sink.received }
    var failures: [String] { sink.violations }
    let coverage = Coverage()
}
