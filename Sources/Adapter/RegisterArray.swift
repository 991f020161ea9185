import Loom

/// Helpers for small tables kept in registers (one register per entry): read by a dynamic
/// index through a multiplexer tree, written by decoding the index.
extension ModuleBuilder {
    /// `items[index]`; entries past the end read as the last entry.
    func select(_ items: [Bits], _ index: Bits) -> Bits {
        precondition(!items.isEmpty, "select needs at least one item")
        var level = items
        var bit = 0
        while level.count > 1 {
            var next: [Bits] = []
            for k in stride(from: 0, to: level.count, by: 2) {
                next.append(k + 1 < level.count ? mux(index[bit], level[k + 1], level[k]) : level[k])
            }
            level = next
            bit += 1
        }
        return level[0]
    }

    /// One register per entry, named `name_<k>`, reset to `reset`.
    func registers(_ name: String, count: Int, width: Int, reset: UInt64 = 0, fileID: String = #fileID, line: Int = #line) -> [Bits] {
        (0..<count).map { register("\(name)_\($0)", width: width, reset: reset, fileID: fileID, line: line) }
    }
}

/// 24-bit serial-number order (SPEC 3.1): `a` is at or before `b` when `(b - a) mod 2^24 < 2^23`.
func serialAtOrBefore(_ a: Bits, _ b: Bits) -> Bits {
    !((b &- a)[23])
}
