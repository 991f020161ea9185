import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// SPEC 3.2 rules 13 (`lerr`) and 14 (`ACK_TIMEOUT`): directed tests with expected CQEs
/// written from SPEC.md, run in lockstep with the cycle model. Their random regressions are
/// in `CompletionEngineRandomTests`.
@Suite(.serialized) struct CompletionEngineLateErrorTests {
    typealias Step = CompletionStimulus.Step

    struct Outcome {
        var cqes: [UInt8: [CompletionEntry]]
        var cqeCycles: [UInt8: [Int]]
        var postCycles: [Int]
        var ackCycles: [Int]
        var lerrCycles: [Int]
    }

    func run(_ steps: [Step], ackTimeout: Int = 0, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Outcome {
        let runner = LockstepRunner(cycleLimit: 20_000, watchdogCycles: 3_000)
        var stimulus: CompletionStimulus?
        let r = try runner.run(test: "completion-late-errors", seed: 1, reproduce: "swift test --filter CompletionEngineLateErrorTests") {
            let parts = try AdapterTests.completionDirected(steps, ackTimeout: ackTimeout)
            stimulus = parts.stimulus as? CompletionStimulus
            // The clockless reference cannot place a timeout: these tests check CQEs here.
            if ackTimeout > 0 { stimulus?.scoresAgainstReference = false }
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        let s = try #require(stimulus)
        return Outcome(cqes: s.received, cqeCycles: s.receivedCycles,
                       postCycles: s.events.compactMap { if case .post = $0.event { $0.cycle } else { nil } },
                       ackCycles: s.events.compactMap { if case .ack = $0.event { $0.cycle } else { nil } },
                       lerrCycles: s.events.compactMap { if case .lerr = $0.event { $0.cycle } else { nil } })
    }

    func writes(qp: UInt8, count: Int, status: (Int) -> UInt8 = { _ in 0 }) -> [CompletionPost] {
        (0..<count).map { CompletionPost(qp: qp, wqe: UInt16($0), opcode: 0x08, signaled: true, psn: 100 + UInt32($0), bytes: 500, status: status($0)) }
    }

    func summary(_ entries: [CompletionEntry]?) -> [String] {
        (entries ?? []).map { "\($0.wqe):\($0.opcode == CQEOpcode.req.rawValue ? "OK" : "ERR")/\($0.syndrome)" }
    }

    // Rule 13.

    @Test func lerrFailsTheNewestOutstandingRecord() throws {
        let got = try run([.posts(writes(qp: 1, count: 3)), .idle(2), .lerrs([LocalError(qp: 1, syndrome: 0x04)]), .idle(2),
                           .acks([CompletionAck(qp: 1, psn: 102)])])
        #expect(summary(got.cqes[1]) == ["0:OK/0", "1:OK/0", "2:ERR/4"])
    }

    @Test func lerrOnTheOnlyRecordCompletesItAtOnce() throws {
        // The failed record is the head: rule 2 completes it without an ACK.
        let got = try run([.posts(writes(qp: 3, count: 1)), .idle(2), .lerrs([LocalError(qp: 3, syndrome: 0x01)])])
        #expect(summary(got.cqes[3]) == ["0:ERR/1"])
    }

    @Test func lerrKeepsTheFirstStatus() throws {
        let got = try run([.posts(writes(qp: 2, count: 2, status: { $0 == 1 ? 0x02 : 0 })), .idle(2),
                           .lerrs([LocalError(qp: 2, syndrome: 0x04)]), .idle(2), .acks([CompletionAck(qp: 2, psn: 100)])])
        #expect(summary(got.cqes[2]) == ["0:OK/0", "1:ERR/2"])
    }

    @Test func lerrThatChangesNothing() throws {
        // An empty list, a QP >= QPS, syndrome 0: then ordinary traffic completes normally.
        let got = try run([.lerrs([LocalError(qp: 5, syndrome: 0x04), LocalError(qp: 40, syndrome: 0x04)]), .posts(writes(qp: 5, count: 2)),
                           .idle(2), .lerrs([LocalError(qp: 5, syndrome: 0)]), .idle(2), .acks([CompletionAck(qp: 5, psn: 101)])])
        #expect(summary(got.cqes[5]) == ["0:OK/0", "1:OK/0"])
        #expect(got.cqes[40] == nil)
    }

    @Test func ackOfTheSameCycleAppliesFirst() throws {
        // The ACK covers both records: nothing is left for the lerr to fail.
        let covered = try run([.posts(writes(qp: 0, count: 2)), .idle(2), .together([], [CompletionAck(qp: 0, psn: 101)], lerrs: [LocalError(qp: 0, syndrome: 0x04)])])
        #expect(summary(covered.cqes[0]) == ["0:OK/0", "1:OK/0"])
        // The ACK covers the first record only: the lerr fails the second.
        let partly = try run([.posts(writes(qp: 0, count: 2)), .idle(2), .together([], [CompletionAck(qp: 0, psn: 100)], lerrs: [LocalError(qp: 0, syndrome: 0x04)])])
        #expect(partly.lerrCycles.count == 1 && partly.lerrCycles[0] > partly.ackCycles[0], "the lerr waited for the ACK's walk")
        #expect(summary(partly.cqes[0]) == ["0:OK/0", "1:ERR/4"])
    }

    @Test func aPostOfTheSameCycleIsNotTheRecordALerrFails() throws {
        // "Posted in an earlier cycle": offered together, the lerr fails record 0 (then the
        // tail), which completes at once; record 1 is flushed behind it.
        let first = CompletionPost(qp: 7, wqe: 0, psn: 100), second = CompletionPost(qp: 7, wqe: 1, psn: 101)
        let got = try run([.posts([first]), .idle(2), .together([second], [], lerrs: [LocalError(qp: 7, syndrome: 0x04)]), .idle(2),
                           .acks([CompletionAck(qp: 7, psn: 101)])])
        #expect(summary(got.cqes[7]) == ["0:ERR/4", "1:ERR/5"])
    }

    @Test func lerrThenFlushOfLaterRecords() throws {
        // The failed record completes with its syndrome when the ACK reaches it; rule 4
        // flushes the record posted after the lerr.
        let got = try run([.posts(writes(qp: 6, count: 2)), .idle(2), .lerrs([LocalError(qp: 6, syndrome: 0x04)]), .idle(2),
                           .posts([CompletionPost(qp: 6, wqe: 9, psn: 102)]), .idle(2), .acks([CompletionAck(qp: 6, psn: 100)])])
        #expect(summary(got.cqes[6]) == ["0:OK/0", "1:ERR/4", "9:ERR/5"])
    }

    // Rule 14.

    @Test func ackTimeoutFailsTheHeadWithinTheWindowAndFlushesTheRest() throws {
        let timeout = 40
        let got = try run([.posts(writes(qp: 4, count: 3)), .idle(200), .reset(4)], ackTimeout: timeout)
        #expect(summary(got.cqes[4]) == ["0:ERR/21", "1:ERR/5", "2:ERR/5"])
        // The list became non-empty when the first post transferred; the CQE leaves its output
        // register one cycle after the retirement, which a free CQ slot allows at once.
        let waited = try #require(got.cqeCycles[4]?.first) - got.postCycles[0]
        #expect(waited >= timeout && waited <= 2 * timeout + 1, "timed out after \(waited) cycles")
    }

    @Test func forwardProgressRestartsTheCount() throws {
        let timeout = 40
        // Each ACK covers one more record, every 30 cycles: 150 cycles without a timeout,
        // far beyond 2·ACK_TIMEOUT from the first post. Then the last record times out.
        let acks: [Step] = (0..<5).flatMap { k in [Step.idle(28), .acks([CompletionAck(qp: 1, psn: 100 + UInt32(k))])] }
        let got = try run([.posts(writes(qp: 1, count: 6))] + acks + [.idle(200), .reset(1)], ackTimeout: timeout)
        #expect(summary(got.cqes[1]) == ["0:OK/0", "1:OK/0", "2:OK/0", "3:OK/0", "4:OK/0", "5:ERR/21"])
        let waited = try #require(got.cqeCycles[1]?.last) - got.ackCycles[4]
        #expect(waited > timeout && waited <= 2 * timeout + 1, "timed out \(waited) cycles after the last ACK")
    }

    @Test func aRepeatedAckDoesNotRestartTheCount() throws {
        let timeout = 40
        // The same ACK again every 30 cycles shows no progress: record 1 times out within
        // 2·ACK_TIMEOUT of the first ACK although ACKs keep arriving.
        let ack = CompletionAck(qp: 1, psn: 100)
        let repeats: [Step] = (0..<8).flatMap { _ in [Step.idle(28), .acks([ack])] }
        let got = try run([.posts(writes(qp: 1, count: 2)), .idle(2), .acks([ack])] + repeats + [.idle(100), .reset(1)], ackTimeout: timeout)
        #expect(summary(got.cqes[1]) == ["0:OK/0", "1:ERR/21"])
        let sinceFirst = try #require(got.cqeCycles[1]?.last) - got.ackCycles[0]
        #expect(sinceFirst > timeout && sinceFirst <= 2 * timeout + 1, "timed out \(sinceFirst) cycles after the first ACK")
    }

    @Test func noTimeoutByDefault() throws {
        let got = try run([.posts(writes(qp: 2, count: 1)), .idle(3000), .acks([CompletionAck(qp: 2, psn: 100)])])
        #expect(summary(got.cqes[2]) == ["0:OK/0"])
    }
}
