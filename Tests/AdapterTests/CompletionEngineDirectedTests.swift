import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// One directed test per rule of SPEC 3.2 and per reference vector of SPEC 5. Each runs the
/// RTL in lockstep with the cycle model, scores against the reference, and then checks the
/// CQEs against values written here from SPEC.md.
@Suite(.serialized) struct CompletionEngineDirectedTests {
    typealias Step = CompletionStimulus.Step
    static let ok = CQEOpcode.req.rawValue, err = CQEOpcode.reqErr.rawValue

    /// Runs `steps` and returns the CQEs received per QP.
    func run(_ steps: [Step], cqeReadyPercent: Int = 100, drain: Bool = true, ackTimeout: Int = 0,
             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [UInt8: [CompletionEntry]] {
        let runner = LockstepRunner(cycleLimit: 20_000, watchdogCycles: 2_000)
        var stimulus: CompletionStimulus?
        let r = try runner.run(test: "completion-directed", seed: 1, reproduce: "swift test --filter CompletionEngineDirectedTests") {
            let parts = try AdapterTests.completionDirected(steps, cqeReadyPercent: cqeReadyPercent, drain: drain, ackTimeout: ackTimeout)
            stimulus = parts.stimulus as? CompletionStimulus
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        return stimulus?.received ?? [:]
    }

    func writes(qp: UInt8, count: Int, firstPsn: UInt32 = 100, signaled: (Int) -> Bool = { _ in true }, status: (Int) -> UInt8 = { _ in 0 }) -> [CompletionPost] {
        (0..<count).map { i in
            CompletionPost(qp: qp, wqe: UInt16(i), opcode: 0x08, signaled: signaled(i), psn: firstPsn &+ UInt32(i), bytes: UInt32(1000 + i), status: status(i))
        }
    }

    func summary(_ entries: [CompletionEntry]?) -> [String] {
        (entries ?? []).map { "\($0.wqe):\($0.opcode == Self.ok ? "OK" : "ERR")/\($0.syndrome)" }
    }

    // SPEC 5 vectors.

    @Test func vectorSelectiveSignalingCumulativeAck() throws {
        let got = try run([.posts(writes(qp: 2, count: 8, signaled: { $0 == 3 || $0 == 7 })), .idle(3), .acks([CompletionAck(qp: 2, psn: 107)])])
        #expect(summary(got[2]) == ["3:OK/0", "7:OK/0"])
        #expect(got[2]?.map(\.bytes) == [1003, 1007])
    }

    @Test func vectorSelectiveSignalingOneAckPerMessage() throws {
        let acks = (0..<8).map { CompletionAck(qp: 2, psn: 100 + UInt32($0)) }
        let got = try run([.posts(writes(qp: 2, count: 8, signaled: { $0 == 3 || $0 == 7 })), .idle(3), .acks(acks)])
        #expect(summary(got[2]) == ["3:OK/0", "7:OK/0"])
    }

    @Test func vectorNakOnThirdOfFive() throws {
        let got = try run([.posts(writes(qp: 4, count: 5)), .idle(3), .acks([CompletionAck(qp: 4, psn: 102, syndrome: 0x13)])])
        #expect(summary(got[4]) == ["0:OK/0", "1:OK/0", "2:ERR/19", "3:ERR/5", "4:ERR/5"])
    }

    @Test func vectorNakWithUnsignaledTail() throws {
        let got = try run([.posts(writes(qp: 4, count: 5, signaled: { $0 < 3 })), .idle(3), .acks([CompletionAck(qp: 4, psn: 102, syndrome: 0x13)])])
        #expect(summary(got[4]) == ["0:OK/0", "1:OK/0", "2:ERR/19", "3:ERR/5", "4:ERR/5"])
    }

    // SPEC 3.2 rules.

    @Test func rule1InOrderPerQp() throws {
        let got = try run([.posts(writes(qp: 1, count: 6)), .idle(2), .acks([CompletionAck(qp: 1, psn: 102), CompletionAck(qp: 1, psn: 105)])])
        #expect(got[1]?.map(\.wqe) == [0, 1, 2, 3, 4, 5])
    }

    @Test func rule2LocalErrorCompletesAtOnceWithItsOwnSyndrome() throws {
        // No ACK at all: the failed head completes by itself and the rest are flushed.
        let got = try run([.posts(writes(qp: 3, count: 3, status: { $0 == 0 ? 0x04 : 0 }))], drain: false)
        #expect(summary(got[3]) == ["0:ERR/4", "1:ERR/5", "2:ERR/5"])
    }

    @Test func rule2OwnSyndromeEvenWhenANakNamesIt() throws {
        let got = try run([.posts(writes(qp: 3, count: 3, status: { $0 == 1 ? 0x04 : 0 })), .idle(2), .acks([CompletionAck(qp: 3, psn: 101, syndrome: 0x13)])])
        #expect(summary(got[3]) == ["0:OK/0", "1:ERR/4", "2:ERR/5"])
    }

    @Test func rule3UnsignaledSuccessIsSilent() throws {
        let got = try run([.posts(writes(qp: 5, count: 4, signaled: { $0 % 2 == 1 })), .idle(2), .acks([CompletionAck(qp: 5, psn: 103)])])
        #expect(summary(got[5]) == ["1:OK/0", "3:OK/0"])
    }

    @Test func rule4PostsWhileInErrorAreFlushed() throws {
        let got = try run([.posts(writes(qp: 6, count: 2)), .idle(2), .acks([CompletionAck(qp: 6, psn: 100, syndrome: 0x15)]), .idle(5),
                           .posts([CompletionPost(qp: 6, wqe: 9, signaled: false, psn: 102)])], drain: false)
        #expect(summary(got[6]) == ["0:ERR/21", "1:ERR/5", "9:ERR/5"])
    }

    @Test func rule5AcksThatChangeNothing() throws {
        // ACK to a QP in ERROR, to a QP >= QPS, and one covering no outstanding record.
        let got = try run([
            .posts(writes(qp: 7, count: 2, firstPsn: 50)), .idle(2),
            .acks([CompletionAck(qp: 7, psn: 49), CompletionAck(qp: 200, psn: 51)]), .idle(5),
            .acks([CompletionAck(qp: 7, psn: 50)]), .idle(3),
        ])
        #expect(summary(got[7]) == ["0:OK/0", "1:OK/0"])  // wqe 1 by the final drain ACK
        #expect(got[200] == nil)
        let flushed = try run([.posts(writes(qp: 8, count: 3, status: { $0 == 0 ? 0x04 : 0 })), .idle(8), .acks([CompletionAck(qp: 8, psn: 102)])], drain: false)
        #expect(summary(flushed[8]) == ["0:ERR/4", "1:ERR/5", "2:ERR/5"])
    }

    @Test func rule6ResetClearsErrorAndPostsAreNormalAfterwards() throws {
        let got = try run([
            .posts(writes(qp: 9, count: 1, status: { _ in 0x04 })), .idle(6), .reset(9), .idle(2),
            .posts([CompletionPost(qp: 9, wqe: 20, psn: 300, bytes: 64)]), .idle(2), .acks([CompletionAck(qp: 9, psn: 300)]),
            .reset(3), .reset(99),  // not in ERROR / out of range: accepted, no effect
        ])
        #expect(summary(got[9]) == ["0:ERR/4", "20:OK/0"])
    }

    @Test func rule7CqSlotsWrapAndOwnerFlips() throws {
        // 150 signaled CQEs: slot indices run 0...63 three times with the owner bit 0, 1, 0
        // (the stimulus checks every CQE's index and owner against its ordinal).
        var steps: [Step] = []
        for batch in 0..<5 {
            steps.append(.posts((0..<30).map { CompletionPost(qp: UInt8(batch), wqe: UInt16($0), psn: UInt32($0)) }))
            steps.append(.acks([CompletionAck(qp: UInt8(batch), psn: 29)]))
        }
        let got = try run(steps, cqeReadyPercent: 50)
        #expect(got.values.reduce(0) { $0 + $1.count } == 150)
    }

    @Test func rule8PoolHoldsExactlyRecordsAndBackPressures() throws {
        // 70 posts with no ACK: 64 are accepted, the rest wait; the ACK frees the pool.
        let parts = try AdapterTests.completionDirected([.posts(writes(qp: 0, count: 70))])
        let p = try CompletionPorts(parts.rtl.layout.packed()), rst = try parts.rtl.layout.resetSlot()
        var inputs = [UInt64](repeating: 0, count: parts.rtl.layout.inputWords)
        inputs[rst] = 1
        _ = parts.rtl.cycle(inputs)
        inputs[rst] = 0
        var accepted = 0
        inputs[p.post.valid] = 1
        inputs[p.cqe.ready] = 1
        for c in 0..<100 {
            p.post.write(CompletionPost(qp: 0, wqe: 0, opcode: 0, signaled: false, psn: UInt32(c)), into: &inputs)
            let out = parts.rtl.cycle(inputs)
            if out[p.post.ready] == 1 { accepted += 1 }
        }
        #expect(accepted == 64)
        // Rule 10: a post to a QP >= QPS waits for a record like any other.
        p.post.write(CompletionPost(qp: 40, wqe: 0, opcode: 0, signaled: false, psn: 99), into: &inputs)
        #expect(parts.rtl.cycle(inputs)[p.post.ready] == 0)
        inputs[p.ack.valid] = 1
        p.ack.write(CompletionAck(qp: 0, psn: 10), into: &inputs)
        inputs[p.post.valid] = 0
        _ = parts.rtl.cycle(inputs)
        inputs[p.ack.valid] = 0
        for _ in 0..<20 { _ = parts.rtl.cycle(inputs) }
        inputs[p.post.valid] = 1
        p.post.write(CompletionPost(qp: 0, wqe: 0, opcode: 0, signaled: false, psn: 100), into: &inputs)
        var more = 0
        for _ in 0..<30 { if parts.rtl.cycle(inputs)[p.post.ready] == 1 { more += 1 } }
        #expect(more == 11)  // records psn 0...10 retired: 11 slots free again
    }

    @Test func rule8QpsAreIndependent() throws {
        let got = try run([
            .posts(writes(qp: 1, count: 3) + writes(qp: 2, count: 3)), .idle(2),
            .acks([CompletionAck(qp: 1, psn: 100, syndrome: 0x13), CompletionAck(qp: 2, psn: 102)]),
        ])
        #expect(summary(got[1]) == ["0:ERR/19", "1:ERR/5", "2:ERR/5"])
        #expect(summary(got[2]) == ["0:OK/0", "1:OK/0", "2:OK/0"])
    }

    @Test func rule10PostToQpOutOfRange() throws {
        let got = try run([.posts([CompletionPost(qp: 16, wqe: 5, opcode: 0x0a, psn: 1, bytes: 99, status: 0),
                                   CompletionPost(qp: 255, wqe: 6, opcode: 0x10, psn: 2, status: 0x04)])])
        #expect(got[16] == [CompletionEntry(qp: 16, wqe: 5, opcode: 13, wqeOpcode: 0x0a, syndrome: 0x02, bytes: 0)])
        #expect(got[255] == [CompletionEntry(qp: 255, wqe: 6, opcode: 13, wqeOpcode: 0x10, syndrome: 0x02, bytes: 0)])
    }

    @Test func ackCoversOnlyEarlierPosts() throws {
        // A post and an ACK naming its PSN in the same cycle: the ACK does not cover it.
        let got = try run([.together([CompletionPost(qp: 11, wqe: 1, psn: 5)], [CompletionAck(qp: 11, psn: 5)])], drain: false)
        #expect(got[11] == nil)
    }

    @Test func psnSerialOrderAcrossWrap() throws {
        let posts = [0xff_fffe, 0xff_ffff, 0, 1].enumerated().map { CompletionPost(qp: 12, wqe: UInt16($0.offset), psn: UInt32($0.element)) }
        let got = try run([.posts(posts), .idle(2), .acks([CompletionAck(qp: 12, psn: 0)])], drain: false)
        #expect(got[12]?.map(\.wqe) == [0, 1, 2])
    }

    @Test func staleNakIsIgnored() throws {
        // After ACK 101 retires PSNs 100 and 101, a NAK for 101 is stale: nothing fails.
        let got = try run([.posts(writes(qp: 13, count: 3)), .idle(2), .acks([CompletionAck(qp: 13, psn: 101)]), .idle(4),
                           .acks([CompletionAck(qp: 13, psn: 101, syndrome: 0x13)]), .idle(4)])
        #expect(summary(got[13]) == ["0:OK/0", "1:OK/0", "2:OK/0"])
    }

    @Test func acksAndResetsAtExactlyQPSAndAboveChangeNothing() throws {
        // Rules 5 and 6 at the boundary: QP 16 (= QPS) and 255 name no QP, least of all QP 0,
        // whose earlier NAK must not be applied again.
        let later = [CompletionPost(qp: 0, wqe: 1, opcode: 0x08, psn: 101), CompletionPost(qp: 0, wqe: 2, opcode: 0x08, psn: 102)]
        let got = try run([.posts([CompletionPost(qp: 0, wqe: 0, opcode: 0x08, psn: 100)]), .idle(2),
                           .acks([CompletionAck(qp: 0, psn: 100, syndrome: 0x13)]), .idle(4), .reset(0), .idle(2),
                           .posts(later), .idle(2),
                           .acks([CompletionAck(qp: 16, psn: 102), CompletionAck(qp: 16, psn: 102, syndrome: 0x13), CompletionAck(qp: 255, psn: 101, syndrome: 0x13)]),
                           .reset(16), .reset(255), .idle(4), .acks([CompletionAck(qp: 0, psn: 102)]), .idle(4)])
        #expect(summary(got[0]) == ["0:ERR/19", "1:OK/0", "2:OK/0"])
        #expect(got[16] == nil && got[255] == nil)
    }

    /// Rule 6 and rule 8: a `qp_reset` clears its own QP's ERROR only, also in the engine the
    /// adapter builds (ACK_TIMEOUT 65536).
    @Test(arguments: [0, 65536])
    func aResetEndsOnlyItsOwnQpsError(ackTimeout: Int) throws {
        let got = try run([.posts([CompletionPost(qp: 3, wqe: 0, opcode: 0x08, psn: 100), CompletionPost(qp: 7, wqe: 0, opcode: 0x08, psn: 200)]), .idle(2),
                           .acks([CompletionAck(qp: 3, psn: 100, syndrome: 0x13), CompletionAck(qp: 7, psn: 200, syndrome: 0x13)]), .idle(4),
                           .reset(3), .idle(2),
                           .posts([CompletionPost(qp: 7, wqe: 1, opcode: 0x08, psn: 201), CompletionPost(qp: 3, wqe: 1, opcode: 0x08, psn: 101)]), .idle(4),
                           .acks([CompletionAck(qp: 3, psn: 101)]), .idle(4), .reset(7), .idle(2),
                           .posts([CompletionPost(qp: 7, wqe: 2, opcode: 0x08, psn: 202)]), .idle(2), .acks([CompletionAck(qp: 7, psn: 202)]), .idle(4)],
                          ackTimeout: ackTimeout)
        #expect(summary(got[3]) == ["0:ERR/19", "1:OK/0"])
        #expect(summary(got[7]) == ["0:ERR/19", "1:ERR/5", "2:OK/0"])
    }

    @Test func staleNakAfterAResetOfAHealthyQpIsIgnored() throws {
        // Rule 6: a reset of a QP not in ERROR changes nothing, so PSN 100 stays retired and a
        // NAK for it stays stale (SPEC 3.1: only a reset that clears ERROR forgets the history).
        let got = try run([.posts([CompletionPost(qp: 9, wqe: 0, opcode: 0x08, psn: 100)]), .idle(2),
                           .acks([CompletionAck(qp: 9, psn: 100)]), .idle(4), .reset(9), .idle(2),
                           .posts([CompletionPost(qp: 9, wqe: 1, opcode: 0x08, psn: 101)]), .idle(2),
                           .acks([CompletionAck(qp: 9, psn: 100, syndrome: 0x13)]), .idle(4),
                           .acks([CompletionAck(qp: 9, psn: 101)]), .idle(4)])
        #expect(summary(got[9]) == ["0:OK/0", "1:OK/0"])
    }

    @Test func busyAndErrorLevelsFollowTheRecords() throws {
        let parts = try AdapterTests.completionDirected([])
        let p = try CompletionPorts(parts.rtl.layout.packed()), rst = try parts.rtl.layout.resetSlot()
        var i = [UInt64](repeating: 0, count: parts.rtl.layout.inputWords)
        i[rst] = 1
        _ = parts.rtl.cycle(i)
        i[rst] = 0
        i[p.cqe.ready] = 1
        // Cycle 0: a post with a local error transfers on QP 3.
        i[p.post.valid] = 1
        p.post.write(CompletionPost(qp: 3, wqe: 0, opcode: 0, signaled: false, psn: 0, status: 4), into: &i)
        var o = parts.rtl.cycle(i)
        #expect(o[p.qpBusy.offset] == 0)
        i[p.post.valid] = 0
        var busy: [UInt64] = [o[p.qpBusy.offset]], error: [UInt64] = [o[p.qpError.offset]], cqe: [UInt64] = [o[p.cqe.valid]]
        for _ in 1..<6 {
            o = parts.rtl.cycle(i)
            busy.append(o[p.qpBusy.offset])
            error.append(o[p.qpError.offset])
            cqe.append(o[p.cqe.valid])
        }
        // Rule 11: busy from the cycle after the post (1) until the cycle after the record
        // retires (it retires at once in cycle 1: rule 2); ERROR from the cycle its CQE appears.
        #expect(busy == [0, 8, 0, 0, 0, 0])
        #expect(cqe == [0, 0, 1, 0, 0, 0])
        #expect(error == [0, 0, 8, 8, 8, 8])
        // qp_reset: not ready while a post to the same QP is offered, ready once alone.
        i[p.qpReset.valid] = 1
        p.qpReset.write(QPReset(qp: 3), into: &i)
        i[p.post.valid] = 1
        p.post.write(CompletionPost(qp: 3, wqe: 0, opcode: 0, signaled: false, psn: 0), into: &i)
        o = parts.rtl.cycle(i)
        #expect(o[p.qpReset.ready] == 0)
        i[p.post.valid] = 0
    }
}
