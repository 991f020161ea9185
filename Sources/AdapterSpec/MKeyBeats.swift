import LoomInterface

/// `mkey_translator`'s interface (SPEC 1.3).
public struct MKeyTranslatorInterface<Ports: PortBinding> {
    public let cfg: DeclaredStream<MKeyConfig, Ports>
    public let cfgack: DeclaredStream<ConfigAck, Ports>
    public let req: DeclaredStream<MKeyRequest, Ports>
    public let seg: DeclaredStream<MKeySegment, Ports>

    public init(_ ports: Ports) throws(Ports.Failure) {
        cfg = try ports.input("cfg")
        cfgack = try ports.output("cfgack")
        req = try ports.input("req")
        seg = try ports.output("seg")
    }
}

/// A `cfg` beat (SPEC 1.3).
public struct MKeyConfig: Hashable, Sendable, StreamBeat {
    public var op: UInt8
    public var index: UInt32
    public var tag: UInt8 = 0
    public var pd: UInt32 = 0
    public var access: UInt8 = 0
    public var indirect = false
    public var start: UInt64 = 0
    public var length: UInt64 = 0
    public var phys: UInt64 = 0
    public var klmFirst: UInt16 = 0
    public var klmCount: UInt16 = 0
    public var klmKey: UInt32 = 0

    public static let fields: [BeatField<MKeyConfig>] = [
        .init("op", 2, \.op), .init("index", 24, \.index), .init("tag", 8, \.tag), .init("pd", 24, \.pd),
        .init("access", 5, \.access), .init("indirect", \.indirect), .init("start", 64, \.start), .init("length", 64, \.length),
        .init("phys", 64, \.phys), .init("klm_first", 16, \.klmFirst), .init("klm_count", 16, \.klmCount), .init("klm_key", 32, \.klmKey),
    ]

    public init(op: UInt8, index: UInt32) {
        self.op = op
        self.index = index
    }

    public init() { self.init(op: 0, index: 0) }

    /// WRITE_MKEY of a direct key.
    public static func direct(index: UInt32, tag: UInt8, pd: UInt32, access: UInt8 = 0x1f, start: UInt64, length: UInt64, phys: UInt64) -> MKeyConfig {
        var c = MKeyConfig(op: ConfigOp.writeMkey.rawValue, index: index)
        (c.tag, c.pd, c.access, c.start, c.length, c.phys) = (tag, pd, access, start, length, phys)
        return c
    }

    /// WRITE_MKEY of an indirect key over KLM slots `first ..< first + count`.
    public static func indirect(index: UInt32, tag: UInt8, pd: UInt32, access: UInt8 = 0x1f, start: UInt64, length: UInt64, klmFirst: UInt16, klmCount: UInt16) -> MKeyConfig {
        var c = MKeyConfig(op: ConfigOp.writeMkey.rawValue, index: index)
        (c.tag, c.pd, c.access, c.indirect, c.start, c.length, c.klmFirst, c.klmCount) = (tag, pd, access, true, start, length, klmFirst, klmCount)
        return c
    }

    /// WRITE_KLM: slot `index` = `{bytes, key, addr}`.
    public static func klm(slot: UInt32, bytes: UInt32, key: UInt32, addr: UInt64) -> MKeyConfig {
        var c = MKeyConfig(op: ConfigOp.writeKlm.rawValue, index: slot)
        (c.length, c.klmKey, c.start) = (UInt64(bytes), key, addr)
        return c
    }

    public static func invalidate(index: UInt32) -> MKeyConfig { MKeyConfig(op: ConfigOp.invalidateMkey.rawValue, index: index) }
}

/// A `cfgack` beat.
public struct ConfigAck: Hashable, Sendable, StreamBeat {
    public var status: UInt8 = 0
    public static let fields: [BeatField<ConfigAck>] = [.init("status", 8, \.status)]
    public init() {}
    public init(status: UInt8) { self.status = status }
}

/// A translation request (`req_*`).
public struct MKeyRequest: Hashable, Sendable, StreamBeat {
    public var id: UInt8
    public var key: UInt32
    public var va: UInt64
    public var len: UInt32
    public var access: UInt8
    public var pd: UInt32

    public static let fields: [BeatField<MKeyRequest>] = [
        .init("id", 8, \.id), .init("key", 32, \.key), .init("va", 64, \.va), .init("len", 32, \.len),
        .init("access", 3, \.access), .init("pd", 24, \.pd),
    ]

    public init(id: UInt8 = 0, key: UInt32, va: UInt64, len: UInt32, access: UInt8 = 0, pd: UInt32) {
        (self.id, self.key, self.va, self.len, self.access, self.pd) = (id, key, va, len, access, pd)
    }

    public init() { self.init(key: 0, va: 0, len: 0, pd: 0) }
}

/// A `seg` beat.
public struct MKeySegment: Hashable, Sendable, StreamBeat, CustomStringConvertible {
    public var id: UInt8
    public var addr: UInt64
    public var len: UInt32
    public var last: Bool
    public var status: UInt8

    public static let fields: [BeatField<MKeySegment>] = [
        .init("id", 8, \.id), .init("addr", 64, \.addr), .init("len", 32, \.len), .init("last", \.last), .init("status", 8, \.status),
    ]

    public init(id: UInt8, addr: UInt64, len: UInt32, last: Bool, status: UInt8 = 0) {
        (self.id, self.addr, self.len, self.last, self.status) = (id, addr, len, last, status)
    }

    public init() { self.init(id: 0, addr: 0, len: 0, last: false) }

    public var description: String {
        status != 0 ? "ERR\(status)(id \(id))" : "seg(id \(id) 0x\(String(addr, radix: 16))+\(len)\(last ? " last" : ""))"
    }
}
