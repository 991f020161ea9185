import LoomInterface

/// A `ClockedModel` wired to its design through the block interface both declare, with no
/// code per port: each port of the interface is matched, by name, with the fields of the
/// model's `Inputs` and `Outputs` (see `ClockedModel` for the names), and copied between them
/// and the packed words every cycle.
///
/// Everything is resolved once, when the model is made; a port without its field, a field of
/// the wrong type and a field that no port fills are each an error naming both sides. Every
/// input payload is decoded each cycle, valid or not: the model sees what the design sees.
///
/// ```swift
/// let model = try WiredModel(layout, CounterModel(), interface: CounterInterface.init)
/// ```
public final class WiredModel<Model: ClockedModel>: PlacedModel<Model, Void>, CycleModel {
    /// The inputs, kept from cycle to cycle so that `[Bool]` levels are refilled, not rebuilt.
    @usableFromInline let inputs: UnsafeMutablePointer<Model.Inputs>
    /// One cycle: the words into the inputs, the model's step, its outputs into the words.
    /// A closure made in the inlinable `init`, so that its body is compiled for the concrete
    /// model where the model is made; a method of this generic class would run unspecialised
    /// code every cycle, copying inputs and outputs through their types' value witnesses.
    @usableFromInline let step: (UnsafeMutablePointer<Model>, UnsafeMutablePointer<Model.Inputs>, UnsafePointer<UInt64>, UnsafeMutablePointer<UInt64>) -> Void

    /// `qps` is the width of the interface's `.perQP` levels (nil accepts the design's).
    @inlinable
    public init<Interface>(_ layout: PortLayout, _ model: Model, qps: Int? = nil,
                           interface: (ModelWiring<Model>) throws(CosimError) -> Interface) throws {
        let plan = try ModelWiring<Model>.plan(layout, qps: qps, interface: interface)
        inputs = .allocate(capacity: 1)
        inputs.initialize(to: Model.Inputs())
        for (place, byte) in plan.levelsIn {
            (UnsafeMutableRawPointer(inputs) + byte).assumingMemoryBound(to: [Bool].self).pointee = Array(repeating: false, count: place.width)
        }
        let (intake, outlet, levelsIn, levelsOut) = (plan.intake, plan.outlet, plan.levelsIn, plan.levelsOut)
        step = { model, inputs, w, o in
            let raw = UnsafeMutableRawPointer(inputs)
            intake.withUnsafeBufferPointer { copies in
                for c in copies { c.store(w[c.word], into: raw) }
            }
            for (place, byte) in levelsIn { place.read(w, into: &(raw + byte).assumingMemoryBound(to: [Bool].self).pointee) }
            var out = model.pointee.cycle(inputs.pointee)
            withUnsafeBytes(of: &out) { bytes in
                outlet.withUnsafeBufferPointer { copies in
                    for c in copies { o[c.word] = c.load(from: bytes.baseAddress!) }
                }
                for (place, byte) in levelsOut { place.write(bytes.load(fromByteOffset: byte, as: [Bool].self), into: o) }
            }
        }
        try super.init(layout, model, qps: qps, ports: { _ in })
    }

    deinit {
        inputs.deinitialize(count: 1)
        inputs.deallocate()
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) { step(storage, inputs, w, o) }
}

/// What `WiredModel` copies each cycle, found once by `ModelWiring`.
@usableFromInline struct WiringPlan {
    /// Words copied into the model's inputs (the reset among them), and output fields copied into words.
    @usableFromInline let intake: [StreamPlacement.Place], outlet: [StreamPlacement.Place]
    /// Levels the model keeps as `[Bool]`: the level's place and the field's byte offset.
    @usableFromInline let levelsIn: [(place: LevelPlacement, byte: Int)], levelsOut: [(place: LevelPlacement, byte: Int)]
}

/// The binding that wires a block interface's ports to a `ClockedModel`'s fields (see
/// `WiredModel`, which makes it): each port is placed in the packed words, as `PackedWords`
/// places it, and matched with its fields.
public final class ModelWiring<Model: ClockedModel>: PortBinding {
    let packed: PackedWords
    var inputs: ModelFields<Model.Inputs>, outputs: ModelFields<Model.Outputs>
    var intake: [StreamPlacement.Place] = [], outlet: [StreamPlacement.Place] = []
    var levelsIn: [(place: LevelPlacement, byte: Int)] = [], levelsOut: [(place: LevelPlacement, byte: Int)] = []

    init(_ packed: PackedWords) throws(CosimError) {
        self.packed = packed
        (inputs, outputs) = (try ModelFields(), try ModelFields())
    }

    /// Wires every port of the interface and the reset; every field must have been claimed.
    @usableFromInline
    static func plan<Interface>(_ layout: PortLayout, qps: Int?, interface: (ModelWiring) throws(CosimError) -> Interface) throws -> WiringPlan {
        let wiring = try ModelWiring(layout.packed(qps: qps))
        _ = try interface(wiring)
        let rst = try wiring.inputs.claim("rst", Bool.self, writable: true, for: "the reset 'rst'")
        for fields in [wiring.inputs.unclaimed.map { "\(wiring.inputs.owner).\($0)" },
                       wiring.outputs.unclaimed.map { "\(wiring.outputs.owner).\($0)" }] where !fields.isEmpty {
            throw CosimError.modelMismatch("no port of the interface has the field\(fields.count == 1 ? "" : "s") \(fields.joined(separator: ", "))")
        }
        let reset = StreamPlacement.Place(word: try layout.resetSlot(), mask: 1, byte: rst, size: 1, isBool: true)
        return WiringPlan(intake: wiring.intake + [reset], outlet: wiring.outlet, levelsIn: wiring.levelsIn, levelsOut: wiring.levelsOut)
    }

    public func placeStream<Beat: StreamBeat>(_ name: String, _ direction: PortDirection, _ beat: Beat.Type) throws(CosimError) {
        let place = try StreamPlacement(packed.layout, name, beat, designInput: direction == .input)
        let stream = "\(direction == .input ? "input" : "output") stream '\(name)'", field = name.lowerCamelCase
        guard !place.inPlace.isEmpty else {
            throw CosimError.modelMismatch("\(Beat.self), the beat of \(stream), has fields that are not stored properties; map its ports in a PlacedModel")
        }
        /// The valid and the payload go the stream's way; the ready comes back.
        func carry(_ fields: inout ModelFields<some Any>, writable: Bool) throws(CosimError) -> [StreamPlacement.Place] {
            let valid = try fields.claim(field + "Valid", Bool.self, writable: writable, for: stream)
            let beat = try fields.claim(field, Beat.self, writable: writable, for: stream)
            return [.init(word: place.valid, mask: 1, byte: valid, size: 1, isBool: true)]
                + place.inPlace.map { .init(word: $0.word, mask: $0.mask, byte: beat + $0.byte, size: $0.size, isBool: $0.isBool) }
        }
        func ready(_ fields: inout ModelFields<some Any>, writable: Bool) throws(CosimError) -> StreamPlacement.Place {
            .init(word: place.ready, mask: 1, byte: try fields.claim(field + "Ready", Bool.self, writable: writable, for: stream), size: 1, isBool: true)
        }
        if direction == .input {
            intake += try carry(&inputs, writable: true)
            outlet.append(try ready(&outputs, writable: false))
        } else {
            outlet += try carry(&outputs, writable: false)
            intake.append(try ready(&inputs, writable: true))
        }
    }

    public func placeLevel(_ name: String, _ direction: PortDirection, _ width: LevelWidth) throws(CosimError) {
        let place = try packed.placeLevel(name, direction, width)
        let role = "\(direction == .input ? "input" : "output") level '\(name)'", field = name.lowerCamelCase
        let type = direction == .input ? try inputs.valueType(of: field, for: role) : try outputs.valueType(of: field, for: role)
        /// The field as a `Value`: co-simulation writes an input, the model an output.
        func claim<Value>(_ value: Value.Type) throws(CosimError) -> Int {
            direction == .input ? try inputs.claim(field, value, writable: true, for: role) : try outputs.claim(field, value, writable: false, for: role)
        }
        if type == [Bool].self {
            let byte = try claim([Bool].self)
            if direction == .input { levelsIn.append((place, byte)) } else { levelsOut.append((place, byte)) }
            return
        }
        let byte: Int, size: Int
        switch type {
        case is Bool.Type: (byte, size) = (try claim(Bool.self), 1)
        case is UInt8.Type: (byte, size) = (try claim(UInt8.self), 1)
        case is UInt16.Type: (byte, size) = (try claim(UInt16.self), 2)
        case is UInt32.Type: (byte, size) = (try claim(UInt32.self), 4)
        case is UInt64.Type: (byte, size) = (try claim(UInt64.self), 8)
        default: (byte, size) = (0, 0)
        }
        guard size > 0, place.width <= (type == Bool.self ? 1 : 8 * size) else {
            throw CosimError.modelMismatch("field '\(field)' of \(direction == .input ? inputs.owner : outputs.owner) is \(type), "
                + "\(role) is \(place.width) bit\(place.width == 1 ? "" : "s"): make it [Bool], Bool for 1 bit, or an unsigned integer as wide")
        }
        let mask: UInt64 = place.width >= 64 ? ~0 : (1 << UInt64(place.width)) - 1
        let copy = StreamPlacement.Place(word: place.offset, mask: mask, byte: byte, size: size, isBool: type == Bool.self)
        if direction == .input { intake.append(copy) } else { outlet.append(copy) }
    }
}
