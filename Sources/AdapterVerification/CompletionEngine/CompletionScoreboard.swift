import AdapterModel
import LoomCosim

/// Scores `completion_engine`'s CQEs: the CQ slot sequence as they arrive (rule 7), then,
/// once the run is over, each QP's CQEs in order against `CompletionReference` replaying the
/// transfers the monitor saw, and the accounting (nothing left outstanding).
final class CompletionScoreboard {
    let qps: Int
    let cqDepth: Int
    /// The CQEs received, per QP.
    private(set) var received: [UInt8: [CompletionEntry]] = [:]
    var receivedCycles: [UInt8: [Int]] = [:]
    private(set) var receivedCount = 0
    private(set) var failures: [String] = []
    private(set) var reference: CompletionReference
    /// Whether each QP's CQEs are compared with the reference (not with ACK timeouts).
    var scoresEntries = true

    init(qps: Int, cqDepth: Int) {
        self.qps = qps
        self.cqDepth = cqDepth
        reference = CompletionReference(qps: qps)
    }

    func actual(_ beat: CQEBeat, cycle: Int) {
        received[beat.entry.qp, default: []].append(beat.entry)
        receivedCycles[beat.entry.qp, default: []].append(cycle)
        // Rule 7: the n-th CQE takes slot n mod CQ_DEPTH with owner (n / CQ_DEPTH) mod 2.
        let n = receivedCount
        if Int(beat.index) != n % cqDepth || (beat.owner ? 1 : 0) != (n / cqDepth) % 2 {
            failures.append("cycle \(cycle): CQE #\(n) has index \(beat.index) owner \(beat.owner ? 1 : 0), expected \(n % cqDepth) and \((n / cqDepth) % 2)")
        }
        receivedCount += 1
    }

    /// Replays `events` through the reference and compares each QP's CQEs in order.
    func finish(events: [(cycle: Int, event: CompletionEvent)], drained: Bool, busyAtEnd: [Int], coverage: Coverage) {
        var ref = CompletionReference(qps: qps)
        ref.apply(timed: events)
        reference = ref
        for (rule, n) in ref.ruleHits.sorted(by: { $0.key < $1.key }) { coverage.hit(rule, n) }
        for q in Set(ref.entries.keys).union(received.keys).sorted() where scoresEntries {
            let board = InOrderScoreboard<CompletionEntry>("QP \(q)")
            for e in ref.entries[q] ?? [] { board.expect(e) }
            for (e, cycle) in zip(received[q] ?? [], receivedCycles[q] ?? []) { board.actual(e, cycle: cycle) }
            board.finish()
            failures += board.failures
        }
        if drained && scoresEntries && ref.outstanding != 0 { failures.append("accounting: the reference still holds \(ref.outstanding) records after the drain") }
        if drained && !busyAtEnd.isEmpty { failures.append("accounting: qp_busy still set at the end: \(busyAtEnd)") }
    }
}
