@testable import AdapterModel
@testable import AdapterVerification
import LoomCosim
import Testing

/// The exec bench's rule-7 check on its own: a `lerr` beat transfers no later than the next
/// record of its QP. Two messages of QP 6 each expect `lerr {6, 0x01}`; the first one's never
/// comes, and one beat transfers after the second one's record.
struct ExecScoreboardTests {
    static let sameLerr = LocalError(qp: 6, syndrome: 0x01)

    func outcome(wqe: UInt16, lerr: LocalError?) -> ExecReference.Outcome {
        ExecReference.Outcome(record: CompletionPost(qp: 6, wqe: wqe, psn: UInt32(wqe)), headers: [], pieces: [], droppable: [], lerr: lerr)
    }

    /// Records of both messages at cycles 10 and 20, then the beat at 25.
    func score(killable: Bool, secondExpectsLerr: Bool = true) -> [String] {
        let board = ExecScoreboard(killable: killable, coverage: Coverage())
        board.expect(outcome(wqe: 1, lerr: Self.sameLerr))
        board.expect(outcome(wqe: 2, lerr: secondExpectsLerr ? Self.sameLerr : nil))
        board.record(CompletionPost(qp: 6, wqe: 1, psn: 1), cycle: 10)
        board.record(CompletionPost(qp: 6, wqe: 2, psn: 2), cycle: 20)
        board.lerr(Self.sameLerr, cycle: 25)
        return board.failures
    }

    @Test func withoutQpErrorTheFirstMessagesLerrIsLate() {
        #expect(score(killable: false) == ["lerr: cycle 25: LocalError(qp: 6, syndrome: 1) after the next record of its QP"])
    }

    /// With `qp_error` pulses the first message may have been killed (no `lerr`): a beat after
    /// the second record is the second message's. Before this rule the bench matched it to the
    /// first message and failed `exec_unit_qp_error` seed 5 with the message above.
    @Test func withQpErrorALaterBeatIsTheLaterMessages() {
        #expect(score(killable: true) == [])
    }

    @Test func withQpErrorALateBeatNoMessageCanOwnStillFails() {
        #expect(score(killable: true, secondExpectsLerr: false) == ["lerr: cycle 25: unexpected LocalError(qp: 6, syndrome: 1)"])
    }
}
