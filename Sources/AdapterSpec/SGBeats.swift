import LoomInterface

/// `sg_walker`'s interface (SPEC 2.4).
public struct SGWalkerInterface<Ports: PortBinding> {
    public let sge: DeclaredStream<SGEntry, Ports>
    public let chunk: DeclaredStream<SGChunk, Ports>

    public init(_ ports: Ports) throws(Ports.Failure) {
        sge = try ports.input("sge")
        chunk = try ports.output("chunk")
    }
}

/// One scatter/gather entry (`sge_*` ports, SPEC 2.4).
public struct SGEntry: Hashable, Sendable, StreamBeat {
    public var id: UInt8
    public var last: Bool
    public var kind: UInt8
    public var group: Bool
    public var key: UInt32
    public var addr: UInt64
    public var len: UInt32
    public var count0: UInt32
    public var count1: UInt32
    public var stride0: UInt32
    public var stride1: UInt32

    public static let fields: [BeatField<SGEntry>] = [
        .init("id", 8, \.id), .init("last", \.last), .init("kind", 2, \.kind), .init("group", \.group), .init("key", 32, \.key),
        .init("addr", 64, \.addr), .init("len", 32, \.len), .init("count0", 32, \.count0), .init("count1", 32, \.count1),
        .init("stride0", 32, \.stride0), .init("stride1", 32, \.stride1),
    ]

    public init(id: UInt8 = 0, last: Bool = false, kind: UInt8, group: Bool = false, key: UInt32, addr: UInt64, len: UInt32,
                count0: UInt32 = 1, count1: UInt32 = 1, stride0: UInt32 = 0, stride1: UInt32 = 0) {
        (self.id, self.last, self.kind, self.group, self.key, self.addr, self.len) = (id, last, kind, group, key, addr, len)
        (self.count0, self.count1, self.stride0, self.stride1) = (count0, count1, stride0, stride1)
    }

    public init() { self.init(kind: 0, key: 0, addr: 0, len: 0, count0: 0, count1: 0) }

    /// A PLAIN entry.
    public static func plain(key: UInt32, addr: UInt64, len: UInt32, id: UInt8 = 0, last: Bool = false) -> SGEntry {
        SGEntry(id: id, last: last, kind: SGKind.plain.rawValue, key: key, addr: addr, len: len)
    }

    /// A PATTERN entry: `count1` rows of `count0` elements of `elem` bytes.
    public static func pattern(key: UInt32, base: UInt64, elem: UInt32, count0: UInt32, stride0: UInt32, count1: UInt32 = 1, stride1: UInt32 = 0,
                               group: Bool = false, id: UInt8 = 0, last: Bool = false) -> SGEntry {
        SGEntry(id: id, last: last, kind: SGKind.pattern.rawValue, group: group, key: key, addr: base, len: elem, count0: count0, count1: count1,
                stride0: stride0, stride1: stride1)
    }
}

/// One output chunk (`chunk_*` ports).
public struct SGChunk: Hashable, Sendable, StreamBeat, CustomStringConvertible {
    public var id: UInt8
    public var key: UInt32
    public var va: UInt64
    public var len: UInt32
    public var last: Bool
    public var status: UInt8

    public static let fields: [BeatField<SGChunk>] = [
        .init("id", 8, \.id), .init("key", 32, \.key), .init("va", 64, \.va), .init("len", 32, \.len), .init("last", \.last),
        .init("status", 8, \.status),
    ]

    public init(id: UInt8, key: UInt32, va: UInt64, len: UInt32, last: Bool, status: UInt8 = 0) {
        (self.id, self.key, self.va, self.len, self.last, self.status) = (id, key, va, len, last, status)
    }

    public init() { self.init(id: 0, key: 0, va: 0, len: 0, last: false) }

    public static func malformed(id: UInt8) -> SGChunk { SGChunk(id: id, key: 0, va: 0, len: 0, last: true, status: ChunkStatus.malformed.rawValue) }

    public var description: String {
        status != 0 ? "MALFORMED(id \(id))" : "chunk(id \(id) key \(key) va 0x\(String(va, radix: 16)) len \(len)\(last ? " last" : ""))"
    }
}
