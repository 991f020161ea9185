/// A `cfg` beat (SPEC 1.3).
public struct MKeyConfig: Hashable, Sendable {
    public static let writeMkey: UInt8 = 0, writeKlm: UInt8 = 1, invalidate: UInt8 = 2
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

    public init(op: UInt8, index: UInt32) {
        self.op = op
        self.index = index
    }

    /// WRITE_MKEY of a direct key.
    public static func direct(index: UInt32, tag: UInt8, pd: UInt32, access: UInt8 = 0x1f, start: UInt64, length: UInt64, phys: UInt64) -> MKeyConfig {
        var c = MKeyConfig(op: writeMkey, index: index)
        (c.tag, c.pd, c.access, c.start, c.length, c.phys) = (tag, pd, access, start, length, phys)
        return c
    }

    /// WRITE_MKEY of an indirect key over KLM slots `first ..< first + count`.
    public static func indirect(index: UInt32, tag: UInt8, pd: UInt32, access: UInt8 = 0x1f, start: UInt64, length: UInt64, klmFirst: UInt16, klmCount: UInt16) -> MKeyConfig {
        var c = MKeyConfig(op: writeMkey, index: index)
        (c.tag, c.pd, c.access, c.indirect, c.start, c.length, c.klmFirst, c.klmCount) = (tag, pd, access, true, start, length, klmFirst, klmCount)
        return c
    }

    /// WRITE_KLM: slot `index` = `{bytes, key, addr}`.
    public static func klm(slot: UInt32, bytes: UInt32, key: UInt32, addr: UInt64) -> MKeyConfig {
        var c = MKeyConfig(op: writeKlm, index: slot)
        (c.length, c.klmKey, c.start) = (UInt64(bytes), key, addr)
        return c
    }

    public static func invalidate(index: UInt32) -> MKeyConfig { MKeyConfig(op: invalidate, index: index) }
}

/// A translation request (`req_*`).
public struct MKeyRequest: Hashable, Sendable {
    public var id: UInt8
    public var key: UInt32
    public var va: UInt64
    public var len: UInt32
    public var access: UInt8
    public var pd: UInt32
    public init(id: UInt8 = 0, key: UInt32, va: UInt64, len: UInt32, access: UInt8 = 0, pd: UInt32) {
        (self.id, self.key, self.va, self.len, self.access, self.pd) = (id, key, va, len, access, pd)
    }
}

/// A `seg` beat.
public struct MKeySegment: Hashable, Sendable, CustomStringConvertible {
    public var id: UInt8
    public var addr: UInt64
    public var len: UInt32
    public var last: Bool
    public var status: UInt8
    public init(id: UInt8, addr: UInt64, len: UInt32, last: Bool, status: UInt8 = 0) {
        (self.id, self.addr, self.len, self.last, self.status) = (id, addr, len, last, status)
    }
    public var description: String {
        status != 0 ? "ERR\(status)(id \(id))" : "seg(id \(id) 0x\(String(addr, radix: 16))+\(len)\(last ? " last" : ""))"
    }
}

/// Status codes of SPEC 1.4.
public enum MKeyStatus {
    public static let ok: UInt8 = 0, badKey: UInt8 = 1, pdMismatch: UInt8 = 2, accessDenied: UInt8 = 3, outOfRange: UInt8 = 4, depthExceeded: UInt8 = 5
}
