import Adapter
import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// `dc_initiator` (SPEC 4.2): one test per rule and per section 5 vector, run in lockstep
/// with the cycle model and scored by `DCReference`; the expected beats are written here
/// from SPEC.md.
@Suite(.serialized) struct DCInitiatorDirectedTests {
    typealias Setup = DCStimulus.Setup
    let k = DCTarget(dct: 0x11, dcKey: 0xAAAA_0000_0000_0001)
    let k2 = DCTarget(dct: 0x22, dcKey: 0xBBBB_0000_0000_0002)

    func wr(_ qp: UInt8, _ wqe: UInt16, _ t: DCTarget) -> WorkRequest {
        WorkRequest(qp: qp, wqe: wqe, opcode: .rdmaWrite, len: 100, raddr: 0x1000 * UInt64(wqe), rkey: 7, dct: t.dct, dcKey: t.dcKey)
    }

    func run(_ requests: [WorkRequest], _ setup: Setup = Setup(), connectTimeout: Int = 1024, scored: Bool = true, cycleLimit: Int = 20_000,
             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> DCStimulus {
        var stimulus: DCStimulus?
        let r = try LockstepRunner(cycleLimit: cycleLimit, watchdogCycles: 6_000).run(test: "dc-directed", seed: 1, reproduce: "swift test --filter DCInitiatorDirectedTests") {
            let parts = try AdapterTests.dcDirected(requests, setup: setup, connectTimeout: connectTimeout)
            stimulus = parts.stimulus as? DCStimulus
            stimulus?.scoresAgainstReference = scored
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        return try #require(stimulus)
    }

    func ctl(_ s: DCStimulus) -> [ControlBeat] { s.control.map(\.beat) }
    func statuses(_ s: DCStimulus) -> [UInt8] { s.forwarded.map(\.beat.status) }
    /// The first cycle from `after` on in which QP `q` is drained by its levels.
    func drainVisible(_ s: DCStimulus, qp q: Int, after: Int) -> Int? {
        (after..<s.levels.count).first { (s.levels[$0].busy | s.levels[$0].active) >> UInt64(q) & 1 == 0 }
    }

    // Section 5 vectors.

    @Test func halfHandshakeSwitchDisconnectsThenConnects() throws {
        let s = try run([wr(0, 0, k), wr(0, 1, k2)])
        #expect(ctl(s) == [ControlBeat(.connect, qp: 0, target: k), ControlBeat(.disconnect, qp: 0, target: k), ControlBeat(.connect, qp: 0, target: k2)])
        #expect(s.forwarded.map { [$0.beat.request.wqe, $0.beat.session, UInt16($0.beat.status)] } == [[0, 0, 0], [1, 0, 0]])
        // WR1 waited for the drain: busy and active both low after WR0 left.
        let drained = try #require(drainVisible(s, qp: 0, after: s.forwarded[0].cycle + 1))
        #expect(s.control[1].cycle > drained && s.control[1].cycle <= drained + 2, "DISCONNECT ≤ 2 cycles after the drain is visible")
        #expect(s.control[2].cycle == s.control[1].cycle + 1, "CONNECT 1 cycle after the DISCONNECT")
        #expect(s.forwarded[1].cycle == s.control[2].cycle + 1, "half handshake: the WR 1 cycle after its CONNECT")
        #expect(s.forwarded[0].cycle == s.control[0].cycle + 1)
    }

    @Test func threeRequestsToOneTargetConnectOnce() throws {
        let s = try run([wr(0, 0, k), wr(0, 1, k), wr(0, 2, k)])
        #expect(ctl(s) == [ControlBeat(.connect, qp: 0, target: k)])
        #expect(statuses(s) == [0, 0, 0])
        // Connected: one request per cycle.
        #expect(s.forwarded.map(\.cycle) == [s.forwarded[0].cycle, s.forwarded[0].cycle + 1, s.forwarded[0].cycle + 2])
    }

    @Test func fullHandshakeWaitsForTheAnswerAndCarriesItsSession() throws {
        var setup = Setup()
        setup.fullHandshake = [0]
        setup.answerDelay = 20
        setup.session = { _, _ in 0x1234 }
        let s = try run([wr(0, 0, k)], setup)
        #expect(ctl(s) == [ControlBeat(.connect, qp: 0, target: k)])
        let answer = try #require(s.answers.first)
        #expect(answer.beat == ConnectAck(qp: 0, session: 0x1234))
        #expect(s.forwarded.count == 1 && s.forwarded[0].cycle > answer.cycle, "no xwr before the connack")
        #expect(s.forwarded.first?.beat.session == 0x1234)
        #expect(s.forwarded[0].cycle <= answer.cycle + 4, "within a few cycles of the answer")
    }

    @Test func unansweredConnectIsSentFourTimesThenFailsAndFlushes() throws {
        var setup = Setup()
        setup.fullHandshake = [0]
        setup.dead = [k]
        setup.holdUntil = [2: 6000]   // WR2 after qp_error has risen and fallen
        let s = try run([wr(0, 0, k), wr(0, 1, k), wr(0, 2, k2)], setup)
        let connects = s.control.filter { $0.beat.kind == ControlKind.connect.rawValue && $0.beat.target == k }
        #expect(connects.count == 4, "1 + CONNECT_RETRIES CONNECTs")
        for (a, b) in zip(connects, connects.dropFirst()) {
            #expect(b.cycle - a.cycle >= 1024 && b.cycle - a.cycle <= 1024 + 16, "resend at \(b.cycle - a.cycle) cycles")
        }
        #expect(statuses(s) == [0x15, 0x05, 0])
        #expect(s.forwarded[0].cycle - connects[3].cycle >= 1024, "the last wait is a full timeout too")
        // WR1 sent no ctl; WR2, after qp_error rose and fell, connects again.
        #expect(ctl(s).count == 5 && ctl(s)[4] == ControlBeat(.connect, qp: 0, target: k2))
        let rose = try #require(s.levels.indices.first { s.levels[$0].error & 1 == 1 })
        #expect(rose > s.forwarded[0].cycle && s.control[4].cycle > rose)
    }

    @Test func requestForQpOutOfRangeIsRejectedWithoutControl() throws {
        let s = try run([wr(16, 0, k), wr(200, 1, k)])
        #expect(ctl(s).isEmpty)
        #expect(statuses(s) == [0x02, 0x02])
        #expect(s.forwarded.allSatisfy { $0.beat.session == 0 })
    }

    // Rules.

    @Test func rule1ConsecutiveRequestsShareTheConnectionAndSession() throws {
        var setup = Setup()
        setup.fullHandshake = [3]
        setup.session = { _, _ in 0xBEEF }
        let s = try run([wr(3, 0, k), wr(3, 1, k), wr(3, 2, k)], setup)
        #expect(ctl(s).count == 1)
        #expect(s.forwarded.map(\.beat.session) == [0xBEEF, 0xBEEF, 0xBEEF])
    }

    @Test func rule3SwitchWaitsWhileBusyOrActive() throws {
        var setup = Setup()
        (setup.postDelay, setup.ackDelay) = (30, 200)   // a long drain
        let s = try run([wr(0, 0, k), wr(0, 1, k2)], setup)
        let drained = try #require(drainVisible(s, qp: 0, after: s.forwarded[0].cycle + 1))
        #expect(drained > s.forwarded[0].cycle + 200)
        #expect(s.control[1].beat.kind == ControlKind.disconnect.rawValue && s.control[1].cycle > drained && s.control[1].cycle <= drained + 2)
    }

    @Test func rule3FullHandshakeSwitchDisconnectsWithTheOldSession() throws {
        var setup = Setup()
        setup.fullHandshake = [5]
        setup.session = { _, t in t == DCTarget(dct: 0x11, dcKey: 0xAAAA_0000_0000_0001) ? 0x0101 : 0x0202 }
        let s = try run([wr(5, 0, k), wr(5, 1, k2), wr(5, 2, k2)], setup)
        #expect(ctl(s) == [ControlBeat(.connect, qp: 5, target: k), ControlBeat(.disconnect, qp: 5, target: k, session: 0x0101),
                           ControlBeat(.connect, qp: 5, target: k2)])
        #expect(s.forwarded.map(\.beat.session) == [0x0101, 0x0202, 0x0202])
    }

    @Test func rule4AnswerAfterAResendStillConnects() throws {
        var setup = Setup()
        setup.fullHandshake = [0]
        setup.dead = [k]   // the target's own answer comes from extraConnacks, late
        setup.extraConnacks = [(cycle: 1300, beat: ConnectAck(qp: 0, session: 0x4242))]
        let s = try run([wr(0, 0, k)], setup, scored: false)
        #expect(ctl(s) == [ControlBeat(.connect, qp: 0, target: k), ControlBeat(.connect, qp: 0, target: k)])
        #expect(s.forwarded.map(\.beat.status) == [0] && s.forwarded.first?.beat.session == 0x4242)
    }

    @Test func rule5ErrorWhileWaitingForTheDrainFlushes() throws {
        var setup = Setup()
        (setup.postDelay, setup.ackDelay) = (5, 300)
        setup.errorPulses = [(qp: 0, rise: 100, fall: 120)]
        setup.holdUntil = [2: 300]   // after the engine's own ERROR for the flushed WR1 ends
        let s = try run([wr(0, 0, k), wr(0, 1, k2), wr(0, 2, k2)], setup)
        // WR1 waited for the drain when qp_error rose: flushed, no ctl; WR2 after ERROR ended
        // connects anew, without a DISCONNECT of the forgotten connection.
        #expect(statuses(s) == [0, 5, 0])
        #expect(ctl(s) == [ControlBeat(.connect, qp: 0, target: k), ControlBeat(.connect, qp: 0, target: k2)])
        #expect(s.forwarded[1].cycle == 102, "decided in the cycle after qp_error rose, taken at once")
    }

    @Test func rule5ErrorWhileWaitingForTheAnswerFlushes() throws {
        var setup = Setup()
        setup.fullHandshake = [1]
        setup.answerDelay = 200
        setup.errorPulses = [(qp: 1, rise: 50, fall: 60)]
        let s = try run([wr(1, 0, k)], setup)
        #expect(statuses(s) == [5])
        #expect(ctl(s) == [ControlBeat(.connect, qp: 1, target: k)])
    }

    @Test func rule5ErrorForgetsTheConnection() throws {
        var setup = Setup()
        setup.errorPulses = [(qp: 2, rise: 40, fall: 45)]
        setup.holdUntil = [1: 60]
        let s = try run([wr(2, 0, k), wr(2, 1, k)], setup)
        #expect(ctl(s) == [ControlBeat(.connect, qp: 2, target: k), ControlBeat(.connect, qp: 2, target: k)])
        #expect(statuses(s) == [0, 0])
    }

    // The next tests run at the random runs' CONNECT_TIMEOUT, the configuration `loom mutate`
    // mutates; the rules they pin do not depend on it.
    let shortTimeout = AdapterTests.dcRandomConnectTimeout

    @Test func rule1aTargetIsItsDctAndItsDcKey() throws {
        // Same DCT, another DC key: another target, so the QP switches.
        let sameDct = DCTarget(dct: k.dct, dcKey: 0xCCCC_0000_0000_0003)
        let s = try run([wr(3, 0, k), wr(3, 1, sameDct)], connectTimeout: shortTimeout)
        #expect(ctl(s) == [ControlBeat(.connect, qp: 3, target: k), ControlBeat(.disconnect, qp: 3, target: k), ControlBeat(.connect, qp: 3, target: sameDct)])
        #expect(statuses(s) == [0, 0])
    }

    @Test(arguments: [(AdapterTests.dcRandomConnectTimeout, Array(0..<16)), (1024, [3, 11])])
    func rule4And5EveryQpRecoversFromAConnectTimeout(timeout: Int, qps: [Int]) throws {
        // Each QP in turn: an unanswered full handshake ends in 0x15. The next WR follows at
        // once, and xwr back-pressure may hold it for cycles in which qp_error has not risen
        // yet (here it rises only once no WR of the QP is offered): it is flushed all the
        // same, since ERROR from rule 4 lasts until qp_error has risen and fallen. The WR
        // after the pulse connects again, to a live target.
        var setup = Setup()
        setup.fullHandshake = Set(qps.map { UInt8($0) })
        setup.dead = [k]
        setup.xwrReadyPercent = 30
        var requests: [WorkRequest] = []
        var wait = 0
        for q in qps {
            let first = requests.count
            requests += [wr(UInt8(q), 0, k), wr(UInt8(q), 1, k2), wr(UInt8(q), 2, k2)]
            // 4 CONNECTs and a last wait, each CONNECT_TIMEOUT to CONNECT_TIMEOUT + 16 cycles.
            let failedBy = wait + 5 * (timeout + 16) + 40
            setup.holdUntil[first] = wait
            setup.holdUntil[first + 2] = failedBy + 300
            wait = failedBy + 320
        }
        let s = try run(requests, setup, connectTimeout: timeout, cycleLimit: wait + 1000)
        for q in qps {
            let mine = s.forwarded.filter { $0.beat.request.qp == UInt8(q) }.map(\.beat.status)
            #expect(mine == [0x15, 0x05, 0], "QP \(q): \(mine)")
        }
    }

    @Test(arguments: [AdapterTests.dcRandomConnectTimeout, 1024])
    func rule5AnErrorOfOneQpLeavesTheOthersAlone(connectTimeout: Int) throws {
        // While qp_error[a] is 1, a WR of a QP b that differs from a in one index bit goes on
        // as usual: each QP's ERROR view is its own (in the adapter's configuration too).
        var setup = Setup()
        var requests: [WorkRequest] = []
        var t = 0
        for a in 0..<16 {
            for bit in [1, 2, 4, 8] {
                let b = UInt8(a ^ bit)
                requests.append(wr(b, UInt16(requests.count), k))
                setup.holdUntil[requests.count - 1] = t
                setup.errorPulses.append((qp: a, rise: t + 20, fall: t + 30))
                requests.append(wr(b, UInt16(requests.count), k))
                setup.holdUntil[requests.count - 1] = t + 22
                t += 40
            }
        }
        let s = try run(requests, setup, connectTimeout: connectTimeout)
        #expect(s.forwarded.count == requests.count)
        #expect(s.forwarded.allSatisfy { $0.beat.status == 0 }, "\(s.forwarded.filter { $0.beat.status != 0 }.map { ($0.beat.request.qp, $0.beat.status) })")
    }

    @Test(arguments: 0..<16)
    func rule4And5ARequestAroundTheEndOfErrorIsDecidedByTheCycleBeforeIt(qp: Int) throws {
        // A connect timeout puts the QP in ERROR until qp_error has risen and fallen. WR1 comes
        // in at each cycle around the fall: a WR decided in a cycle after one with qp_error = 1
        // is flushed, one decided later connects (to a live target). The reference scores every
        // run, so each cycle of the boundary is checked; WR1 meets both outcomes, changing once.
        // (The bench draws the pulse's length when it rises, so a WR1 that comes after the rise
        // does not move the fall.)
        let q = UInt8(qp)
        var setup = Setup()
        setup.fullHandshake = [q]
        setup.dead = [k]
        setup.holdUntil = [1: 1_500]
        /// The QP's first qp_error pulse: the cycle it rose and the first cycle it was 0 again.
        func pulse(_ s: DCStimulus) -> (rise: Int, fall: Int)? {
            let high = { (c: Int) in s.levels[c].error >> UInt64(qp) & 1 == 1 }
            guard let rise = s.levels.indices.first(where: high), let fall = s.levels.indices.first(where: { $0 > rise && !high($0) }) else { return nil }
            return (rise, fall)
        }
        let late = try run([wr(q, 0, k), wr(q, 1, k2)], setup, connectTimeout: shortTimeout)
        let (rise, fall) = try #require(pulse(late))
        var outcomes: [UInt8] = []
        for release in max(rise + 1, fall - 3)...(fall + 1) {
            setup.holdUntil = [1: release]
            let s = try run([wr(q, 0, k), wr(q, 1, k2)], setup, connectTimeout: shortTimeout)
            #expect(pulse(s)?.fall == fall)
            #expect(statuses(s).count == 2 && statuses(s).first == 0x15)
            outcomes += statuses(s).dropFirst()
        }
        #expect(outcomes.first == 0x05 && outcomes.last == 0 && outcomes == outcomes.sorted(by: >), "\(outcomes)")
    }

    @Test func rule4TheTimeoutCountsFromTheConnectsTransfer() throws {
        // ctl back-pressure holds the first CONNECT; the resend must still wait a full
        // CONNECT_TIMEOUT after it transferred, not after it was first offered.
        var setup = Setup()
        setup.fullHandshake = [4]
        setup.dead = [k]
        setup.ctlReadyPercent = 25
        let s = try run([wr(4, 0, k)], setup, connectTimeout: shortTimeout)
        let connects = s.control.filter { $0.beat.kind == ControlKind.connect.rawValue }
        #expect(connects.count == 4)
        for (a, b) in zip(connects, connects.dropFirst()) {
            #expect(b.cycle - a.cycle >= shortTimeout && b.cycle - a.cycle <= shortTimeout + 16 + 40, "resend \(b.cycle - a.cycle) cycles after the last transferred")
        }
        #expect(statuses(s) == [0x15])
    }

    @Test func rule6AnswersForNobodyAreIgnored() throws {
        var setup = Setup()
        setup.fullHandshake = [0]
        setup.answerDelay = 40
        setup.session = { _, _ in 0x7777 }
        // Before the CONNECT (QP 0 IDLE), for a QP >= QPS, and for a half-handshake QP.
        setup.extraConnacks = [(cycle: 2, beat: ConnectAck(qp: 0, session: 0x1111)), (cycle: 20, beat: ConnectAck(qp: 16, session: 0x2222)),
                               (cycle: 21, beat: ConnectAck(qp: 4, session: 0x3333))]
        setup.holdUntil = [0: 10]
        let s = try run([wr(0, 0, k), wr(4, 1, k)], setup)
        #expect(s.forwarded.map(\.beat.session) == [0x7777, 0])
    }

    @Test func rule8NoLookAheadConnects() throws {
        var setup = Setup()
        (setup.postDelay, setup.ackDelay) = (5, 100)
        let s = try run([wr(0, 0, k), wr(0, 1, k2), wr(1, 2, k)], setup)
        // QP 1's CONNECT waits until WR1 (QP 0, waiting for the drain) has gone.
        let q1 = try #require(s.control.first { $0.beat.qp == 1 })
        #expect(q1.cycle > s.forwarded[1].cycle - 1)
        #expect(s.forwarded.map(\.beat.request.wqe) == [0, 1, 2])
    }

    @Test func backPressureLosesNothing() throws {
        var setup = Setup()
        setup.fullHandshake = [1, 3]
        (setup.xwrReadyPercent, setup.ctlReadyPercent, setup.wrValidPercent) = (30, 30, 50)
        let requests: [WorkRequest] = (0..<40).map { (i: Int) -> WorkRequest in wr(UInt8(i % 4), UInt16(i), i % 3 == 0 ? k2 : k) }
        let s = try run(requests, setup)
        let order: [UInt16] = s.forwarded.map { $0.beat.request.wqe }
        #expect(order == (0..<40).map { UInt16($0) })
    }
}
