/// The transaction-level reference of SPEC section 1: the key table and KLM pool as
/// configured, and what segments (or which error) a request must produce.
public struct MKeyReference {
    public struct Entry: Equatable {
        public var tag: UInt8, pd: UInt32, access: UInt8, indirect: Bool
        public var start: UInt64, length: UInt64, phys: UInt64, klmFirst: Int, klmCount: Int
    }
    public struct KLM: Equatable {
        public var bytes: UInt32, key: UInt32, addr: UInt64
    }

    public let mkeys: Int, klmEntries: Int, maxIndirection: Int, imaicl: Bool
    public private(set) var keys: [Int: Entry] = [:]
    public private(set) var klm: [Int: KLM] = [:]

    public init(mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) {
        (self.mkeys, self.klmEntries, self.maxIndirection, self.imaicl) = (mkeys, klmEntries, maxIndirection, imaicl)
    }

    static func wraps(_ a: UInt64, _ b: UInt64) -> Bool {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow && sum != 0
    }

    /// Applies a configuration beat; returns its `cfgack_status`.
    public mutating func configure(_ c: MKeyConfig) -> UInt8 {
        if ConfigOp(rawValue: c.op) == nil { return ConfigStatus.badOp.rawValue }
        let limit = c.op == ConfigOp.writeKlm.rawValue ? klmEntries : mkeys
        if Int(c.index & 0xff_ffff) >= limit { return ConfigStatus.indexOutOfRange.rawValue }
        let index = Int(c.index)
        switch c.op {
        case ConfigOp.writeMkey.rawValue:
            if c.indirect && (c.klmCount == 0 || Int(c.klmFirst) + Int(c.klmCount) > klmEntries) { return ConfigStatus.klmRunOutsidePool.rawValue }
            if Self.wraps(c.start, c.length) || (!c.indirect && Self.wraps(c.phys, c.length)) { return ConfigStatus.regionWraps.rawValue }
            keys[index] = Entry(tag: c.tag, pd: c.pd & 0xff_ffff, access: c.access & 0x1f, indirect: c.indirect, start: c.start, length: c.length,
                                phys: c.phys, klmFirst: Int(c.klmFirst), klmCount: Int(c.klmCount))
        case ConfigOp.writeKlm.rawValue:
            let bytes = UInt32(truncatingIfNeeded: c.length)
            if Self.wraps(c.start, UInt64(bytes)) { return ConfigStatus.regionWraps.rawValue }
            klm[index] = KLM(bytes: bytes, key: c.klmKey, addr: c.start)
        default:
            keys[index] = nil
        }
        return 0
    }

    /// The key's entry if the key is valid (index in range, entry valid, tag equal).
    func lookup(_ key: UInt32) -> Entry? {
        let index = Int(key >> 8)
        guard index < mkeys, let e = keys[index], e.tag == UInt8(key & 0xff) else { return nil }
        return e
    }

    /// How many indirect keys deep `key` reaches through its KLM entries (0 for a direct key).
    public func nesting(_ key: UInt32, limit: Int = 8) -> Int {
        guard limit > 0, let e = lookup(key), e.indirect else { return 0 }
        let inner = (e.klmFirst..<(e.klmFirst + e.klmCount)).compactMap { klm[$0] }.map { nesting($0.key, limit: limit - 1) }
        return 1 + (inner.max() ?? 0)
    }

    static func inRange(_ e: Entry, va: UInt64, len: UInt64) -> Bool {
        va >= e.start && UInt128(va) + UInt128(len) <= UInt128(e.start) + UInt128(e.length)
    }

    /// What a request must produce: segments, or the segments before the failing check and
    /// the failing status.
    public enum Outcome: Equatable {
        case segments([MKeySegment])
        case error(before: [MKeySegment], status: UInt8)
    }

    struct Failure: Error { let status: UInt8 }

    public func translate(_ r: MKeyRequest) -> Outcome {
        guard let top = lookup(r.key) else { return .error(before: [], status: TranslationStatus.badKey.rawValue) }
        if top.pd != r.pd & 0xff_ffff { return .error(before: [], status: TranslationStatus.pdMismatch.rawValue) }
        if Access(rawValue: r.access) == nil || (top.access >> r.access) & 1 == 0 { return .error(before: [], status: TranslationStatus.accessDenied.rawValue) }
        if !Self.inRange(top, va: r.va, len: UInt64(r.len)) { return .error(before: [], status: TranslationStatus.outOfRange.rawValue) }
        if r.len == 0 { return .segments([MKeySegment(id: r.id, addr: 0, len: 0, last: true)]) }
        if !top.indirect { return .segments([MKeySegment(id: r.id, addr: top.phys &+ (r.va - top.start), len: r.len, last: true)]) }
        var pieces: [(addr: UInt64, len: UInt32)] = []
        do {
            try walk(top, offset: r.va - top.start, len: r.len, level: 0, request: r, into: &pieces)
        } catch let f as Failure {
            return .error(before: segments(pieces, id: r.id, total: nil), status: f.status)
        } catch {
            fatalError("unexpected \(error)")
        }
        return .segments(segments(pieces, id: r.id, total: r.len))
    }

    func segments(_ pieces: [(addr: UInt64, len: UInt32)], id: UInt8, total: UInt32?) -> [MKeySegment] {
        var out = pieces.map { MKeySegment(id: id, addr: $0.addr, len: $0.len, last: false) }
        if total != nil, !out.isEmpty { out[out.count - 1].last = true }
        return out
    }

    /// Depth-first walk of an indirect key at nesting `level` (the top key is level 0).
    func walk(_ key: Entry, offset start: UInt64, len: UInt32, level: Int, request r: MKeyRequest, into pieces: inout [(addr: UInt64, len: UInt32)]) throws {
        var offset = start
        var remaining = len
        var slot = key.klmFirst
        while remaining > 0 {
            guard slot < key.klmFirst + key.klmCount, let k = klm[slot] else { throw Failure(status: TranslationStatus.outOfRange.rawValue) }
            slot += 1
            if offset >= UInt64(k.bytes) {
                offset -= UInt64(k.bytes)
                continue
            }
            let piece = UInt32(min(UInt64(remaining), UInt64(k.bytes) - offset))
            let addr = k.addr &+ offset
            offset = 0
            remaining -= piece
            guard let inner = lookup(k.key) else { throw Failure(status: TranslationStatus.badKey.rawValue) }
            if !imaicl {
                if inner.pd != r.pd & 0xff_ffff { throw Failure(status: TranslationStatus.pdMismatch.rawValue) }
                if (inner.access >> r.access) & 1 == 0 { throw Failure(status: TranslationStatus.accessDenied.rawValue) }
            }
            if !Self.inRange(inner, va: addr, len: UInt64(piece)) { throw Failure(status: TranslationStatus.outOfRange.rawValue) }
            if inner.indirect {
                // Passing through this key makes level + 2 indirect keys on the path.
                if level + 2 > maxIndirection { throw Failure(status: TranslationStatus.depthExceeded.rawValue) }
                try walk(inner, offset: addr - inner.start, len: piece, level: level + 1, request: r, into: &pieces)
            } else {
                pieces.append((inner.phys &+ (addr - inner.start), piece))
            }
        }
    }
}
