import LoomInterface

/// A declared stream placed in the packed word arrays (see `PackedWords`): typed access to its
/// valid, its ready and its payload, resolved once by name when a test starts, never in the
/// hot loop.
///
/// For an input stream of the design, `valid` and the payload are in the input words and
/// `ready` in the output words; for an output stream the other way round.
///
/// ```swift
/// let ports = try CompletionEngineInterface(layout.packed())
/// ports.post.write(beat, into: inputs); inputs[ports.post.valid] = 1
/// if outputs[ports.post.ready] & 1 == 1 { ... }
/// ```
public typealias StreamSlots<Beat: StreamBeat> = DeclaredStream<Beat, PackedWords>

/// A declared level placed in the packed word arrays.
public typealias LevelSlots = DeclaredLevel<PackedWords>

/// Where a stream's ports sit in the packed words.
public struct StreamPlacement {
    /// Word offsets of `<name>_valid` and `<name>_ready`.
    @usableFromInline let valid: Int
    @usableFromInline let ready: Int
    /// Each field's word offset and mask, in the order of `Beat.fields`.
    @usableFromInline let offsets: [Int]
    @usableFromInline let masks: [UInt64]
    /// Every field's place when each is stored in place; empty when the beat is read and
    /// written through key paths.
    @usableFromInline let inPlace: [Place]

    init<Beat: StreamBeat>(_ layout: PortLayout, _ name: String, _ beat: Beat.Type, designInput: Bool) throws(CosimError) {
        let forward = designInput ? layout.inputs : layout.outputs
        let backward = designInput ? layout.outputs : layout.inputs
        let direction = designInput ? "input" : "output"
        /// The port `portName` among `ports`; the other direction is searched for the message.
        func find(_ portName: String, forward isForward: Bool, width: Int, what: String) throws(CosimError) -> ShimPort {
            let (ports, others) = isForward ? (forward, backward) : (backward, forward)
            guard let p = ports.first(where: { $0.name == portName }) else {
                throw CosimError.portMismatch(others.contains { $0.name == portName }
                    ? "'\(portName)' (\(what)) has the wrong direction for \(direction) stream '\(name)'"
                    : "the design has no port '\(portName)' (\(what) of \(direction) stream '\(name)')")
            }
            guard p.width == width else {
                throw CosimError.portMismatch("port '\(portName)' is \(p.width) bits, \(what) of stream '\(name)' is \(width)")
            }
            return p
        }
        valid = try find("\(name)_valid", forward: true, width: 1, what: "valid").wordOffset
        ready = try find("\(name)_ready", forward: false, width: 1, what: "ready").wordOffset
        var offsets: [Int] = [], masks: [UInt64] = []
        for f in Beat.fields {
            let p = try find("\(name)_\(f.name)", forward: true, width: f.width, what: "\(Beat.self).\(f.name)")
            offsets.append(p.wordOffset)
            masks.append(f.width >= 64 ? ~0 : (1 << UInt64(f.width)) - 1)
        }
        self.offsets = offsets
        self.masks = masks
        // In place when every field is a stored property of a plain struct; else key paths.
        let storage = Beat.fields.compactMap(\.storage)
        inPlace = storage.count == Beat.fields.count && _isPOD(Beat.self)
            ? storage.indices.map { Place(word: offsets[$0], mask: masks[$0], byte: storage[$0].offset, size: storage[$0].size, isBool: storage[$0].isBool) }
            : []
    }

    /// One stored field's place in the packed words and in the beat, all in one record so
    /// that the hot loops walk one array.
    @usableFromInline struct Place {
        @usableFromInline let word: Int, mask: UInt64, byte: Int, size: Int, isBool: Bool

        /// Stores word `value`, masked to the field's width, into the field in `bytes`.
        @inlinable @inline(__always)
        func store(_ value: UInt64, into bytes: UnsafeMutableRawPointer) {
            let v = value & mask
            switch size {
            case 1: bytes.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: byte, as: UInt8.self)
            case 2: bytes.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: byte, as: UInt16.self)
            case 4: bytes.storeBytes(of: UInt32(truncatingIfNeeded: v), toByteOffset: byte, as: UInt32.self)
            default: bytes.storeBytes(of: v, toByteOffset: byte, as: UInt64.self)
            }
        }

        /// The field in `bytes` as a word, masked to the field's width.
        @inlinable @inline(__always)
        func load(from bytes: UnsafeRawPointer) -> UInt64 {
            let v: UInt64
            switch size {
            case 1: v = UInt64(bytes.load(fromByteOffset: byte, as: UInt8.self))
            case 2: v = UInt64(bytes.loadUnaligned(fromByteOffset: byte, as: UInt16.self))
            case 4: v = UInt64(bytes.loadUnaligned(fromByteOffset: byte, as: UInt32.self))
            default: v = bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self)
            }
            return v & mask
        }
    }
}

extension DeclaredStream where Binding == PackedWords {
    /// Word offset of `<name>_valid`.
    @inlinable public var valid: Int { place.valid }
    /// Word offset of `<name>_ready`.
    @inlinable public var ready: Int { place.ready }
    @inlinable var offsets: [Int] { place.offsets }
    @inlinable var masks: [UInt64] { place.masks }
    @inlinable var inPlace: [StreamPlacement.Place] { place.inPlace }

    /// The beat in `words` (the payload ports of this stream).
    @inlinable
    public func read(_ words: UnsafePointer<UInt64>) -> Beat {
        var beat = Beat()
        if !inPlace.isEmpty {
            withUnsafeMutableBytes(of: &beat) { bytes in
                inPlace.withUnsafeBufferPointer { places in
                    for p in places { p.store(words[p.word], into: bytes.baseAddress!) }
                }
            }
        } else {
            let fields = Beat.fields
            for i in fields.indices { fields[i].set(&beat, words[offsets[i]]) }
        }
        return beat
    }

    /// Writes `beat` into the payload ports, each field masked to its width.
    @inlinable
    public func write(_ beat: Beat, into words: UnsafeMutablePointer<UInt64>) {
        if !inPlace.isEmpty {
            withUnsafeBytes(of: beat) { bytes in
                inPlace.withUnsafeBufferPointer { places in
                    for p in places { words[p.word] = p.load(from: bytes.baseAddress!) }
                }
            }
        } else {
            let fields = Beat.fields
            for i in fields.indices { words[offsets[i]] = fields[i].get(beat) & masks[i] }
        }
    }

    /// `write` into an array of words (test benches outside the hot loop).
    public func write(_ beat: Beat, into words: inout [UInt64]) {
        words.withUnsafeMutableBufferPointer { write(beat, into: $0.baseAddress!) }
    }

    /// `read` from an array of words.
    public func read(_ words: [UInt64]) -> Beat { words.withUnsafeBufferPointer { read($0.baseAddress!) } }

    /// Random values on the payload ports (an idle stream's payload must be ignored).
    @inlinable
    public func scramble(_ words: UnsafeMutablePointer<UInt64>, _ rng: inout SeededRandom) {
        for i in offsets.indices { words[offsets[i]] = rng.next() & masks[i] }
    }

    /// Offers `beat` (valid 1 and its payload), or with nil idles the stream (valid 0 and a
    /// random payload): for a bench model that decides each cycle what it offers.
    public func offer(_ beat: Beat?, into words: UnsafeMutablePointer<UInt64>, _ rng: inout SeededRandom) {
        if let beat {
            write(beat, into: words)
            words[valid] = 1
        } else {
            words[valid] = 0
            scramble(words, &rng)
        }
    }

    // A cycle model's side of the stream, one call per direction.

    /// Drives an input stream's ready with the model's answer.
    @inlinable
    public func answer(_ isReady: Bool, into words: UnsafeMutablePointer<UInt64>) {
        words[ready] = isReady ? 1 : 0
    }

    /// Drives an output stream's valid and payload with the model's.
    @inlinable
    public func drive(_ isValid: Bool, _ beat: Beat, into words: UnsafeMutablePointer<UInt64>) {
        words[valid] = isValid ? 1 : 0
        write(beat, into: words)
    }

    /// Whether the stream's valid is 1.
    @inlinable
    public func isValid(_ words: UnsafePointer<UInt64>) -> Bool { words[valid] & 1 == 1 }

    /// Whether the stream's ready is 1.
    @inlinable
    public func isReady(_ words: UnsafePointer<UInt64>) -> Bool { words[ready] & 1 == 1 }

    /// Copies the payload words as they are into `copy` (one word per field), to compare a
    /// held beat without decoding it.
    @inlinable
    func copyPayload(_ words: UnsafePointer<UInt64>, into copy: inout [UInt64]) {
        for i in offsets.indices { copy[i] = words[offsets[i]] }
    }

    /// Whether the payload words equal `copy`.
    @inlinable
    func payloadEquals(_ words: UnsafePointer<UInt64>, _ copy: [UInt64]) -> Bool {
        for i in offsets.indices where copy[i] != words[offsets[i]] { return false }
        return true
    }
}

/// Where a level port sits: `words` 64-bit words from `offset`, one bit per index.
public struct LevelPlacement {
    @usableFromInline let offset: Int
    @usableFromInline let width: Int

    /// Overwrites `bits` with bits 0 to `bits.count - 1` of the level, in place (a cycle
    /// model that keeps its inputs allocates nothing per cycle).
    @inlinable
    func read(_ words: UnsafePointer<UInt64>, into bits: inout [Bool]) {
        bits.withUnsafeMutableBufferPointer { out in
            var i = 0
            while i < out.count {
                var word = words[offset + i / 64]
                let end = min(out.count, i + 64)
                while i < end {
                    out[i] = word & 1 == 1
                    word >>= 1
                    i += 1
                }
            }
        }
    }

    /// Writes `bits` (index 0 is bit 0); missing bits are 0.
    @inlinable
    func write(_ bits: [Bool], into words: UnsafeMutablePointer<UInt64>) {
        bits.withUnsafeBufferPointer { bits in
            let used = min(bits.count, width)
            for k in 0..<(width + 63) / 64 {
                var word: UInt64 = 0
                let start = k * 64, end = min(used, start + 64)
                if start < end {
                    for i in (start..<end).reversed() { word = word << 1 | (bits[i] ? 1 : 0) }
                }
                words[offset + k] = word
            }
        }
    }
}

extension DeclaredLevel where Binding == PackedWords {
    /// The level's first word.
    @inlinable public var offset: Int { place.offset }
    /// The level's width in the design.
    @inlinable public var width: Int { place.width }

    /// Bit `index` of the level.
    @inline(__always)
    public func bit(_ words: UnsafePointer<UInt64>, _ index: Int) -> Bool {
        (words[offset + index / 64] >> UInt64(index % 64)) & 1 == 1
    }

    /// Overwrites `bits` with bits 0 to `bits.count - 1` of the level, in place (a cycle
    /// model that keeps its inputs allocates nothing per cycle).
    @inlinable
    public func read(_ words: UnsafePointer<UInt64>, into bits: inout [Bool]) { place.read(words, into: &bits) }

    /// Bits 0 to `count - 1` of the level.
    public func bits(_ words: UnsafePointer<UInt64>, count: Int) -> [Bool] {
        (0..<count).map { bit(words, $0) }
    }

    /// Writes `bits` (index 0 is bit 0); missing bits are 0.
    public func write(_ bits: [Bool], into words: UnsafeMutablePointer<UInt64>) { place.write(bits, into: words) }

    /// A level of up to 64 bits as a number (its first word, masked to its width).
    @inlinable
    public func value(_ words: UnsafePointer<UInt64>) -> UInt64 {
        width >= 64 ? words[offset] : words[offset] & ((1 << UInt64(width)) - 1)
    }

    /// Writes a level of up to 64 bits.
    public func write(_ value: UInt64, into words: UnsafeMutablePointer<UInt64>) {
        words[offset] = width >= 64 ? value : value & ((1 << UInt64(width)) - 1)
    }
}

/// The binding that places a block interface's ports in a design's packed word arrays, checking
/// each port's name, direction and width against the design:
/// `try CompletionEngineInterface(layout.packed(qps: 16))`. A mismatch is an error naming the port.
public struct PackedWords: PortBinding {
    public let layout: PortLayout
    /// The width of a `.perQP` level; nil accepts the design's.
    public let qps: Int?

    public init(_ layout: PortLayout, qps: Int? = nil) {
        self.layout = layout
        self.qps = qps
    }

    public func placeStream<Beat: StreamBeat>(_ name: String, _ direction: PortDirection, _ beat: Beat.Type) throws(CosimError) -> StreamPlacement {
        try StreamPlacement(layout, name, beat, designInput: direction == .input)
    }

    public func placeLevel(_ name: String, _ direction: PortDirection, _ width: LevelWidth) throws(CosimError) -> LevelPlacement {
        let bits: Int?
        switch width {
        case .bits(let n): bits = n
        case .perQP: bits = qps
        }
        return try layout.level(name, direction, width: bits)
    }
}

extension PortLayout {
    /// This layout as a binding for a block interface (see `PackedWords`).
    public func packed(qps: Int? = nil) -> PackedWords { PackedWords(self, qps: qps) }

    /// One declared stream placed in this layout, in the direction its interface declares: for
    /// a design with some of an interface's ports (`layout.place(SGWalkerInterface(.names).sge)`).
    public func place<Beat, B>(_ stream: DeclaredStream<Beat, B>) throws -> StreamSlots<Beat> {
        stream.direction == .input ? try packed().input(stream.name) : try packed().output(stream.name)
    }

    /// The slots of the design's input stream `port`; a missing or mis-sized port is an error
    /// naming it.
    public func inputStream<Beat>(_ port: StreamPort<Beat>) throws -> StreamSlots<Beat> {
        try packed().input(port.name)
    }

    /// The slots of the design's output stream `port`.
    public func outputStream<Beat>(_ port: StreamPort<Beat>) throws -> StreamSlots<Beat> {
        try packed().output(port.name)
    }

    /// The design's level input `port`.
    public func levelInput(_ port: LevelPort, width: Int? = nil) throws -> LevelSlots {
        DeclaredLevel(name: port.name, direction: .input, declaredWidth: width.map { .bits($0) } ?? .perQP, place: try level(port.name, .input, width: width))
    }

    /// The design's level output `port`.
    public func levelOutput(_ port: LevelPort, width: Int? = nil) throws -> LevelSlots {
        DeclaredLevel(name: port.name, direction: .output, declaredWidth: width.map { .bits($0) } ?? .perQP, place: try level(port.name, .output, width: width))
    }

    /// The offset of `rst` (every clocked design has one).
    public func resetSlot() throws -> Int {
        guard let p = input("rst") else { throw CosimError.portMismatch("the design has no reset input 'rst'") }
        return p.wordOffset
    }

    func level(_ name: String, _ direction: PortDirection, width: Int?) throws(CosimError) -> LevelPlacement {
        let (ports, word) = direction == .input ? (inputs, "input") : (outputs, "output")
        guard let p = ports.first(where: { $0.name == name }) else {
            throw CosimError.portMismatch("the design has no level \(word) '\(name)'")
        }
        if let width, p.width != width {
            throw CosimError.portMismatch("level \(word) '\(name)' is \(p.width) bits, expected \(width)")
        }
        return LevelPlacement(offset: p.wordOffset, width: p.width)
    }
}
