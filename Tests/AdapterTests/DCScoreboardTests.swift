import AdapterModel
@testable import AdapterVerification
import LoomCosim
import Testing

/// The DC bench's readings of SPEC 4.2 rule 5 on their own, each found by a regression seed
/// (`dc_initiator_pressure` 104, `dc_initiator_switches` 42) and pinned here.
struct DCScoreboardTests {
    static let target = DCTarget(dct: 0x502, dcKey: 0x25a)
    static let request = WorkRequest(qp: 4, wqe: 1, dct: target.dct, dcKey: target.dcKey)
    static let connect = ControlBeat(.connect, qp: 4, target: target)
    static let disconnect = ControlBeat(.disconnect, qp: 6, target: DCTarget(dct: 0x700, dcKey: 0x5a))

    func board() -> DCScoreboard {
        let reference = DCReference(qps: 16, fullHandshake: { _ in false }, answer: { _, _ in 0 })
        return DCScoreboard(reference, qps: 16, fullHandshake: Array(repeating: false, count: 16), coverage: Coverage())
    }

    /// A CONNECT that transferred while QP 4 was in ERROR changed nothing; ERROR ended, the
    /// request was decided at cycle 64 (scored at 65) and sent its CONNECT again.
    func connectTwice(firstInError: Bool) -> [String] {
        let b = board()
        b.control(Self.connect, request: 0, cycle: 50, inError: firstInError)
        b.control(Self.connect, request: 0, cycle: 63, inError: false)
        b.decide(Self.request, cycle: 65)
        return b.allFailures
    }

    @Test func aConnectInAnEarlierErrorIsNotTheRequestsHandshake() {
        #expect(connectTwice(firstInError: true) == [])
    }

    @Test func aSecondConnectOutsideErrorBelongsToNoRequest() {
        #expect(connectTwice(firstInError: false) == ["ctl: cycle 63: CONNECT{qp 4 (0x502, 0x25a) session 0x0} belongs to no request"])
    }

    /// `qp_error` rose in the cycle the CONNECT transferred and the request was decided: the
    /// SPEC flushes only a request decided after such a cycle, so the beat is its handshake.
    @Test func aConnectInTheCycleOfTheDecisionCounts() {
        let b = board()
        b.control(Self.connect, request: 0, cycle: 64, inError: true)
        b.decide(Self.request, cycle: 65)
        #expect(b.allFailures == [])
        #expect(b.expectedControl.isEmpty)
    }

    /// QP 6's DISCONNECT is offered at cycle 2; in that cycle its flushed request is offered on
    /// `xwr` (which undoes the drain), and the beat transfers at cycle 5, after ERROR.
    func disconnect(offeredAt offer: Int) -> [String] {
        let b = board()
        let idle = [Bool](repeating: false, count: 16)
        for cycle in 1...5 {
            b.cycle(cycle, xwr: nil, ctl: cycle == 5 ? Self.disconnect : nil, ctlOffered: cycle == offer ? Self.disconnect : nil, connack: nil,
                    xwrOfferedQp: cycle >= 2 ? 6 : nil, busy: idle, active: idle, qpError: idle)
        }
        return b.allFailures
    }

    @Test func aDisconnectOfferedWhenDrainedMayTransferAfterTheFlush() {
        #expect(disconnect(offeredAt: 2) == [])
    }

    @Test func aDisconnectOfferedAfterTheDrainWasUndoneFails() {
        #expect(disconnect(offeredAt: 3) == ["ctl: cycle 5: DISCONNECT of QP 6 before the QP was drained"])
    }
}
