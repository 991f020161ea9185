import AdapterModel
import LoomCosim

/// Scores `exec_unit` message by message against `ExecReference`, and checks the cross-stream
/// rules when beats transfer:
/// - one record per message, in `wr` order (rule 1, 6, 10);
/// - each message's headers and pieces in order; after the pieces of its sent packets, any
///   prefix of the droppable ones and then one abort beat (rule 5);
/// - a header transfers in a later cycle than its record, and no earlier than its last
///   piece (rules 4, 6); no header after its message's abort beat; no header first offered
///   in the cycle after `qp_error` of its QP was 1 (rule 8);
/// - `lerr` beats in order, each after its record and the message's headers, and no later
///   than the next record of its QP (rule 7).
/// With `qp_error` pulses (`killable`), a message may stop early: its record may carry 0x05
/// and its headers, pieces and `lerr` may end at any point (the cycle model checks the rest).
final class ExecScoreboard {
    struct Expected {
        let outcome: ExecReference.Outcome
        var allPieces: [PayloadPiece] { outcome.pieces + outcome.droppable }
        var recordCycle: Int?
        var headersSeen = 0
        var lastHeaderCycle = -1
        var piecesSeen = 0
        var lastPieceCycles: [Int] = []   // the cycle of each packet's last piece
        var aborted = false
        var lerrSeen = false
    }

    let killable: Bool
    var messages: [Expected] = []
    var recordCursor = 0, headerCursor = 0, pieceCursor = 0, lerrCursor = 0
    private(set) var failures: [String] = []
    let coverage: Coverage

    init(killable: Bool, coverage: Coverage) {
        self.killable = killable
        self.coverage = coverage
    }

    func expect(_ outcome: ExecReference.Outcome) { messages.append(Expected(outcome: outcome)) }

    func fail(_ s: String) { if failures.count < 20 { failures.append(s) } }

    func record(_ r: CompletionPost, cycle: Int) {
        guard recordCursor < messages.count else { return fail("post: cycle \(cycle): unexpected record \(r)") }
        let want = messages[recordCursor].outcome.record
        var flushed = want
        flushed.status = Syndrome.flush.rawValue
        if r != want && !(killable && r == flushed) { fail("post: cycle \(cycle): message \(recordCursor): expected \(want), got \(r)") }
        if r.status == Syndrome.flush.rawValue && want.status != Syndrome.flush.rawValue { coverage.hit("record flushed by qp_error") }
        messages[recordCursor].recordCycle = cycle
        recordCursor += 1
    }

    /// Pieces of message `k` claimed by its first `h` headers.
    func claimed(_ k: Int, headers h: Int) -> Int {
        guard h > 0 else { return 0 }
        var seen = 0
        for (i, p) in messages[k].allPieces.enumerated() where p.last {
            seen += 1
            if seen == h { return i + 1 }
        }
        return messages[k].allPieces.count
    }

    /// Moves a cursor past message `k`, checking that nothing it owed is missing.
    func closeHeaders(_ k: Int, cycle: Int) {
        let e = messages[k]
        if !killable && e.headersSeen != e.outcome.headers.count {
            fail("pkt: cycle \(cycle): message \(k) sent \(e.headersSeen) of \(e.outcome.headers.count) headers")
        }
    }

    func closePieces(_ k: Int, cycle: Int) {
        // With kills, a message's header count is known only at the end: checked in `finish`.
        if killable && cycle >= 0 { return }
        let e = messages[k]
        let sentPieces = killable ? claimed(k, headers: e.headersSeen) : e.outcome.pieces.count
        if e.piecesSeen < (killable ? 0 : sentPieces) { fail("dma: cycle \(cycle): message \(k) sent \(e.piecesSeen) of \(sentPieces) pieces") }
        if e.piecesSeen > sentPieces && !e.aborted { fail("dma: cycle \(cycle): message \(k): \(e.piecesSeen - sentPieces) piece(s) of unsent packets without an abort") }
    }

    /// Offers a beat to the messages from `cursor` on, in order: `takes(k)` accepts it for
    /// message `k` (true), or `k` owes nothing more on this stream (false): `close(k)` checks
    /// what it sent and the cursor moves on. A beat that no message takes is unexpected.
    private func route(_ cursor: ReferenceWritableKeyPath<ExecScoreboard, Int>, unexpected: @autoclosure () -> String,
                       close: (Int) -> Void, takes: (Int) -> Bool) {
        while self[keyPath: cursor] < messages.count {
            let k = self[keyPath: cursor]
            if takes(k) { return }
            close(k)
            self[keyPath: cursor] += 1
        }
        fail(unexpected())
    }

    func header(_ h: PacketHeader, cycle: Int) {
        route(\.headerCursor, unexpected: "pkt: cycle \(cycle): unexpected \(h)", close: { closeHeaders($0, cycle: cycle) }) { k in
            let e = messages[k]
            guard e.headersSeen < e.outcome.headers.count && e.outcome.headers[e.headersSeen] == h else { return false }
            if e.aborted { fail("pkt: cycle \(cycle): message \(k): header after its abort beat") }
            guard let rc = e.recordCycle, rc < cycle else {
                fail("pkt: cycle \(cycle): \(h) before its record transferred")
                return true
            }
            let j = e.headersSeen
            if !e.outcome.pieces.isEmpty && !(j < e.lastPieceCycles.count && e.lastPieceCycles[j] <= cycle) {
                fail("pkt: cycle \(cycle): \(h) before its last piece transferred")
            }
            messages[k].headersSeen += 1
            messages[k].lastHeaderCycle = cycle
            return true
        }
    }

    func piece(_ p: PayloadPiece, cycle: Int) {
        route(\.pieceCursor, unexpected: "dma: cycle \(cycle): unexpected \(p)", close: { closePieces($0, cycle: cycle) }) { k in
            let e = messages[k]
            if p.abort {
                guard e.piecesSeen > 0 && !e.aborted else { return false }
                if e.lastHeaderCycle >= cycle { fail("dma: cycle \(cycle): message \(k): abort before its last header transferred") }
                if e.piecesSeen <= claimed(k, headers: e.headersSeen) { fail("dma: cycle \(cycle): message \(k): abort with no unclaimed piece") }
                messages[k].aborted = true
                coverage.hit("abort beat")
                pieceCursor += 1   // the abort ends the message's pieces
                return true
            }
            guard !e.aborted && e.piecesSeen < e.allPieces.count && e.allPieces[e.piecesSeen] == p else { return false }
            messages[k].piecesSeen += 1
            if p.last { messages[k].lastPieceCycles.append(cycle) }
            return true
        }
    }

    func lerr(_ l: LocalError, cycle: Int) {
        while lerrCursor < messages.count {
            let k = lerrCursor
            lerrCursor += 1
            guard let want = messages[k].outcome.lerr else { continue }
            // Rule 7's window: a message's lerr transfers no later than the next record of its QP.
            let nextRecordOfQp = messages[(k + 1)...].prefix(while: { $0.recordCycle != nil }).first { $0.outcome.record.qp == want.qp }?.recordCycle
            let windowClosed = nextRecordOfQp.map { $0 < cycle } ?? false
            // With qp_error pulses a killed message sends no lerr. Once its window has closed this
            // beat cannot be its own, even when it looks the same: it is a later message's.
            if killable && windowClosed { continue }
            if want == l {
                let e = messages[k]
                guard let rc = e.recordCycle, rc < cycle, e.lastHeaderCycle < cycle else { return fail("lerr: cycle \(cycle): \(l) before its record and headers transferred") }
                if !killable && e.headersSeen != e.outcome.headers.count { fail("lerr: cycle \(cycle): \(l) before all headers of message \(k)") }
                if windowClosed { fail("lerr: cycle \(cycle): \(l) after the next record of its QP") }
                messages[k].lerrSeen = true
                coverage.hit("lerr after packets")
                return
            }
            if !killable { return fail("lerr: cycle \(cycle): expected \(want) of message \(k), got \(l)") }
        }
        fail("lerr: cycle \(cycle): unexpected \(l)")
    }

    func finish() {
        if recordCursor < messages.count { fail("post: \(messages.count - recordCursor) record(s) never transferred") }
        while headerCursor < messages.count { closeHeaders(headerCursor, cycle: -1); headerCursor += 1 }
        for k in messages.indices where killable || k >= pieceCursor { closePieces(k, cycle: -1) }
        if !killable, let k = messages.indices.first(where: { messages[$0].outcome.lerr != nil && !messages[$0].lerrSeen }) {
            fail("lerr: message \(k)'s \(messages[k].outcome.lerr!) never transferred")
        }
    }

    var recordsLeft: Int { messages.count - recordCursor }
}
