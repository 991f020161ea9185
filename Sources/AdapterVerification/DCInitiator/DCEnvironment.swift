import AdapterModel
import LoomCosim

/// What `dc_initiator` sees around it in the DC test bench, played through its level inputs
/// and the `connack` stream:
/// - **targets** answer a full-handshake CONNECT with a `connack` a few cycles after it
///   transfers (always sooner than `CONNECT_TIMEOUT`); dead targets never answer;
/// - **the exec unit**: `qp_active[q]` from the cycle after an `xwr` beat of `q` transfers
///   through the cycle its record is posted, some cycles later;
/// - **the completion engine**: `qp_busy[q]` while posted records wait for their ACK, and
///   `qp_error[q]` rising some cycles after a failed request (or at random, as a NAK would)
///   and falling when the host resets the QP. It rises only in a cycle where the request
///   offered on `wr` is not of `q`, so a request never meets an error in the middle of its
///   handshake here (directed tests cover that).
final class DCEnvironment {
    struct Mix {
        var answerDelay = 1...12
        var postDelay = 0...6
        var ackDelay = 1...40
        var errorHold = 2...60
        var errorDelay = 2...20
        var nakPerMille = 2
        var junkConnackPercent = 3
    }

    let qps: Int
    let mix: Mix
    var rng: SeededRandom
    let fullHandshake: [Bool]
    let isDead: (DCTarget) -> Bool
    let session: (UInt8, DCTarget) -> UInt16
    /// Per QP: cycles at which pending posts happen, and at which posted records retire.
    var postsDue: [[Int]], retiresDue: [[Int]]
    /// Per QP: cycle at which `qp_error` should rise (nil: none planned), and fall.
    var errorRise: [Int?], errorFall: [Int?]
    var qpError: [Bool]
    /// Answers waiting to be sent: (cycle, beat).
    var answers: [(due: Int, beat: ConnectAck)] = []
    /// Beats a test schedules, offered whatever the QP does.
    var scheduled: [(due: Int, beat: ConnectAck)] = []
    var answerOffered: ConnectAck?
    var levels = (busy: [Bool](), active: [Bool]())

    init(qps: Int, mix: Mix, seed: UInt64, fullHandshake: [Bool], isDead: @escaping (DCTarget) -> Bool, session: @escaping (UInt8, DCTarget) -> UInt16) {
        self.qps = qps
        self.mix = mix
        rng = SeededRandom(seed: seed)
        self.fullHandshake = fullHandshake
        self.isDead = isDead
        self.session = session
        postsDue = Array(repeating: [], count: qps)
        retiresDue = postsDue
        errorRise = Array(repeating: nil, count: qps)
        errorFall = errorRise
        qpError = Array(repeating: false, count: qps)
    }

    func pick(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.below(UInt64(r.count))) }

    /// The levels and the `connack` beat for `cycle`; `offeredQp` is the QP of the request
    /// offered on `wr` this cycle, if any.
    func drive(cycle: Int, offeredQp: Int?, connack: StreamSlots<ConnectAck>, ports: DCPorts, inputs: UnsafeMutablePointer<UInt64>) {
        var busy = [Bool](repeating: false, count: qps), active = busy
        for q in 0..<qps {
            // Posts happen at their due cycle; a post's record waits for its ACK.
            while let due = postsDue[q].first, due < cycle {
                postsDue[q].removeFirst()
                retiresDue[q].append(due + pick(mix.ackDelay))
            }
            retiresDue[q].removeAll { $0 < cycle }
            active[q] = !postsDue[q].isEmpty
            busy[q] = !retiresDue[q].isEmpty
            if !qpError[q], errorRise[q] == nil, busy[q], rng.below(1000) < mix.nakPerMille { errorRise[q] = cycle + pick(mix.errorDelay) }
            if !qpError[q], let rise = errorRise[q], rise <= cycle, offeredQp != q {
                qpError[q] = true
                errorRise[q] = nil
                errorFall[q] = cycle + pick(mix.errorHold)
                retiresDue[q] = retiresDue[q].map { min($0, cycle + 2) }   // the engine flushes them
            } else if qpError[q], let fall = errorFall[q], fall <= cycle {
                qpError[q] = false
                errorFall[q] = nil
            }
        }
        levels = (busy, active)
        ports.qpBusy.write(busy, into: inputs)
        ports.qpActive.write(active, into: inputs)
        ports.qpError.write(qpError, into: inputs)
        ports.qpFullHandshake.write(fullHandshake, into: inputs)

        // connack: the earliest due answer, else now and then one for nobody.
        if answerOffered == nil {
            if let k = scheduled.firstIndex(where: { $0.due <= cycle }) {
                answerOffered = scheduled.remove(at: k).beat
            } else if let k = answers.firstIndex(where: { $0.due <= cycle }) {
                answerOffered = answers.remove(at: k).beat
            } else if rng.chance(mix.junkConnackPercent) {
                // For a QP >= QPS, or one that never connects with a full handshake: ignored.
                let nobody = (0..<qps).filter { !fullHandshake[$0] } + (qps < 256 ? [qps + Int(rng.below(UInt64(256 - qps)))] : [])
                if !nobody.isEmpty {
                    answerOffered = ConnectAck(qp: UInt8(nobody[Int(rng.below(UInt64(nobody.count)))]), session: UInt16(truncatingIfNeeded: rng.next()))
                }
            }
        }
        connack.offer(answerOffered, into: inputs, &rng)
    }

    /// What transferred this cycle.
    func observe(cycle: Int, connackTaken: Bool, xwr: ExecRequest?, ctl: ControlBeat?) {
        if connackTaken { answerOffered = nil }
        if let x = xwr, Int(x.request.qp) < qps {
            let q = Int(x.request.qp)
            postsDue[q].append(max(cycle + 1 + pick(mix.postDelay), postsDue[q].last ?? 0))
            if x.status != 0 && errorRise[q] == nil && !qpError[q] { errorRise[q] = cycle + pick(mix.errorDelay) }
        }
        if let c = ctl, c.kind == ControlKind.connect.rawValue, Int(c.qp) < qps {
            // A new CONNECT supersedes any answer still on its way to this QP.
            answers.removeAll { $0.beat.qp == c.qp }
            if fullHandshake[Int(c.qp)] && !isDead(c.target) {
                answers.append((cycle + pick(mix.answerDelay), ConnectAck(qp: c.qp, session: session(c.qp, c.target))))
            }
        }
    }
}
