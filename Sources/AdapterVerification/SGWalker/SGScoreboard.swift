import AdapterModel
import LoomCosim

/// Scores `sg_walker`'s chunks one operation at a time, in order, against `SGReference`: a
/// well-formed operation must give exactly the reference's chunks; a malformed one a prefix
/// of the chunks before the bad entry, then its MALFORMED beat (SPEC 2.3).
final class SGScoreboard {
    let reference: SGReference
    let board = InOrderScoreboard<[SGChunk]>("operations") {
        answerMatches(expected: $0, actual: $1) { $0.status == ChunkStatus.malformed.rawValue }
    }
    let coverage: Coverage
    var current: [SGChunk] = []
    /// The chunks received, one list per finished operation.
    private(set) var received: [[SGChunk]] = []

    init(_ reference: SGReference, coverage: Coverage) {
        self.reference = reference
        self.coverage = coverage
    }

    /// An operation was sent: its expected chunks join the queue.
    func expect(_ op: [SGEntry]) {
        switch reference.run(op) {
        case let .chunks(want):
            board.expect(want)
            let visits = op.reduce(0) { n, e in n + (e.kind == SGKind.pattern.rawValue ? Int(e.count0) * Int(e.count1) : 1) }
            if visits > want.count { coverage.hit("coalesced visits") }
        case let .malformed(before, id, _):
            coverage.hit("malformed")
            board.expect(before + [SGChunk.malformed(id: id)])
        }
        for e in op {
            if e.kind == SGKind.plain.rawValue { coverage.hit("plain") }
            if e.kind == SGKind.pattern.rawValue { coverage.hit(e.count1 > 1 ? "two-level pattern" : "pattern") }
            if e.group { coverage.hit("interleave group") }
            if e.kind == SGKind.plain.rawValue && e.addr &+ UInt64(e.len) == 0 && e.len > 0 { coverage.hit("end at 2^64 joins nothing") }
            if e.len > 0x8000_0000 { coverage.hit("length sum limit") }
        }
    }

    /// A chunk arrived; the one with `last` ends its operation.
    func actual(_ chunk: SGChunk, cycle: Int) {
        current.append(chunk)
        guard chunk.last else { return }
        board.actual(current, cycle: cycle)
        received.append(current)
        current = []
    }

    var failures: [String] { board.failures }
    var operationsLeft: Int { board.outstanding }
}
