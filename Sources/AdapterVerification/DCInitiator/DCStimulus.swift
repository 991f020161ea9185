import AdapterModel
import LoomCosim

/// The `dc_initiator` test bench: a driver of `wr` (random gaps), random back-pressure on
/// `xwr` and `ctl`, the environment of `DCEnvironment` (targets, exec unit and completion
/// engine through the level inputs), and `DCScoreboard`.
public final class DCStimulus: Stimulus {
    /// Knobs of the random mode.
    public struct RandomMix {
        public var requests = 2000
        /// QPs that get requests (`QPS` is 16 by default; more than `QPS` sends some to QPs
        /// out of range).
        public var qpsUsed = 17
        public var targetsPerQp = 3
        /// Chance that the next request of a QP names another target than its last one.
        public var switchPercent = 15
        public var fullHandshakePercent = 50
        public var deadTargetPercent = 8
        public var wrValidPercent = 80
        public var xwrReadyPercent = 75
        public var ctlReadyPercent = 70
        public var nakPerMille = 2
        public init() {}
    }

    /// The directed mode's environment.
    public struct Setup {
        public var fullHandshake: Set<UInt8> = []
        /// Targets that never answer a CONNECT.
        public var dead: Set<DCTarget> = []
        /// Fixed delays: CONNECT to `connack`, `xwr` to post, post to ACK.
        public var answerDelay = 3, postDelay = 2, ackDelay = 5
        /// `qp_error` pulses forced at given cycles, whatever else happens.
        public var errorPulses: [(qp: Int, rise: Int, fall: Int)] = []
        public var xwrReadyPercent = 100, ctlReadyPercent = 100, wrValidPercent = 100
        /// The session each target answers with (default: a hash of QP and target).
        public var session: ((UInt8, DCTarget) -> UInt16)?
        /// `connack` beats offered at given cycles, besides the targets' answers.
        public var extraConnacks: [(cycle: Int, beat: ConnectAck)] = []
        /// Request `k` is not offered before cycle `holdUntil[k]`.
        public var holdUntil: [Int: Int] = [:]
        public init() {}
    }

    let ports: DCPorts
    let qps: Int
    let source: StreamSource<WorkRequest>
    let xwrSink: StreamSink<ExecRequest>
    let ctlSink: StreamSink<ControlBeat>
    let environment: DCEnvironment
    let scoreboard: DCScoreboard
    let errorPulses: [(qp: Int, rise: Int, fall: Int)]
    public let coverage = Coverage(["half handshake", "full handshake", "target switch", "connection reused", "connect timeout 0x15",
                                    "flushed in ERROR", "QP >= QPS", "back-pressure on xwr", "back-pressure on ctl", "ignored connack"])
    public private(set) var progress = 0
    /// Everything that transferred, with its cycle, for directed tests.
    public private(set) var forwarded: [(cycle: Int, beat: ExecRequest)] = []
    public private(set) var control: [(cycle: Int, beat: ControlBeat)] = []
    public private(set) var answers: [(cycle: Int, beat: ConnectAck)] = []
    var quietCycles = 0
    var ctlWasWaiting = false
    var ctlRequest = 0
    /// Requests taken on `wr` and not yet forwarded: the head register holds the oldest.
    var accepted: [WorkRequest] = []
    /// `xwr_out` could take a beat last cycle (it was empty or its beat transferred).
    var xwrOutTookLast = true

    init(_ layout: PortLayout, qps: Int, connectRetries: Int, seed: UInt64, requests: [WorkRequest], fullHandshake: [Bool],
         isDead: @escaping (DCTarget) -> Bool, session: ((UInt8, DCTarget) -> UInt16)? = nil, env: DCEnvironment.Mix,
         readiness: (wr: Int, xwr: Int, ctl: Int), errorPulses: [(qp: Int, rise: Int, fall: Int)]) throws {
        ports = try DCPorts(layout.packed(qps: qps))
        self.qps = qps
        source = StreamSource(ports.wr, seed: seed &+ 1, validPercent: readiness.wr)
        xwrSink = StreamSink(ports.xwr, seed: seed &+ 2, readyPercent: readiness.xwr)
        ctlSink = StreamSink(ports.ctl, seed: seed &+ 3, readyPercent: readiness.ctl)
        let session = session ?? { (q: UInt8, t: DCTarget) -> UInt16 in UInt16(truncatingIfNeeded: (UInt64(q) &* 0x9E37 ^ UInt64(t.dct) &* 31 ^ t.dcKey) | 1) }
        environment = DCEnvironment(qps: qps, mix: env, seed: seed &+ 4, fullHandshake: fullHandshake, isDead: isDead, session: session)
        let reference = DCReference(qps: qps, connectRetries: connectRetries, fullHandshake: { Int($0) < qps && fullHandshake[Int($0)] },
                                    answer: { q, t in isDead(t) ? nil : session(q, t) })
        scoreboard = DCScoreboard(reference, qps: qps, fullHandshake: fullHandshake, coverage: coverage)
        self.errorPulses = errorPulses
        for r in requests { source.send(r) }
    }

    /// Directed mode: exactly `requests`, in the environment `setup`.
    public convenience init(_ layout: PortLayout, qps: Int = 16, connectRetries: Int = 3, seed: UInt64 = 1, requests: [WorkRequest], setup: Setup) throws {
        var env = DCEnvironment.Mix()
        env.answerDelay = setup.answerDelay...setup.answerDelay
        env.postDelay = setup.postDelay...setup.postDelay
        env.ackDelay = setup.ackDelay...setup.ackDelay
        env.nakPerMille = 0
        env.junkConnackPercent = 0
        env.errorDelay = 2...2
        env.errorHold = 10...10
        try self.init(layout, qps: qps, connectRetries: connectRetries, seed: seed, requests: requests,
                      fullHandshake: (0..<qps).map { setup.fullHandshake.contains(UInt8($0)) }, isDead: { setup.dead.contains($0) },
                      session: setup.session, env: env, readiness: (setup.wrValidPercent, setup.xwrReadyPercent, setup.ctlReadyPercent),
                      errorPulses: setup.errorPulses)
        environment.scheduled = setup.extraConnacks.map { (due: $0.cycle, beat: $0.beat) }
        holdUntil = setup.holdUntil
        wrValidPercent = setup.wrValidPercent
    }

    /// Random mode: requests over `mix.qpsUsed` QPs, each with a few targets of which some
    /// are dead; half the QPs use the full handshake.
    public convenience init(_ layout: PortLayout, qps: Int = 16, connectRetries: Int = 3, seed: UInt64, mix: RandomMix) throws {
        var rng = SeededRandom(seed: seed &* 977 &+ 5)
        let full = (0..<qps).map { _ in rng.chance(mix.fullHandshakePercent) }
        // A dead target's key has bit 63 set: the environment and the reference agree on it.
        // The first full-handshake QP's last target is always dead, so every run times out.
        let firstFull = full.firstIndex(of: true) ?? -1
        let targets = (0..<mix.qpsUsed).map { q in
            (0..<mix.targetsPerQp).map { k in
                let key: UInt64 = UInt64(q) << 32 | UInt64(k) << 8 | 0x5a
                let dead: UInt64 = rng.chance(mix.deadTargetPercent) || (q == firstFull && k == mix.targetsPerQp - 1) ? 1 << 63 : 0
                return DCTarget(dct: UInt32(0x100 * (q + 1) + k), dcKey: key | dead)
            }
        }
        var current = (0..<mix.qpsUsed).map { _ in 0 }
        var wqe = (0..<mix.qpsUsed).map { _ in UInt16(0) }
        var requests: [WorkRequest] = []
        for _ in 0..<mix.requests {
            let q = Int(rng.below(UInt64(mix.qpsUsed)))
            if rng.chance(mix.switchPercent) { current[q] = Int(rng.below(UInt64(mix.targetsPerQp))) }
            let opcode = [WQEOpcode.rdmaWrite, .send, .rdmaRead][Int(rng.below(3))]
            requests.append(WorkRequest(qp: UInt8(q), wqe: wqe[q], opcode: opcode, signaled: rng.chance(50), len: UInt32(truncatingIfNeeded: rng.next() >> 40),
                                        raddr: rng.next(), rkey: UInt32(truncatingIfNeeded: rng.next()), dct: targets[q][current[q]].dct, dcKey: targets[q][current[q]].dcKey))
            wqe[q] &+= 1
        }
        var env = DCEnvironment.Mix()
        env.nakPerMille = mix.nakPerMille
        try self.init(layout, qps: qps, connectRetries: connectRetries, seed: seed, requests: requests, fullHandshake: full,
                      isDead: { $0.dcKey >> 63 == 1 }, env: env, readiness: (mix.wrValidPercent, mix.xwrReadyPercent, mix.ctlReadyPercent), errorPulses: [])
    }

    var holdUntil: [Int: Int] = [:]
    var wrValidPercent = 100
    /// Per cycle: `qp_busy`, `qp_active` and `qp_error` as driven (QPs 0 to 63).
    public private(set) var levels: [(busy: UInt64, active: UInt64, error: UInt64)] = []
    /// Whether `DCReference` scores the run (off for directed tests of behaviour it does not
    /// model, such as a target answering after a resend; they check the beats themselves).
    public var scoresAgainstReference = true

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        if let hold = holdUntil[source.sent] { source.validPercent = cycle < hold ? 0 : wrValidPercent }
        source.drive(inputs)
        xwrSink.drive(inputs)
        ctlSink.drive(inputs)
        let offeredQp = inputs[ports.wr.valid] & 1 == 1 ? Int(ports.wr.read(inputs).qp) : nil
        environment.drive(cycle: cycle, offeredQp: offeredQp, connack: ports.connack, ports: ports, inputs: inputs)
        if !errorPulses.isEmpty {
            var levels = (0..<qps).map { ports.qpError.bit(inputs, $0) }
            for p in errorPulses where cycle >= p.rise && cycle < p.fall { levels[p.qp] = true }
            ports.qpError.write(levels, into: inputs)
        }
        levels.append((ports.qpBusy.value(inputs), ports.qpActive.value(inputs), ports.qpError.value(inputs)))
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if outputs[ports.xwr.valid] & 1 == 1 && inputs[ports.xwr.ready] & 1 == 0 { coverage.hit("back-pressure on xwr") }
        if outputs[ports.ctl.valid] & 1 == 1 && inputs[ports.ctl.ready] & 1 == 0 { coverage.hit("back-pressure on ctl") }
        let xwrOfferedQp = outputs[ports.xwr.valid] & 1 == 1 ? UInt8(truncatingIfNeeded: ports.xwr.read(outputs).request.qp) : nil
        // The head when a ctl beat is first offered is the request it was loaded for.
        let ctlValid = outputs[ports.ctl.valid] & 1 == 1
        let ctlOffered = ctlValid && !ctlWasWaiting ? ports.ctl.read(outputs) : nil
        if ctlOffered != nil { ctlRequest = scoreboard.decided }
        // A beat in `xwr_out` that it could take last cycle was forwarded last cycle: the head
        // was decided then, so the reference decides it now (before last cycle's levels).
        let xwrValid = outputs[ports.xwr.valid] & 1 == 1
        if xwrValid && xwrOutTookLast, !accepted.isEmpty { scoreboard.decide(accepted.removeFirst(), cycle: cycle) }
        xwrOutTookLast = !xwrValid || inputs[ports.xwr.ready] & 1 == 1
        let ctl = ctlSink.observe(cycle: cycle, outputs)
        ctlWasWaiting = ctlValid && ctl == nil
        if let c = ctl { control.append((cycle, c)); scoreboard.control(c, request: ctlRequest, cycle: cycle, inError: Int(c.qp) < qps && ports.qpError.bit(inputs, Int(c.qp))) }
        if let wr = source.observe(outputs) { accepted.append(wr) }
        let xwr = xwrSink.observe(cycle: cycle, outputs)
        if let x = xwr { forwarded.append((cycle, x)) }
        var connack: ConnectAck?
        if inputs[ports.connack.valid] & 1 == 1 && outputs[ports.connack.ready] & 1 == 1 {
            let a = ports.connack.read(inputs)
            connack = a
            answers.append((cycle, a))
            if Int(a.qp) >= qps || !environment.fullHandshake[Int(a.qp)] { coverage.hit("ignored connack") }
        }
        environment.observe(cycle: cycle, connackTaken: connack != nil, xwr: xwr, ctl: ctl)
        let qpError = (0..<qps).map { ports.qpError.bit(inputs, $0) }
        scoreboard.cycle(cycle, xwr: xwr, ctl: ctl, ctlOffered: ctlOffered, connack: connack, xwrOfferedQp: xwrOfferedQp, busy: environment.levels.busy,
                         active: environment.levels.active, qpError: qpError)
        if xwr != nil || ctl != nil || connack != nil { progress += 1 }
        quietCycles = source.idle && outputs[ports.xwr.valid] & 1 == 0 && outputs[ports.ctl.valid] & 1 == 0 ? quietCycles + 1 : 0
    }

    /// Done when every request has left and nothing moved for a while (late beats would show).
    public var finished: Bool { source.idle && accepted.isEmpty && scoreboard.xwrBoard.outstanding == 0 && quietCycles > 30 }
    public var failures: [String] { xwrSink.violations + ctlSink.violations + (scoresAgainstReference ? scoreboard.allFailures : []) }
    public var hasFailed: Bool { !xwrSink.violations.isEmpty || !ctlSink.violations.isEmpty || (scoresAgainstReference && scoreboard.hasFailed) }
    public func finish() { scoreboard.finish() }
}
