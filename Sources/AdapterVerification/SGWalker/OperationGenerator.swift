import AdapterModel
import LoomCosim

/// Random operations: PLAIN runs (often contiguous), patterns, interleave groups, edge
/// cases near 2^64 and 2^32, and malformed entries of every kind in SPEC 2.3.
struct OperationGenerator {
    var rng: SeededRandom
    let mix: SGStimulus.RandomMix

    mutating func plain(_ id: UInt8, after: SGEntry?) -> SGEntry {
        var addr = rng.next() & 0xffff_ffff
        var key = UInt32(1 + rng.below(2))
        if let a = after, a.kind == 0, rng.chance(50) { addr = a.addr &+ UInt64(a.len); key = a.key }
        var len = UInt32(1 + rng.below(4096))
        if rng.chance(mix.edgePercent) { len = UInt32.max - UInt32(rng.below(4)) }          // sum limit
        if rng.chance(mix.edgePercent) { addr = 0 &- UInt64(len) }                          // ends exactly at 2^64
        return .plain(key: key, addr: addr, len: len, id: id)
    }

    mutating func pattern(_ id: UInt8, counts: (UInt32, UInt32)? = nil) -> SGEntry {
        let elem = UInt32(1 + rng.below(64))
        let c0 = counts?.0 ?? UInt32(1 + rng.below(6)), c1 = counts?.1 ?? UInt32(rng.chance(40) ? 1 + rng.below(3) : 1)
        let stride0 = rng.chance(40) ? elem : elem + UInt32(rng.below(32))
        let stride1 = stride0 * c0 + UInt32(rng.below(64))
        return .pattern(key: UInt32(1 + rng.below(2)), base: rng.next() & 0xffff_ffff_ffff, elem: elem, count0: c0, stride0: stride0,
                        count1: c1, stride1: stride1, id: id)
    }

    mutating func next(id: UInt8) -> [SGEntry] {
        var op: [SGEntry] = []
        let entries = 1 + Int(rng.below(4))
        for _ in 0..<entries {
            if rng.chance(mix.groupPercent) {
                let members = 2 + Int(rng.below(3))
                let counts = (UInt32(1 + rng.below(4)), UInt32(1 + rng.below(2)))
                let elem = UInt32(8)
                let base = rng.next() & 0xffff_ffff
                for k in 0..<members {
                    // mlx5 interleaved layout: members side by side, so visits chain into one run.
                    var e = SGEntry.pattern(key: 1, base: base + UInt64(k) * UInt64(elem), elem: elem, count0: counts.0,
                                            stride0: elem * UInt32(members), count1: counts.1, stride1: elem * UInt32(members) * counts.0, id: id)
                    if rng.chance(30) { e = pattern(id, counts: counts) }
                    e.group = k < members - 1
                    op.append(e)
                }
            } else if rng.chance(mix.patternPercent) {
                op.append(pattern(id))
            } else {
                op.append(plain(id, after: op.last))
            }
        }
        if rng.chance(mix.malformedPercent) { corrupt(&op) }
        op[op.count - 1].last = true
        for k in op.indices { op[k].id = id }
        return op
    }

    mutating func corrupt(_ op: inout [SGEntry]) {
        let k = Int(rng.below(UInt64(op.count)))
        switch rng.below(9) {
        case 0: op[k].kind = 2 + UInt8(rng.below(2))
        case 1: op[k] = .plain(key: 1, addr: 0x1000, len: 0)
        case 2: op[k] = .pattern(key: 1, base: 0, elem: 0, count0: 2, stride0: 4)
        case 3: op[k] = .pattern(key: 1, base: 0, elem: 4, count0: 0, stride0: 4)
        case 4: op[k] = .pattern(key: 1, base: 0, elem: 4, count0: 1 << 13, stride0: 4, count1: 1 << 12, stride1: 4)  // 2^25 visits
        case 5: op.append(.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, group: true))        // group open at the end
        case 6: op.insert(.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, group: true), at: k)  // continued by anything else
            op.insert(.plain(key: 1, addr: 0, len: 4), at: k + 1)
        case 7: op[k] = .plain(key: 1, addr: UInt64.max - 2, len: 4)                                    // past 2^64
        default: op[k] = .pattern(key: 1, base: UInt64.max - 100, elem: 8, count0: 4, stride0: 32)     // pattern past 2^64
        }
        op[k].group = op[k].group && k < op.count - 1
    }
}
