import Loom
import LoomCosim
import Testing

/// A block interface declared once and bound twice: by name for the DSL, and placed in the
/// packed words for co-simulation. Pins the ports it makes and the exact text of each error.
@Suite struct BlockInterfaceTests {
    struct Word: StreamBeat, Equatable {
        var data: UInt16 = 0
        var last = false
        static let fields: [BeatField<Word>] = [.init("data", 16, \.data), .init("last", \.last)]
    }

    struct RelayInterface<Ports: PortBinding> {
        let source: DeclaredStream<Word, Ports>
        let sink: DeclaredStream<Word, Ports>
        let mode: DeclaredLevel<Ports>
        let busy: DeclaredLevel<Ports>

        init(_ ports: Ports) throws(Ports.Failure) {
            source = try ports.input("source")
            sink = try ports.output("sink")
            mode = try ports.input("mode", width: .bits(2))
            busy = try ports.output("busy", width: .perQP)
        }
    }

    /// A relay made from the interface; `build` may replace its body to misuse it.
    struct Relay: Module {
        var qps = 4
        var build: ((ModuleBuilder) -> Void)?
        var name: String { "relay" }
        func body(_ m: ModuleBuilder) {
            if let build { return build(m) }
            let ports = RelayInterface(.names)
            let source = m.inputStream(ports.source)
            m.outputStream(ports.sink).connect(from: source.stage("held"))
            _ = m.input(ports.mode, width: 2)
            m.output(ports.busy, width: qps).drive(0)
        }
    }

    let file = "LoomCosimTests/BlockInterfaceTests.swift"

    @Test func theNamesBindingMakesEveryPortInItsDirection() throws {
        let layout = PortLayout(try elaborate(Relay()).topModule)
        #expect(layout.inputs.map(\.name) == ["rst", "source_valid", "source_data", "source_last", "sink_ready", "mode"])
        #expect(layout.outputs.map(\.name) == ["source_ready", "sink_valid", "sink_data", "sink_last", "busy"])
        #expect(layout.output("busy")?.width == 4)
    }

    @Test func thePackedBindingGivesTypedAccessToEachPort() throws {
        let layout = PortLayout(try elaborate(Relay()).topModule)
        let ports = try RelayInterface(layout.packed(qps: 4))
        var inputs = [UInt64](repeating: 0, count: layout.inputWords)
        ports.source.write(Word(data: 0xbeef, last: true), into: &inputs)
        #expect(inputs[layout.input("source_data")!.wordOffset] == 0xbeef)
        #expect(inputs[layout.input("source_last")!.wordOffset] == 1)
        #expect(ports.source.valid == layout.input("source_valid")!.wordOffset)
        #expect(ports.sink.ready == layout.input("sink_ready")!.wordOffset)
        #expect(ports.busy.offset == layout.output("busy")!.wordOffset && ports.busy.width == 4)
        // One declared stream on its own, in its declared direction.
        #expect(try layout.place(RelayInterface(.names).sink).valid == layout.output("sink_valid")!.wordOffset)
    }

    @Test func aDesignThatDiffersFromTheInterfaceIsAnErrorNamingThePort() throws {
        let layout = PortLayout(try elaborate(Relay(qps: 8)).topModule)
        #expect(errorText { try RelayInterface(layout.packed(qps: 4)) } == "ports do not match: level output 'busy' is 8 bits, expected 4")
        #expect(try RelayInterface(layout.packed()).busy.width == 8)  // no QP count: the design's
        let missing = PortLayout(try elaborate(Relay { m in
            m.outputStream(StreamPort<Word>("sink")).connect(from: m.inputStream(StreamPort<Word>("source")).stage("held"))
        }).topModule)
        #expect(errorText { try RelayInterface(missing.packed()) } == "ports do not match: the design has no level input 'mode'")
    }

    @Test func usingADeclaredPortInTheOtherDirectionIsAnErrorAtTheUsersLine() {
        var line = 0
        let errors = diagnostics(Relay { m in
            let ports = RelayInterface(.names)
            line = #line; let wrong = m.outputStream(ports.source)
            wrong.valid.drive(0)
            for f in ["data", "last"] { wrong.payload[f].drive(0) }
        })
        #expect(errors == ["\(file):\(line): error: 'source' is declared as an input of the interface but made an output here"])
    }

    @Test func aFixedWidthLevelMadeAtAnotherWidthIsAnErrorAtTheUsersLine() {
        var line = 0
        let errors = diagnostics(Relay { m in
            line = #line; _ = m.input(RelayInterface(.names).mode, width: 3)
        })
        #expect(errors == ["\(file):\(line): error: level 'mode' is declared 2 bits wide but made 3 bits here"])
    }

    @Test func aPerQPLevelMadeWithoutAQPCountIsAnErrorAtTheUsersLine() {
        var line = 0
        let errors = diagnostics(Relay { m in
            line = #line; let io = RelayInterface(m.ports())
            io.sink.stream.connect(from: io.source.stream.stage("held"))
            io.busy.bits.drive(0)
        })
        #expect(errors == ["\(file):\(line): error: level 'busy' has one bit per QP: make the ports with m.ports(qps:)"])
    }

    @Test func anInstanceReachedThroughAnInterfaceItLacksIsAnErrorAtTheUsersLine() {
        var line = 0
        let errors = diagnostics(Relay { m in
            let io = RelayInterface(m.ports(qps: 2))
            // A relay with its streams and neither level.
            let instance = m.instance("child", Relay(qps: 2) { c in
                let source = c.inputStream(StreamPort<Word>("source"))
                c.outputStream(StreamPort<Word>("sink")).connect(from: source.stage("held"))
            })
            line = #line; let child = RelayInterface(instance.ports())
            child.source.stream.connect(from: io.source.stream)
            io.sink.stream.connect(from: child.sink.stream)
            io.busy.bits.drive(0)
        })
        #expect(errors == ["\(file):\(line): error: instance 'child' of 'relay' has no port 'busy'",
                           "\(file):\(line): error: instance 'child' of 'relay' has no port 'mode'"])
    }


    @Test func aChildsDeclaredStreamIsReachedByName() throws {
        // A parent that passes its child's streams through, reaching them one by one.
        let design = try elaborate(Relay { m in
            let names = RelayInterface(.names)
            let child = m.instance("child", Relay(qps: 2))
            child.stream(names.source).connect(from: m.inputStream(names.source))
            m.outputStream(names.sink).connect(from: child.stream(names.sink))
            child["mode"].drive(0)
        })
        let top = PortLayout(design.topModule)
        #expect(top.inputs.map(\.name) == ["rst", "source_valid", "source_data", "source_last", "sink_ready"])
        #expect(top.outputs.map(\.name) == ["source_ready", "sink_valid", "sink_data", "sink_last"])
    }

}
