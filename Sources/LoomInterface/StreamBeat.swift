/// One field of a stream payload: its port suffix, its width in bits, and how to read and
/// write it on a Swift value.
///
/// A field is at most 64 bits wide (one packed co-simulation word).
public struct BeatField<Beat> {
    /// The port suffix: field `qp` of stream `post` is the port `post_qp`.
    public let name: String
    public let width: Int
    /// Where the value lives inside `Beat` when it is a stored property: co-simulation reads
    /// and writes it in place, without the cost of a key-path access every cycle.
    public let storage: Storage?
    /// Reads the field as an unsigned value.
    public let get: (Beat) -> UInt64
    /// Writes the field from an unsigned value (already masked to `width`).
    public let set: (inout Beat, UInt64) -> Void

    /// A stored property's byte offset and size (1, 2, 4 or 8 bytes; `isBool` for `Bool`).
    public struct Storage {
        public let offset: Int
        public let size: Int
        public let isBool: Bool
    }

    /// A field stored in an integer property.
    public init<Value: FixedWidthInteger & UnsignedInteger>(_ name: String, _ width: Int, _ keyPath: WritableKeyPath<Beat, Value>) {
        precondition(width >= 1 && width <= 64, "field '\(name)': width \(width) is not in 1...64")
        self.name = name
        self.width = width
        storage = MemoryLayout<Beat>.offset(of: keyPath).map { Storage(offset: $0, size: MemoryLayout<Value>.size, isBool: false) }
        get = { UInt64(truncatingIfNeeded: $0[keyPath: keyPath]) }
        set = { $0[keyPath: keyPath] = Value(truncatingIfNeeded: $1) }
    }

    /// A one-bit field stored in a `Bool` property.
    public init(_ name: String, _ keyPath: WritableKeyPath<Beat, Bool>) {
        self.name = name
        width = 1
        storage = MemoryLayout<Beat>.offset(of: keyPath).map { Storage(offset: $0, size: 1, isBool: true) }
        get = { $0[keyPath: keyPath] ? 1 : 0 }
        set = { $0[keyPath: keyPath] = $1 & 1 == 1 }
    }
}

/// A stream payload declared once, in plain Swift: the field names and widths that make the
/// DSL's ports, connect instances, and give co-simulation typed access to the packed words.
/// Stimuli, monitors and models read and write beats as values of the conforming type.
///
/// ```swift
/// struct Ack: StreamBeat {
///     var qp: UInt8 = 0
///     var psn: UInt32 = 0
///     static let fields: [BeatField<Ack>] = [.init("qp", 8, \.qp), .init("psn", 24, \.psn)]
/// }
/// ```
public protocol StreamBeat {
    /// The beat with every field 0.
    init()
    /// The fields in port order.
    static var fields: [BeatField<Self>] { get }
}

extension StreamBeat {
    /// The sum of the field widths.
    public static var beatWidth: Int { fields.reduce(0) { $0 + $1.width } }
}

/// The name of a ready/valid stream of a block's interface and the type of its beats:
/// `StreamPort<Ack>("ack")` is the ports `ack_valid`, `ack_ready` and `ack_<field>`.
public struct StreamPort<Beat: StreamBeat> {
    public let name: String
    public init(_ name: String) { self.name = name }
}

/// A level port (a plain wire, not a stream) of a block's interface; its width is the
/// design's (for example `QPS` bits).
public struct LevelPort {
    public let name: String
    public init(_ name: String) { self.name = name }
}
