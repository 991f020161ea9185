/// The lowest of `requests` that is 1, as a balanced tree: `found` says whether any is, and
/// `index` is its position (meaningful only when `found` is 1). Depth grows with the logarithm
/// of the count, where a chain of `mux(requests[i], i, ...)` grows with the count itself.
///
/// ```swift
/// let pick = lowestSet(wants)          // wants: [Bits], one bit per QP
/// let qp = mux(pick.found, pick.index, idleQp)
/// ```
public func lowestSet(_ requests: [Bits]) -> (found: Bits, index: Bits) {
    let pick = lowestSet(requests, carrying: nil)
    return (pick.found, pick.index)
}

/// `lowestSet` that also carries `values[i]` of the winning request up the same tree, so the
/// value is ready as soon as the index (no multiplexer on the index after it). `value` is
/// meaningful only when `found` is 1.
///
/// ```swift
/// let pick = lowestSet(wants, carrying: headPointers)   // the lowest wanting QP's head
/// ```
public func lowestSet(_ requests: [Bits], carrying values: [Bits], fileID: String = #fileID, line: Int = #line)
    -> (found: Bits, index: Bits, value: Bits) {
    precondition(!requests.isEmpty, "lowestSet needs at least one request")
    var values = values
    if values.count != requests.count {
        let m = requests[0].module
        m.error(SourceLocation(fileID: fileID, line: line), "lowestSet carries one value per request: \(values.count) values for \(requests.count) requests")
        // Elaboration fails; the tree is still built, over values made to fit.
        let filler = values.first ?? m.lit(0, width: 1)
        values = Array((values + Array(repeating: filler, count: requests.count)).prefix(requests.count))
    }
    let pick = lowestSet(requests, carrying: Optional(values))
    return (pick.found, pick.index, pick.value!)
}

private func lowestSet(_ requests: [Bits], carrying values: [Bits]?) -> (found: Bits, index: Bits, value: Bits?) {
    precondition(!requests.isEmpty, "lowestSet needs at least one request")
    let m = requests[0].module
    let indexWidth = max(1, addressBits(requests.count))
    // Each level pairs neighbours: the lower one wins when it has a request.
    var level = requests.indices.map { (found: requests[$0], index: m.lit(0, width: indexWidth), value: values?[$0]) }
    var bit = 0
    while level.count > 1 {
        var next: [(found: Bits, index: Bits, value: Bits?)] = []
        for k in stride(from: 0, to: level.count, by: 2) {
            guard k + 1 < level.count else { next.append(level[k]); continue }
            let (low, high) = (level[k], level[k + 1])
            let highIndex = high.index | (m.lit(1, width: indexWidth) << bit)
            let value = low.value.map { mux(low.found, $0, high.value!) }
            next.append((low.found | high.found, mux(low.found, low.index, highIndex), value))
        }
        level = next
        bit += 1
    }
    return level[0]
}
