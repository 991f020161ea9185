/// Structural hashing for `ModuleBuilder`: finds a node already built, or numbers a new one.
///
/// An open-addressing table of 8-byte slots, each holding a node's number and the low 32 bits
/// of its hash: a probe reads one slot, and only a slot whose hash bits match reads the node.
/// In a design of millions of nodes the table is far beyond the caches, so a probe that
/// touched a second array (the hashes) cost a second miss. Growing reinserts slots, not nodes.
struct NodeTable {
    /// `hash bits << 32 | node number + 1` in each slot; 0 is empty.
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var count = 0

    /// The number of `node` in `nodes`, appending it first if it is not there yet.
    mutating func number(of node: Node, in nodes: inout [Node]) -> NodeID {
        let hash = UInt64(UInt32(truncatingIfNeeded: Self.hash(node)))
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while slots[i] != 0 {
            let slot = slots[i]
            if slot >> 32 == hash {
                let id = Int(slot & 0xffff_ffff) - 1
                if nodes[id] == node { return id }
            }
            i = (i + 1) & mask
        }
        let id = nodes.count
        nodes.append(node)
        slots[i] = hash << 32 | UInt64(id + 1)
        count += 1
        if count * 2 > slots.count { grow() }
        return id
    }

    /// A cheap mix of the node's fields (the standard `hashValue` hashes an operator's name
    /// as a string); equal nodes hash equal, which is all the table needs.
    static func hash(_ node: Node) -> Int {
        var h = UInt64(truncatingIfNeeded: node.width) &* 0x9E37_79B9_7F4A_7C15 ^ (node.isSigned ? 0x5bd1_e995 : 0)
        func mix(_ v: Int) { h = (h ^ UInt64(truncatingIfNeeded: v)) &* 0xff51_afd7_ed55_8ccd; h ^= h >> 29 }
        switch node.op {
        case let .constant(v): mix(1); for w in v.words { mix(Int(truncatingIfNeeded: w)) }
        case let .signal(s): mix(2); mix(s)
        case let .unary(op, a): mix(3); mix(op.hashIndex); mix(a)
        case let .binary(op, a, b): mix(4); mix(op.hashIndex); mix(a); mix(b)
        case let .mux(s, a, b): mix(5); mix(s); mix(a); mix(b)
        case let .concat(parts): mix(6); for p in parts { mix(p) }
        case let .slice(a, hi, lo): mix(7); mix(a); mix(hi); mix(lo)
        case let .zeroExtend(a): mix(8); mix(a)
        case let .signExtend(a): mix(9); mix(a)
        case let .memoryRead(m, a): mix(10); mix(m); mix(a)
        }
        return Int(truncatingIfNeeded: h ^ h >> 32)
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for slot in slots where slot != 0 {
            var i = Int(slot >> 32) & mask
            while bigger[i] != 0 { i = (i + 1) & mask }
            bigger[i] = slot
        }
        slots = bigger
    }
}

private extension UnaryOp {
    var hashIndex: Int {
        switch self {
        case .not: 0
        case .andReduce: 1
        case .orReduce: 2
        case .xorReduce: 3
        }
    }
}

private extension BinaryOp {
    var hashIndex: Int {
        switch self {
        case .add: 0
        case .sub: 1
        case .mul: 2
        case .and: 3
        case .or: 4
        case .xor: 5
        case .shl: 6
        case .shr: 7
        case .sshr: 8
        case .eq: 9
        case .ne: 10
        case .lt: 11
        case .le: 12
        case .gt: 13
        case .ge: 14
        }
    }
}
