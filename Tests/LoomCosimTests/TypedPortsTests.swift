import Loom
import LoomCosim
import Testing

/// Typed slots: beats in and out of the packed words, and the errors for ports that do not
/// match the declaration.
@Suite struct TypedPortsTests {
    struct Request: StreamBeat {
        var id: UInt8 = 0
        var addr: UInt64 = 0
        var last = false
        static let fields: [BeatField<Request>] = [.init("id", 8, \.id), .init("addr", 64, \.addr), .init("last", \.last)]
    }

    /// A beat with a field behind a computed property: the slots fall back to key paths.
    struct Tagged: StreamBeat {
        var raw: UInt16 = 0
        var tag: UInt8 {
            get { UInt8(raw & 0xff) }
            set { raw = UInt16(newValue) }
        }
        static let fields: [BeatField<Tagged>] = [.init("tag", 8, \.tag)]
    }

    struct Echo: Module {
        var idWidth = 8
        var name: String { "echo" }
        func body(_ m: ModuleBuilder) {
            let input = m.inputStream("req", RecordLayout(["id": idWidth, "addr": 64, "last": 1]))
            let tagged = m.inputStream(StreamPort<Tagged>("tagged"))
            let output = m.outputStream("rsp", RecordLayout(["id": idWidth, "addr": 64, "last": 1]))
            output.connect(from: input.stage("held"))
            tagged.ready.drive(1)
            m.output("level", width: 3).drive(0)
        }
    }

    func layout(_ module: Echo = Echo()) throws -> PortLayout { PortLayout(try elaborate(module).topModule) }

    @Test func beatsRoundTripThroughThePackedWords() throws {
        let l = try layout()
        let req = try l.inputStream(StreamPort<Request>("req"))
        var words = [UInt64](repeating: 0, count: l.inputWords)
        let beat = Request(id: 0xab, addr: 0x1234_5678_9abc_def0, last: true)
        req.write(beat, into: &words)
        #expect(words[req.valid] == 0)
        let back = req.read(words)
        #expect(back.id == 0xab && back.addr == 0x1234_5678_9abc_def0 && back.last)
        // Values wider than a field are masked to its width on the way in.
        let tagged = try l.inputStream(StreamPort<Tagged>("tagged"))
        var t = Tagged()
        t.raw = 0x1c5
        tagged.write(t, into: &words)
        #expect(tagged.read(words).raw == 0xc5)
    }

    @Test func aLevelReadsAsANumberMaskedToItsWidth() throws {
        let l = try layout()
        let level = try l.levelOutput(LevelPort("level"))
        var words = [UInt64](repeating: 0, count: l.outputWords)
        words.withUnsafeMutableBufferPointer { level.write(0b101, into: $0.baseAddress!) }
        #expect(words.withUnsafeBufferPointer { level.value($0.baseAddress!) } == 0b101)
        words[level.offset] = 0xff                       // bits beyond the width are not the level's
        #expect(words.withUnsafeBufferPointer { level.value($0.baseAddress!) } == 0b111)
    }

    @Test func mismatchedPortsAreClearErrors() throws {
        let l = try layout()
        #expect(throws: CosimError.self) { try l.inputStream(StreamPort<Request>("request")) }
        #expect(errorText { try l.inputStream(StreamPort<Request>("request")) }
            == "ports do not match: the design has no port 'request_valid' (valid of input stream 'request')")
        #expect(errorText { try l.outputStream(StreamPort<Request>("req")) }
            == "ports do not match: 'req_valid' (valid) has the wrong direction for output stream 'req'")
        #expect(errorText { try self.layout(Echo(idWidth: 7)).inputStream(StreamPort<Request>("req")) }
            == "ports do not match: port 'req_id' is 7 bits, Request.id of stream 'req' is 8")
        #expect(errorText { try l.levelOutput(LevelPort("busy")) } == "ports do not match: the design has no level output 'busy'")
        #expect(errorText { try l.levelOutput(LevelPort("level"), width: 16) } == "ports do not match: level output 'level' is 3 bits, expected 16")
    }
}
