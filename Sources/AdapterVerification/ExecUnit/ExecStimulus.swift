import AdapterModel
import LoomCosim

/// The `exec_unit` test bench: drivers of `wr` and `gseg` with random gaps, random
/// back-pressure on `dma`, `pkt`, `post` and `lerr`, the `pmtu` level, optional `qp_error`
/// pulses, and `ExecScoreboard` over `ExecReference`.
public final class ExecStimulus: Stimulus {
    /// One message and its gather segments.
    public struct Message {
        public var request: ExecRequest
        public var segments: [GatherSegment]
        public init(_ request: ExecRequest, segments: [GatherSegment] = []) { (self.request, self.segments) = (request, segments) }
    }

    /// Knobs of the random mode.
    public struct RandomMix {
        public var messages = 3000
        /// QPs that get messages; more than `QPS` sends some out of range.
        public var qpsUsed = 17
        public var pmtuCode: UInt8 = 1
        public var readPercent = 20
        public var zeroLengthPercent = 8
        public var badOpcodePercent = 2
        public var tooLongPercent = 2
        public var preFailedPercent = 3
        public var faultPercent = 12
        public var maxPackets = 4
        public var wrValidPercent = 85, gsegValidPercent = 85
        public var dmaReadyPercent = 75, pktReadyPercent = 75, postReadyPercent = 80, lerrReadyPercent = 70
        /// `qp_error` pulses per thousand cycles (0: none; the reference then scores all).
        public var errorPulsesPerMille = 0
        public init() {}
    }

    /// The directed mode's environment.
    public struct Setup {
        public var pmtuCode: UInt8 = 3
        public var wrValidPercent = 100, gsegValidPercent = 100
        public var dmaReadyPercent = 100, pktReadyPercent = 100, postReadyPercent = 100, lerrReadyPercent = 100
        /// `qp_error` pulses at given cycles.
        public var errorPulses: [(qp: Int, rise: Int, fall: Int)] = []
        public init() {}
    }

    let ports: ExecPorts
    let qps: Int
    let pmtuCode: UInt8
    let wrSource: StreamSource<ExecRequest>
    let gsegSource: StreamSource<GatherSegment>
    let dmaSink: StreamSink<PayloadPiece>, pktSink: StreamSink<PacketHeader>, postSink: StreamSink<CompletionPost>, lerrSink: StreamSink<LocalError>
    let scoreboard: ExecScoreboard
    var errorPulses: [(qp: Int, rise: Int, fall: Int)]
    let errorPerMille: Int
    var rng: SeededRandom
    var reference: ExecReference
    var qpError: [Bool]
    var lastQpError: [Bool]
    var pktWasWaiting = false
    public let coverage = Coverage(["SEND", "WRITE", "READ", "zero length", "multi-packet", "exact PMTU multiple", "bad opcode", "len > 2^31",
                                    "pre-failed", "QP >= QPS", "bad segment status", "list ends short", "list runs past len",
                                    "failure in first packet", "lerr after packets", "abort beat", "back-pressure on dma", "back-pressure on pkt"])
    public private(set) var progress = 0
    var quietCycles = 0
    /// What transferred, with its cycle, for directed tests.
    public private(set) var records: [(cycle: Int, beat: CompletionPost)] = []
    public private(set) var headers: [(cycle: Int, beat: PacketHeader)] = []
    public private(set) var pieces: [(cycle: Int, beat: PayloadPiece)] = []
    public private(set) var lateErrors: [(cycle: Int, beat: LocalError)] = []
    /// Per cycle, `qp_active` as the design drove it (QPs 0 to 63).
    public private(set) var active: [UInt64] = []
    /// Whether `ExecReference` scores the run.
    public var scoresAgainstReference = true

    init(_ layout: PortLayout, qps: Int, seed: UInt64, messages: [Message], pmtuCode: UInt8, wrValid: Int, gsegValid: Int,
         ready: (dma: Int, pkt: Int, post: Int, lerr: Int), errorPulses: [(qp: Int, rise: Int, fall: Int)], errorPerMille: Int) throws {
        ports = try ExecPorts(layout.packed(qps: qps))
        self.qps = qps
        self.pmtuCode = pmtuCode
        wrSource = StreamSource(ports.wr, seed: seed &+ 1, validPercent: wrValid)
        gsegSource = StreamSource(ports.gseg, seed: seed &+ 2, validPercent: gsegValid)
        dmaSink = StreamSink(ports.dma, seed: seed &+ 3, readyPercent: ready.dma)
        pktSink = StreamSink(ports.pkt, seed: seed &+ 4, readyPercent: ready.pkt)
        postSink = StreamSink(ports.post, seed: seed &+ 5, readyPercent: ready.post)
        lerrSink = StreamSink(ports.lerr, seed: seed &+ 6, readyPercent: ready.lerr)
        let killable = !errorPulses.isEmpty || errorPerMille > 0
        scoreboard = ExecScoreboard(killable: killable, coverage: coverage)
        if killable { coverage.declare("record flushed by qp_error") }
        self.errorPulses = errorPulses
        self.errorPerMille = errorPerMille
        rng = SeededRandom(seed: seed &+ 7)
        reference = ExecReference(qps: qps)
        qpError = Array(repeating: false, count: qps)
        lastQpError = qpError
        for m in messages { send(m) }
    }

    /// Directed mode.
    public convenience init(_ layout: PortLayout, qps: Int = 16, seed: UInt64 = 1, messages: [Message], setup: Setup = Setup()) throws {
        try self.init(layout, qps: qps, seed: seed, messages: messages, pmtuCode: setup.pmtuCode, wrValid: setup.wrValidPercent, gsegValid: setup.gsegValidPercent,
                      ready: (setup.dmaReadyPercent, setup.pktReadyPercent, setup.postReadyPercent, setup.lerrReadyPercent),
                      errorPulses: setup.errorPulses, errorPerMille: 0)
    }

    /// Random mode: see `ExecTraffic`.
    public convenience init(_ layout: PortLayout, qps: Int = 16, seed: UInt64, mix: RandomMix) throws {
        var traffic = ExecTraffic(seed: seed, mix: mix)
        try self.init(layout, qps: qps, seed: seed, messages: (0..<mix.messages).map { traffic.next(index: $0) }, pmtuCode: mix.pmtuCode,
                      wrValid: mix.wrValidPercent, gsegValid: mix.gsegValidPercent,
                      ready: (mix.dmaReadyPercent, mix.pktReadyPercent, mix.postReadyPercent, mix.lerrReadyPercent),
                      errorPulses: [], errorPerMille: mix.errorPulsesPerMille)
    }

    func send(_ message: Message) {
        wrSource.send(message.request)
        for s in message.segments { gsegSource.send(s) }
        let outcome = reference.run(message.request, segments: message.segments, pmtuCode: pmtuCode)
        scoreboard.expect(outcome)
        ExecTraffic.cover(message, outcome: outcome, qps: qps, pmtu: UInt64(PathMTU.bytes(code: pmtuCode)), coverage: coverage)
    }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        wrSource.drive(inputs)
        gsegSource.drive(inputs)
        for sink in [dmaSink.drive, pktSink.drive, postSink.drive, lerrSink.drive] { sink(inputs) }
        ports.pmtu.write(UInt64(pmtuCode), into: inputs)
        lastQpError = qpError
        if errorPerMille > 0 && rng.below(1000) < UInt64(errorPerMille) {
            let q = Int(rng.below(UInt64(qps)))
            errorPulses.append((q, cycle, cycle + 1 + Int(rng.below(6))))
        }
        for q in 0..<qps { qpError[q] = errorPulses.contains { $0.qp == q && cycle >= $0.rise && cycle < $0.fall } }
        errorPulses.removeAll { $0.fall < cycle }
        ports.qpError.write(qpError, into: inputs)
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if outputs[ports.dma.valid] & 1 == 1 && inputs[ports.dma.ready] & 1 == 0 { coverage.hit("back-pressure on dma") }
        let pktValid = outputs[ports.pkt.valid] & 1 == 1
        if pktValid && inputs[ports.pkt.ready] & 1 == 0 { coverage.hit("back-pressure on pkt") }
        // Rule 8: no header first offered in the cycle after qp_error of its QP was 1.
        if pktValid && !pktWasWaiting {
            let q = Int(ports.pkt.read(outputs).qp)
            if q < qps && lastQpError[q] { scoreboard.fail("pkt: cycle \(cycle): a header of QP \(q) first offered after qp_error") }
        }
        active.append(ports.qpActive.value(outputs))
        var moved = false
        if wrSource.observe(outputs) != nil { moved = true }
        if gsegSource.observe(outputs) != nil { moved = true }
        if let r = postSink.observe(cycle: cycle, outputs) { records.append((cycle, r)); scoreboard.record(r, cycle: cycle); moved = true }
        if let p = dmaSink.observe(cycle: cycle, outputs) { pieces.append((cycle, p)); scoreboard.piece(p, cycle: cycle); moved = true }
        let h = pktSink.observe(cycle: cycle, outputs)
        pktWasWaiting = pktValid && h == nil
        if let h { headers.append((cycle, h)); scoreboard.header(h, cycle: cycle); moved = true }
        if let l = lerrSink.observe(cycle: cycle, outputs) { lateErrors.append((cycle, l)); scoreboard.lerr(l, cycle: cycle); moved = true }
        if moved { progress += 1 }
        let busy = [ports.dma.valid, ports.pkt.valid, ports.post.valid, ports.lerr.valid].contains { outputs[$0] & 1 == 1 }
        quietCycles = wrSource.idle && gsegSource.idle && !busy ? quietCycles + 1 : 0
    }

    public var finished: Bool { wrSource.idle && gsegSource.idle && scoreboard.recordsLeft == 0 && quietCycles > 20 }
    var sinkViolations: [String] { dmaSink.violations + pktSink.violations + postSink.violations + lerrSink.violations }
    public var failures: [String] { sinkViolations + (scoresAgainstReference ? scoreboard.failures : []) }
    public var hasFailed: Bool { !sinkViolations.isEmpty || (scoresAgainstReference && !scoreboard.failures.isEmpty) }
    public func finish() { scoreboard.finish() }
}
