import AdapterModel
import Testing

/// The transaction-level reference against SPEC 5's vectors and SPEC 3.2's rules, alone.
@Suite struct CompletionReferenceTests {
    func posts(_ qp: UInt8, _ n: Int, signaled: (Int) -> Bool = { _ in true }) -> [CompletionEvent] {
        (0..<n).map { .post(CompletionPost(qp: qp, wqe: UInt16($0), signaled: signaled($0), psn: UInt32(10 + $0), bytes: 8)) }
    }

    func run(_ events: [CompletionEvent]) -> CompletionReference {
        var r = CompletionReference()
        for e in events { r.apply(e) }
        return r
    }

    @Test func selectiveSignaling() {
        let cumulative = run(posts(0, 8) { $0 == 3 || $0 == 7 } + [.ack(CompletionAck(qp: 0, psn: 17))])
        #expect(cumulative.entries[0]?.map(\.wqe) == [3, 7])
        let each = run(posts(0, 8) { $0 == 3 || $0 == 7 } + (0..<8).map { .ack(CompletionAck(qp: 0, psn: UInt32(10 + $0))) })
        #expect(each.entries[0]?.map(\.wqe) == [3, 7])
        #expect(each.outstanding == 0)
    }

    @Test func nakFailsThenFlushes() {
        for signaledTail in [true, false] {
            let r = run(posts(1, 5) { $0 < 3 || signaledTail } + [.ack(CompletionAck(qp: 1, psn: 12, syndrome: 0x13))])
            #expect(r.entries[1]?.map { "\($0.wqe)/\($0.opcode)/\($0.syndrome)" } == ["0/0/0", "1/0/0", "2/13/19", "3/13/5", "4/13/5"])
            #expect(r.isInError(1))
        }
    }

    @Test func serialNumbersWrap() {
        #expect(SerialNumber.atOrBefore(0xff_ffff, 0))
        #expect(!SerialNumber.atOrBefore(0, 0xff_ffff))
        #expect(SerialNumber.atOrBefore(5, 5) && !SerialNumber.before(5, 5))
        #expect(SerialNumber.before(0x7f_ffff, 0xff_fffe))
        #expect(!SerialNumber.atOrBefore(0, 0x80_0000))
    }

    @Test func staleNakAndAcksThatChangeNothing() {
        var r = run(posts(2, 3) + [.ack(CompletionAck(qp: 2, psn: 11))])
        r.apply(.ack(CompletionAck(qp: 2, psn: 11, syndrome: 0x13)))  // stale
        r.apply(.ack(CompletionAck(qp: 2, psn: 5)))                    // covers nothing
        r.apply(.ack(CompletionAck(qp: 40, psn: 5)))                   // QP out of range
        #expect(!r.isInError(2))
        #expect(r.outstandingRecords(2) == 1)
        #expect(r.ruleHits["stale NAK ignored"] == 1)
    }

    @Test func outOfRangePostAndReset() {
        var r = run([.post(CompletionPost(qp: 20, wqe: 1, psn: 0, status: 4))])
        #expect(r.entries[20] == [CompletionEntry(qp: 20, wqe: 1, opcode: 13, wqeOpcode: 0x08, syndrome: 2, bytes: 0)])
        r.apply(.post(CompletionPost(qp: 3, wqe: 2, psn: 0, status: 4)))
        #expect(r.isInError(3) && r.outstandingRecords(3) == 0)
        r.apply(.reset(qp: 3))
        #expect(!r.isInError(3))
    }

    @Test func sameCycleOrderPutsAcksBeforePosts() {
        var r = CompletionReference()
        r.apply(timed: [(5, .post(CompletionPost(qp: 0, wqe: 1, psn: 7))), (5, .ack(CompletionAck(qp: 0, psn: 7)))])
        #expect(r.entries[0] == nil)
        #expect(r.outstandingRecords(0) == 1)
    }
}
