import AdapterModel
import LoomCosim

/// Scores `dc_initiator` at transaction level against `DCReference`, and checks the
/// cross-stream rules every cycle:
/// - `xwr` beats in `wr` order, each as the reference decides it;
/// - `ctl` beats in order, each explained by the request it belongs to (a flushed request by
///   its handshake with any beats left out; a forwarded one by its handshake after beats that
///   transferred while its QP was in ERROR before the cycle it was decided in: rule 5 says
///   they change nothing, and ERROR ended before that cycle);
/// - a DISCONNECT offered only after a cycle in which its QP was drained (rule 3). Without
///   ERROR nothing undoes the drain before it transfers; with it, the flushed request's `xwr`
///   beat does, but the stream rules hold an offered beat until it transfers;
/// - no `xwr` beat with status 0 for a target before that target's CONNECT of the QP
///   transferred (in an earlier cycle, with no DISCONNECT since), and with a full handshake
///   before its `connack`. (That `qp_error` forgets a connection is the reference's to
///   check: a request decided before `qp_error` rose may still be waiting on `xwr`.)
final class DCScoreboard {
    var reference: DCReference
    let xwrBoard = InOrderScoreboard<ExecRequest>("xwr")
    let coverage: Coverage
    let qps: Int
    let fullHandshake: [Bool]
    /// `ctl` beats still to come, in order; a flushed request's are optional.
    var expectedControl: [(beat: ControlBeat, optional: Bool, request: Int)] = []
    var unexplainedControl: [(beat: ControlBeat, request: Int, cycle: Int, inError: Bool)] = []
    var decided = 0
    private(set) var failures: [String] = []
    // Per QP, for the cross-stream rules.
    var drainSeen: [Bool]
    /// `drainSeen` when the QP's `ctl` beat was first offered.
    var drainedAtOffer: [Bool]
    var lastConnect: [(target: DCTarget, cycle: Int)?]
    var answeredSession: [UInt16?]
    /// This cycle's `qp_error`, told to the reference next cycle, after the decision of the
    /// request forwarded in this cycle (which the bench sees only then).
    var levelsToTell: [Bool]?

    init(_ reference: DCReference, qps: Int, fullHandshake: [Bool], coverage: Coverage) {
        self.reference = reference
        self.qps = qps
        self.fullHandshake = fullHandshake
        self.coverage = coverage
        drainSeen = Array(repeating: true, count: qps)
        drainedAtOffer = drainSeen
        lastConnect = Array(repeating: nil, count: qps)
        answeredSession = Array(repeating: nil, count: qps)
    }

    /// The head request was forwarded (loaded into `xwr_out`) last cycle (`cycle - 1`): the
    /// reference decides it, with the `qp_error` levels of the cycles before that one.
    func decide(_ wr: WorkRequest, cycle: Int) {
        let index = decided
        let e = reference.decide(wr)
        xwrBoard.expect(e.forwarded)
        for c in e.control { expectedControl.append((c, e.controlMayBePartial, decided)) }
        decided += 1
        let status = Syndrome(rawValue: e.forwarded.status)
        switch status {
        case .localQpOp: coverage.hit("QP >= QPS")
        case .flush: coverage.hit("flushed in ERROR")
        case .transportRetryExceeded: coverage.hit("connect timeout 0x15")
        default:
            if e.control.isEmpty { coverage.hit("connection reused") }
            if e.control.contains(where: { $0.kind == ControlKind.disconnect.rawValue }) { coverage.hit("target switch") }
            if !e.control.isEmpty { coverage.hit(fullHandshake[Int(wr.qp)] ? "full handshake" : "half handshake") }
        }
        let waiting = unexplainedControl
        unexplainedControl = []
        for w in waiting {
            if w.request == index && w.inError && w.cycle < cycle - 1 && !e.controlMayBePartial {
                if w.beat.qp != wr.qp { failures.append("ctl: cycle \(w.cycle): \(w.beat) belongs to no request") }
                continue
            }
            control(w.beat, request: w.request, cycle: w.cycle, inError: w.inError)
        }
    }

    /// A `ctl` beat transferred; `request` is the index of the request that was the head
    /// when the beat was first offered (the request it was loaded for).
    /// `inError`: its QP's `qp_error` was 1 when it transferred.
    func control(_ beat: ControlBeat, request: Int, cycle: Int, inError: Bool) {
        while let e = expectedControl.first, e.request <= request {
            if e.request < request {
                // An older request's beats that never came: allowed only after a flush.
                if !e.optional { failures.append("ctl: cycle \(cycle): \(e.beat) never transferred, \(beat) came instead") }
                expectedControl.removeFirst()
                continue
            }
            guard e.optional else {
                expectedControl.removeFirst()
                if e.beat != beat { failures.append("ctl: cycle \(cycle): expected \(e.beat), got \(beat)") }
                return
            }
            // A flushed request's beats are its handshake with any beats left out: `qp_error`
            // may have forgotten the connection before its DISCONNECT, and stopped it anywhere.
            if let k = expectedControl.firstIndex(where: { $0.request == request && $0.beat == beat }) {
                expectedControl.removeFirst(k + 1)
                return
            }
            expectedControl.removeAll { $0.request == request }
            break
        }
        if request >= decided {
            unexplainedControl.append((beat, request, cycle, inError))   // its request is not decided yet
        } else {
            failures.append("ctl: cycle \(cycle): \(beat) belongs to no request")
        }
    }

    /// Everything that transferred or was driven this cycle, for the cross-stream rules;
    /// `xwrWaiting`: the QP of an `xwr` beat offered and not taken.
    /// `ctlOffered`: a `ctl` beat offered for the first time this cycle.
    func cycle(_ cycle: Int, xwr: ExecRequest?, ctl: ControlBeat?, ctlOffered: ControlBeat?, connack: ConnectAck?, xwrOfferedQp: UInt8?, busy: [Bool], active: [Bool], qpError: [Bool]) {
        if let o = ctlOffered, Int(o.qp) < qps { drainedAtOffer[Int(o.qp)] = drainSeen[Int(o.qp)] }
        if let c = ctl, Int(c.qp) < qps {
            let q = Int(c.qp)
            if c.kind == ControlKind.disconnect.rawValue {
                // One loaded when the QP was drained may wait on `ctl` past the flush of its
                // request, and past the end of that ERROR.
                if !drainedAtOffer[q] {
                    failures.append("ctl: cycle \(cycle): DISCONNECT of QP \(q) before the QP was drained")
                }
                lastConnect[q] = nil
                answeredSession[q] = nil
            } else {
                lastConnect[q] = (c.target, cycle)
            }
        }
        if let a = connack, Int(a.qp) < qps, lastConnect[Int(a.qp)] != nil { answeredSession[Int(a.qp)] = a.session }
        if let x = xwr {
            xwrBoard.actual(x, cycle: cycle)
            let q = Int(x.request.qp)
            if q < qps && x.status == 0 {
                if let c = lastConnect[q], c.target == x.request.target, c.cycle < cycle {
                    if fullHandshake[q] && answeredSession[q] != x.session {
                        failures.append("xwr: cycle \(cycle): QP \(q) sent with session 0x\(String(x.session, radix: 16)), the connack said \(answeredSession[q].map { "0x" + String($0, radix: 16) } ?? "nothing")")
                    }
                } else {
                    failures.append("xwr: cycle \(cycle): a request of QP \(q) for \(x.request.target) before that target's CONNECT transferred")
                }
            }
        }
        for q in 0..<qps {
            if xwrOfferedQp.map({ Int($0) == q }) ?? false || (xwr.map { Int($0.request.qp) == q } ?? false) { drainSeen[q] = false }
            else if !busy[q] && !active[q] { drainSeen[q] = true }
        }
        if let levels = levelsToTell { for q in 0..<qps { reference.level(q, qpError: levels[q]) } }
        levelsToTell = qpError
    }

    func finish() {
        xwrBoard.finish()
        if let e = expectedControl.first(where: { !$0.optional }) { failures.append("ctl: \(e.beat) never transferred") }
        if let u = unexplainedControl.first { failures.append("ctl: cycle \(u.cycle): \(u.beat) belongs to no request") }
    }

    var allFailures: [String] { xwrBoard.failures + failures }
    var hasFailed: Bool { !xwrBoard.failures.isEmpty || !failures.isEmpty }
}
