/// The transaction-level reference of SPEC section 2: an operation's visits, its canonical
/// chunks, and which entry (if any) makes it MALFORMED.
public struct SGReference {
    public var maxGroup: Int
    public var maxVisits: UInt64

    public init(maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) {
        self.maxGroup = maxGroup
        self.maxVisits = maxVisits
    }

    public enum Outcome: Equatable {
        /// The canonical chunks, the last one marked.
        case chunks([SGChunk])
        /// MALFORMED: the RTL may emit any prefix of `before` (canonical chunks of the visits
        /// of groups completed before the bad entry), then the error beat.
        case malformed(before: [SGChunk], id: UInt8, reason: String)
    }

    /// Why an entry is malformed given the open group's members, or nil.
    func problem(_ e: SGEntry, open: [SGEntry]) -> String? {
        if SGKind(rawValue: e.kind) == nil { return "kind \(e.kind)" }
        if e.kind == SGKind.plain.rawValue {
            if e.len == 0 { return "PLAIN with len 0" }
            if e.group { return "PLAIN with group set" }
            if !open.isEmpty { return "group continued by a PLAIN entry" }
            if UInt64(e.len) > 0 && e.addr.addingReportingOverflow(UInt64(e.len) - 1).overflow { return "PLAIN beyond 2^64" }
            return nil
        }
        if e.len == 0 { return "PATTERN with elem 0" }
        if e.count0 == 0 || e.count1 == 0 { return "PATTERN with a zero count" }
        if UInt64(e.count0) * UInt64(e.count1) > maxVisits { return "more than MAX_VISITS visits" }
        if let first = open.first, first.count0 != e.count0 || first.count1 != e.count1 { return "group members with different counts" }
        if open.count >= maxGroup { return "more than MAX_GROUP members" }
        if e.group && e.last { return "group still open at sge_last" }
        // Highest byte: base + (count1-1)*stride1 + (count0-1)*stride0 + elem - 1, exactly.
        let top = UInt128(e.addr) + UInt128(e.count1 - 1) * UInt128(e.stride1) + UInt128(e.count0 - 1) * UInt128(e.stride0) + UInt128(e.len) - 1
        if top > UInt128(UInt64.max) { return "PATTERN beyond 2^64" }
        return nil
    }

    /// The visits of one complete group, in SPEC order.
    public static func visits(of group: [SGEntry]) -> [SGVisit] {
        guard let first = group.first else { return [] }
        if first.kind == SGKind.plain.rawValue { return [SGVisit(key: first.key, va: first.addr, len: first.len)] }
        var out: [SGVisit] = []
        for i1 in 0..<UInt64(first.count1) {
            for i0 in 0..<UInt64(first.count0) {
                for m in group {
                    out.append(SGVisit(key: m.key, va: m.addr &+ i1 &* UInt64(m.stride1) &+ i0 &* UInt64(m.stride0), len: m.len))
                }
            }
        }
        return out
    }

    /// SPEC 2.2: coalesce visits into canonical chunks; the last one is marked when `close`.
    public static func coalesce(_ visits: [SGVisit], id: UInt8, close: Bool) -> [SGChunk] {
        var chunks: [SGChunk] = []
        var open: SGChunk?
        for v in visits {
            if var o = open {
                let (end, wraps) = o.va.addingReportingOverflow(UInt64(o.len))
                let sum = UInt64(o.len) + UInt64(v.len)
                if o.key == v.key && !wraps && end == v.va && sum <= UInt64(UInt32.max) {
                    o.len = UInt32(sum)
                    open = o
                    continue
                }
                chunks.append(o)
            }
            open = SGChunk(id: id, key: v.key, va: v.va, len: v.len, last: false)
        }
        if close, var o = open {
            o.last = true
            chunks.append(o)
        }
        return chunks
    }

    /// The outcome of one operation (entries up to and including the one marked last).
    public func run(_ entries: [SGEntry]) -> Outcome {
        let id = entries.first?.id ?? 0
        var open: [SGEntry] = []
        var visits: [SGVisit] = []
        for e in entries {
            if let why = problem(e, open: open) {
                return .malformed(before: Self.coalesce(visits, id: id, close: false), id: id, reason: why)
            }
            if e.kind == SGKind.plain.rawValue {
                visits += Self.visits(of: [e])
            } else {
                open.append(e)
                if !e.group {
                    visits += Self.visits(of: open)
                    open = []
                }
            }
        }
        return .chunks(Self.coalesce(visits, id: id, close: true))
    }
}
