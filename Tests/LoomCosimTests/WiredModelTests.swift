import Loom
import LoomCosim
import Testing

/// A `ClockedModel` wired to its design through the interface alone: it must follow the
/// design cycle by cycle, and each way a model can fail to fit is an error naming the field.
@Suite struct WiredModelTests {
    typealias Word = BlockInterfaceTests.Word
    typealias RelayInterface = BlockInterfaceTests.RelayInterface

    /// The relay with its `busy` level showing `mode` (bits 0 and 1, the rest 0).
    static let relay = BlockInterfaceTests.Relay(qps: 4) { m in
        let io = RelayInterface(m.ports(qps: 4))
        io.sink.stream.connect(from: io.source.stream.stage("held"))
        io.busy.bits.drive(io.mode.bits.zeroExtended(to: 4))
    }

    /// The relay as its description says, written without looking at the DSL's stage.
    struct RelayModel: ClockedModel {
        struct Inputs: ModelInputs {
            var rst = false, sourceValid = false, source = Word(), sinkReady = false
            var mode: UInt8 = 0
        }
        struct Outputs {
            var sourceReady = false, sinkValid = false, sink = Word()
            var busy: [Bool] = []
        }
        var held: Word?

        mutating func cycle(_ i: Inputs) -> Outputs {
            let accepts = held == nil || i.sinkReady
            let out = Outputs(sourceReady: accepts, sinkValid: held != nil, sink: held ?? Word(), busy: (0..<4).map { i.mode >> $0 & 1 == 1 })
            if i.rst { held = nil } else if accepts { held = i.sourceValid ? i.source : nil }
            return out
        }
    }

    /// Runs `model` beside the native simulator of the relay on random inputs (with random
    /// reset pulses) and compares every output, the sink's payload while it is valid.
    func followsTheRelay(_ makeModel: (PortLayout) throws -> CycleModel) throws {
        let design = try elaborate(Self.relay)
        let layout = PortLayout(design.topModule)
        let model = try makeModel(layout)
        let simulator = SimulatorModel(design)
        let ports = try RelayInterface(layout.packed(qps: 4))
        let random = RandomInputStimulus(layout, seed: 11, cycles: 2000, resetEvery: 200)
        var inputs = [UInt64](repeating: 0, count: layout.inputWords)
        var expected = [UInt64](repeating: 0, count: layout.outputWords), actual = expected
        var moved = 0
        for cycle in 0..<2000 {
            random.drive(cycle: cycle, inputs: &inputs)
            simulator.cycle(inputs, &expected)
            model.cycle(inputs, &actual)
            #expect(actual[ports.source.ready] == expected[ports.source.ready], "source_ready at cycle \(cycle)")
            #expect(actual[ports.sink.valid] == expected[ports.sink.valid], "sink_valid at cycle \(cycle)")
            #expect(actual[ports.busy.offset] == expected[ports.busy.offset], "busy at cycle \(cycle)")
            if expected[ports.sink.valid] == 1 {
                #expect(ports.sink.read(actual) == ports.sink.read(expected), "sink payload at cycle \(cycle)")
                if inputs[ports.sink.ready] == 1 { moved += 1 }
            }
        }
        #expect(moved > 300)  // the run moved beats, not only idled
        #expect(random.coverage.counts["reset pulses", default: 0] > 3)
    }

    @Test func aWiredModelFollowsTheDesignOnRandomInputs() throws {
        try followsTheRelay { try WiredModel($0, RelayModel(), qps: 4, interface: RelayInterface.init) }
    }

    /// The same model with its ports mapped by hand, as a model of another shape would be.
    final class HandMappedRelay: PlacedModel<RelayModel, RelayInterface<PackedWords>>, CycleModel {
        init(_ layout: PortLayout) throws { try super.init(layout, RelayModel(), qps: 4, ports: RelayInterface.init) }

        func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
            var i = RelayModel.Inputs()
            i.rst = isReset(w)
            (i.sourceValid, i.source) = (ports.source.isValid(w), ports.source.read(w))
            i.sinkReady = ports.sink.isReady(w)
            i.mode = UInt8(ports.mode.value(w))
            let r = model.cycle(i)
            ports.source.answer(r.sourceReady, into: o)
            ports.sink.drive(r.sinkValid, r.sink, into: o)
            ports.busy.write(r.busy, into: o)
        }
    }

    @Test func aPlacedModelMapsItsPortsByHand() throws {
        try followsTheRelay { try HandMappedRelay($0) }
    }

    // Models that do not fit the relay's interface, one mistake each.

    /// A model of any shape, for the errors (its cycle never runs).
    struct Shaped<Inputs: ModelInputs, Outputs: ModelInputs>: ClockedModel {
        mutating func cycle(_ inputs: Inputs) -> Outputs { Outputs() }
    }
    struct Outputs: ModelInputs {
        var sourceReady = false, sinkValid = false, sink = Word(), busy: [Bool] = []
    }
    struct NoSinkReady: ModelInputs {
        var rst = false, sourceValid = false, source = Word(), mode: UInt8 = 0
    }
    struct SourceAsNumber: ModelInputs {
        var rst = false, sourceValid = false, source: UInt16 = 0, sinkReady = false, mode: UInt8 = 0
    }
    struct ModeAsBool: ModelInputs {
        var rst = false, sourceValid = false, source = Word(), sinkReady = false, mode = false
    }
    struct ConstantReady: ModelInputs {
        var rst = false, sourceValid = false, source = Word(), mode: UInt8 = 0
        let sinkReady = false
    }
    struct Extra: ModelInputs {
        var rst = false, sourceValid = false, source = Word(), sinkReady = false, mode: UInt8 = 0
        var spare = 0
    }
    struct NoReset: ModelInputs {
        var sourceValid = false, source = Word(), sinkReady = false, mode: UInt8 = 0
    }

    func error<Inputs: ModelInputs>(_ inputs: Inputs.Type) throws -> String {
        let layout = PortLayout(try elaborate(Self.relay).topModule)
        return errorText { try WiredModel(layout, Shaped<Inputs, Outputs>(), qps: 4, interface: RelayInterface.init) }
    }

    @Test func aModelThatDoesNotFitItsInterfaceIsAnErrorNamingTheField() throws {
        let prefix = "the model does not fit its interface: "
        #expect(try error(NoSinkReady.self) == prefix + "WiredModelTests.NoSinkReady has no field 'sinkReady: Bool' for output stream 'sink'")
        #expect(try error(SourceAsNumber.self) == prefix + "field 'source' of WiredModelTests.SourceAsNumber is UInt16, input stream 'source' needs Word")
        #expect(try error(ModeAsBool.self) == prefix
            + "field 'mode' of WiredModelTests.ModeAsBool is Bool, input level 'mode' is 2 bits: make it [Bool], Bool for 1 bit, or an unsigned integer as wide")
        #expect(try error(ConstantReady.self) == prefix + "field 'sinkReady' of WiredModelTests.ConstantReady is a constant; output stream 'sink' writes it")
        #expect(try error(Extra.self) == prefix + "no port of the interface has the field WiredModelTests.Extra.spare")
        #expect(try error(NoReset.self) == prefix + "WiredModelTests.NoReset has no field 'rst: Bool' for the reset 'rst'")
    }

    /// A beat whose field is computed cannot be copied in place.
    struct Halves: StreamBeat {
        var bytes: (UInt8, UInt8) = (0, 0)
        var data: UInt16 {
            get { UInt16(bytes.0) | UInt16(bytes.1) << 8 }
            set { bytes = (UInt8(truncatingIfNeeded: newValue), UInt8(newValue >> 8)) }
        }
        static let fields: [BeatField<Halves>] = [.init("data", 16, \.data)]
    }
    struct HalvesInterface<Ports: PortBinding> {
        let source: DeclaredStream<Halves, Ports>
        init(_ ports: Ports) throws(Ports.Failure) { source = try ports.input("source") }
    }

    @Test func aBeatWithAComputedFieldIsAnError() throws {
        let layout = PortLayout(try elaborate(BlockInterfaceTests.Relay { m in
            m.inputStream(StreamPort<Halves>("source")).ready.drive(1)
        }).topModule)
        struct Inputs: ModelInputs { var rst = false, sourceValid = false, source = Halves() }
        struct Outputs: ModelInputs { var sourceReady = false }
        #expect(errorText { try WiredModel(layout, Shaped<Inputs, Outputs>(), interface: HalvesInterface.init) } == "the model does not fit its interface: "
            + "Halves, the beat of input stream 'source', has fields that are not stored properties; map its ports in a PlacedModel")
    }

    /// A stream and a level that want the same field.
    struct ClashInterface<Ports: PortBinding> {
        let source: DeclaredStream<Word, Ports>
        let sourceLevel: DeclaredLevel<Ports>
        init(_ ports: Ports) throws(Ports.Failure) {
            source = try ports.input("source")
            sourceLevel = try ports.input("source", width: .bits(1))
        }
    }

    @Test func aFieldTwoPortsWantIsAnError() throws {
        let layout = PortLayout(try elaborate(BlockInterfaceTests.Relay { m in
            m.inputStream(StreamPort<Word>("source")).ready.drive(1)
            _ = m.input("source", width: 1)
        }).topModule)
        struct Inputs: ModelInputs { var rst = false, sourceValid = false, source = Word() }
        struct Outputs: ModelInputs { var sourceReady = false }
        #expect(errorText { try WiredModel(layout, Shaped<Inputs, Outputs>(), interface: ClashInterface.init) }
            == "the model does not fit its interface: field 'source' of WiredModelTests.Inputs is claimed by two ports")
    }
}
