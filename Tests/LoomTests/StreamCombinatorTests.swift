import Loom
import LoomSim
import LoomVerilog
import Testing

/// The stream combinators (`stage`, `readyCut`, `queue`, `map`, `arbitrate`) and typed
/// ports: order and losslessness under random back-pressure, throughput, which outputs are
/// registers, and the names they leave in the Verilog.
@Suite struct StreamCombinatorTests {
    struct Word: StreamBeat {
        var bits: UInt16 = 0
        static let fields: [BeatField<Word>] = [.init("bits", 12, \.bits)]
    }
    static let input = StreamPort<Word>("in"), output = StreamPort<Word>("out")

    /// A module with stream `in` into `build` and its result out on stream `out`.
    func pipeline(_ build: @escaping (Stream) -> Stream) -> Probe {
        Probe(name: "pipeline") { m in
            m.outputStream(Self.output).connect(from: build(m.inputStream(Self.input)))
        }
    }

    @Test func stageKeepsOrderAtFullThroughputAndRegistersItsOutput() throws {
        let design = try elaborate(pipeline { $0.stage("s") })
        let lossless = pump(simulate(design), input: "in", output: "out", count: 500, seed: 1)
        #expect(lossless.received.count == 500 && Array(lossless.sent.prefix(500)) == lossless.received)
        // With the consumer always ready, a beat offered every cycle passes every cycle.
        let fast = pump(simulate(design), input: "in", output: "out", count: 500, seed: 2, readyPercent: 100, validPercent: 100)
        #expect(fast.cycles <= 502)
        let top = design.topModule
        #expect(top.combinationalPaths["out_valid", default: []].isEmpty)
        #expect(top.combinationalPaths["out_bits", default: []].isEmpty)
        #expect(top.combinationalPaths["in_ready", default: []] == ["out_ready"])
    }

    @Test func readyCutRegistersReadyAndLosesNothing() throws {
        let design = try elaborate(pipeline { $0.readyCut("cut") })
        let r = pump(simulate(design), input: "in", output: "out", count: 500, seed: 3, readyPercent: 30)
        #expect(r.received.count == 500 && Array(r.sent.prefix(500)) == r.received)
        #expect(design.topModule.combinationalPaths["in_ready", default: []].isEmpty)
        // Stage and ready cut together register every signal and still pass a beat per cycle.
        let both = try elaborate(pipeline { $0.stage("s").readyCut("cut") })
        let fast = pump(simulate(both), input: "in", output: "out", count: 300, seed: 4, readyPercent: 100, validPercent: 100)
        #expect(fast.received.count == 300 && fast.cycles <= 303)
        #expect(both.topModule.combinationalPaths["in_ready", default: []].isEmpty)
    }

    @Test func mapTransformsThePayloadAndKeepsTheHandshake() throws {
        let design = try elaborate(pipeline { s in s.map("plus_one", Word.self) { [$0.bits &+ 1] } })
        let r = pump(simulate(design), input: "in", output: "out", count: 200, seed: 5)
        #expect(r.received == r.sent.prefix(200).map { ($0 + 1) & 0xfff })
    }

    @Test func queueOnATypedStreamNamesItsFields() throws {
        let design = try elaborate(pipeline { $0.queue("fifo", depth: 3) })
        let r = pump(simulate(design), input: "in", output: "out", count: 300, seed: 6, readyPercent: 40)
        #expect(r.received.count == 300 && Array(r.sent.prefix(300)) == r.received)
        let verilog = VerilogEmitter.emit(design).first { $0.0 == "pipeline.v" }!.1
        #expect(verilog.contains("wire [11:0] fifo_out_bits;"))
    }

    @Test func arbitrateMergesEveryBeat() throws {
        let design = try elaborate(Probe(name: "merge") { m in
            let a = m.inputStream(StreamPort<Word>("a")), b = m.inputStream(StreamPort<Word>("b"))
            m.outputStream(Self.output).connect(from: m.arbitrate("pick", [a, b]).stage("merged"))
        })
        let sim = simulate(design)
        // Both inputs always offer; every beat of each arrives, alternating.
        var got: [UInt64] = []
        var next: [UInt64] = [0, 0x800]
        for _ in 0..<200 {
            sim.poke("a_valid", 1); sim.poke("a_bits", next[0])
            sim.poke("b_valid", 1); sim.poke("b_bits", next[1])
            sim.poke("out_ready", 1)
            if sim.peek("out_valid") == 1 { got.append(sim.peek("out_bits")) }
            if sim.peek("a_ready") == 1 { next[0] += 1 }
            if sim.peek("b_ready") == 1 { next[1] += 1 }
            sim.step()
        }
        #expect(got.count >= 198)
        #expect(got.filter { $0 < 0x800 } == Array(0..<UInt64(got.filter { $0 < 0x800 }.count)))
        #expect(abs(got.filter { $0 < 0x800 }.count - got.filter { $0 >= 0x800 }.count) <= 1)
    }

    @Test func unpackNamesEachField() throws {
        let layout = RecordLayout(["tag": 4, "addr": 8])
        let design = try elaborate(Probe(name: "unpacker", isCombinational: true) { m in
            let word = m.input("word", width: 12)
            let entry = layout.unpack("entry", word)
            m.output("tag", width: 4).drive(entry.tag)
            m.output("addr", width: 8).drive(entry.addr)
        })
        let verilog = VerilogEmitter.emit(design)[0].1
        #expect(verilog.contains("wire [3:0] entry_tag;"))
        #expect(verilog.contains("wire [7:0] entry_addr;"))
        #expect(verilog.contains("assign tag = entry_tag;"))
    }

    @Test func unpackOfAValueOfTheWrongWidthIsAnError() {
        let d = diagnostics(Probe(name: "bad_unpack", isCombinational: true) { m in
            let entry = RecordLayout(["a": 4]).unpack("entry", m.input("word", width: 6))
            m.output("a", width: 4).drive(entry.a)
        })
        #expect(d == ["LoomTests/StreamCombinatorTests.swift:\(#line - 3): error: cannot unpack 'entry': the value is 6 bits, the record is 4 bits"])
    }

    @Test func offerMustNameEachFieldOnce() {
        let d = diagnostics(Probe(name: "bad_offer") { m in
            let out = m.quietStream("beats", StreamBeatPair.self)
            m.outputStream(StreamPort<StreamBeatPair>("out")).connect(from: out.stage("s"))
            m.when(m.input("go", width: 1)) { out.offer(["a": m.lit(1, width: 4), "c": m.lit(2, width: 4)]) }
        })
        #expect(d == ["LoomTests/StreamCombinatorTests.swift:\(#line - 2): error: offer must name each field of (a, b) once: missing b; no field c"])
    }

    @Test func anUnknownRecordFieldIsAnErrorAtTheLineThatUsesIt() {
        let d = diagnostics(Probe(name: "bad_field") { m in
            let entry = m.registerRecord("entry", RecordLayout(["tag": 1, "addr": 8]))
            entry.tag.drive(m.input("t", width: 1))
            entry.addr.drive(entry.addr)
            m.output("o", width: 1).drive(entry.tagg)
        })
        #expect(d == ["LoomTests/StreamCombinatorTests.swift:\(#line - 2): error: record has no field 'tagg'; its fields are tag, addr"])
    }

    @Test func mapMustGiveOneValuePerField() {
        let d = diagnostics(Probe(name: "bad_map") { m in
            let pairs = m.inputStream(StreamPort<StreamBeatPair>("in")).map("swapped", StreamBeatPair.self) { [$0.b] }
            m.outputStream(StreamPort<StreamBeatPair>("out")).connect(from: pairs)
        })
        #expect(d == ["LoomTests/StreamCombinatorTests.swift:\(#line - 3): error: map 'swapped' gives 1 value for 2 fields (a, b)"])
    }
}

/// Two 4-bit fields, for the diagnostics of the payload combinators.
struct StreamBeatPair: StreamBeat {
    var a: UInt8 = 0, b: UInt8 = 0
    static let fields: [BeatField<StreamBeatPair>] = [.init("a", 4, \.a), .init("b", 4, \.b)]
}
