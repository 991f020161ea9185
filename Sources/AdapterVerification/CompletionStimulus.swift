import AdapterModel
import LoomCosim

/// Drives `completion_engine` from a script or at random, scores every CQE against
/// `CompletionReference` (per QP, in order), checks the CQ slot sequence, and at the end
/// checks the accounting: every record retired, every list empty, nothing extra.
public final class CompletionStimulus: Stimulus {
    /// One step of a directed test; steps run one after another.
    public enum Step {
        case posts([CompletionPost])
        case acks([CompletionAck])
        case reset(UInt8)
        /// Cycles with nothing offered.
        case idle(Int)
        /// Posts and ACKs offered from the same cycle on.
        case together([CompletionPost], [CompletionAck])
    }

    /// Knobs of the random mode.
    public struct RandomMix {
        public var posts = 2000
        public var postPercent = 60
        public var ackPercent = 35
        public var cqeReadyPercent = 75
        public var outOfRangePercent = 2
        public var localErrorPercent = 2
        public var unsignaledPercent = 40
        public var nakPercent = 6
        public var firstPsn: UInt32 = 0
        public init() {}
    }

    let ports: CompletionPorts
    let qps: Int
    let cqDepth: Int
    var rng: SeededRandom
    let post: StreamSource<CompletionPost>
    let ack: StreamSource<CompletionAck>
    let reset: StreamSource<QPReset>
    let cqe: StreamSink<CQEBeat>
    var steps: [Step]
    var stepIndex = 0
    var idleLeft = 0

    // What the generator knows.
    var nextPsn: [UInt32]
    var posted: [[UInt32]]
    var postsMade = 0
    var busy: [Bool]
    var inError: [Bool]
    var cqeValidSeen = false
    var quietCycles = 0
    var drainAckCycle: [Int]
    var resetQueuedFor: Set<Int> = []

    // What happened.
    public private(set) var events: [(cycle: Int, event: CompletionEvent)] = []
    public private(set) var received: [UInt8: [CompletionEntry]] = [:]
    public private(set) var receivedCount = 0
    var scoreFailures: [String] = []
    public private(set) var progress = 0
    public let coverage = Coverage()
    public private(set) var reference: CompletionReference

    /// Directed mode: run `steps`, then drain.
    public init(_ layout: PortLayout, qps: Int = 16, cqDepth: Int = 64, seed: UInt64, steps: [Step], cqeReadyPercent: Int = 100) throws {
        (ports, self.qps, self.cqDepth, rng, self.steps) = (try CompletionPorts(layout), qps, cqDepth, SeededRandom(seed: seed), steps)
        post = StreamSource(ports.post, seed: seed &+ 1, validPercent: 100)
        ack = StreamSource(ports.ack, seed: seed &+ 2, validPercent: 100)
        reset = StreamSource(ports.qpReset, seed: seed &+ 3, validPercent: 100)
        cqe = StreamSink(ports.cqe, seed: seed &+ 4, readyPercent: cqeReadyPercent)
        nextPsn = Array(repeating: 0, count: qps)
        posted = Array(repeating: [], count: qps)
        busy = Array(repeating: false, count: qps)
        inError = busy
        drainAckCycle = Array(repeating: -1000, count: qps)
        reference = CompletionReference(qps: qps)
    }

    /// Random mode.
    public convenience init(_ layout: PortLayout, qps: Int = 16, cqDepth: Int = 64, seed: UInt64, mix: RandomMix) throws {
        try self.init(layout, qps: qps, cqDepth: cqDepth, seed: seed, steps: [], cqeReadyPercent: mix.cqeReadyPercent)
        self.randomMix = mix
        nextPsn = Array(repeating: mix.firstPsn & 0xff_ffff, count: qps)
        post.validPercent = 85
        ack.validPercent = 85
        for bin in ["signaled success", "unsignaled success freed silently", "local error record", "NAK fails a record", "flush",
                    "cumulative ACK", "stale NAK ignored", "ACK covering nothing", "ACK to QP in ERROR", "post while in ERROR",
                    "qp_reset clears ERROR", "post to QP out of range", "pool full back-pressure", "CQE back-pressure"] {
            coverage.declare(bin)
        }
        if mix.firstPsn > 0xff_0000 { coverage.declare("PSN wrap") }
    }
    /// The random mode's knobs; nil in directed mode.
    var randomMix: RandomMix?

    var scripted: Bool { randomMix == nil }

    // MARK: driving

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        if scripted { advanceScript() } else { generate(cycle) }
        drainIfDone(cycle)
        post.drive(inputs)
        ack.drive(inputs)
        reset.drive(inputs)
        cqe.drive(inputs)
    }

    func advanceScript() {
        guard post.idle, ack.idle, reset.idle else { return }
        if idleLeft > 0 { idleLeft -= 1; return }
        guard stepIndex < steps.count else { return }
        let step = steps[stepIndex]
        stepIndex += 1
        switch step {
        case let .posts(ps): for p in ps { enqueue(p) }
        case let .acks(acks): for a in acks { ack.send(a) }
        case let .reset(q): reset.send(QPReset(qp: q))
        case let .idle(n): idleLeft = n
        case let .together(ps, acks):
            for p in ps { enqueue(p) }
            for a in acks { ack.send(a) }
        }
    }

    func enqueue(_ p: CompletionPost) { post.send(p) }

    func generate(_ cycle: Int) {
        guard let mix = randomMix else { return }
        if post.queued == 0 && postsMade < mix.posts && rng.chance(mix.postPercent) {
            let outOfRange = rng.chance(mix.outOfRangePercent)
            let q = outOfRange ? qps + Int(rng.below(UInt64(256 - qps))) : Int(rng.below(UInt64(qps)))
            var psn: UInt32 = 0
            if !outOfRange {
                psn = nextPsn[q]
                nextPsn[q] = (nextPsn[q] &+ 1 &+ UInt32(rng.below(3))) & 0xff_ffff
                if nextPsn[q] < psn { coverage.hit("PSN wrap") }
                posted[q].append(psn)
                if posted[q].count > 80 { posted[q].removeFirst(posted[q].count - 80) }
            }
            let status: UInt8 = rng.chance(mix.localErrorPercent) ? Syndrome.localProt.rawValue : 0
            enqueue(CompletionPost(qp: UInt8(q), wqe: UInt16(postsMade & 0xffff), opcode: WQEOpcode.allCases[Int(rng.below(3))].rawValue,
                                   signaled: !rng.chance(mix.unsignaledPercent), psn: psn, bytes: UInt32(truncatingIfNeeded: rng.next()), status: status))
            postsMade += 1
        }
        if ack.queued == 0 && rng.chance(mix.ackPercent) {
            let q = Int(rng.below(UInt64(qps)))
            if let psns = posted[q].last.map({ _ in posted[q] }), !psns.isEmpty {
                let nak = rng.chance(mix.nakPercent)
                // Mostly recent PSNs (cumulative), sometimes old ones (stale or covering nothing).
                let back = rng.chance(80) ? Int(rng.below(UInt64(min(psns.count, 6)))) : Int(rng.below(UInt64(psns.count)))
                var psn = psns[psns.count - 1 - back]
                if rng.chance(10) { psn = (psn &- 1) & 0xff_ffff }
                ack.send(CompletionAck(qp: UInt8(q), psn: psn, syndrome: nak ? (rng.chance(50) ? Syndrome.remoteAccess : Syndrome.transportRetryExceeded).rawValue : 0))
            }
        }
        // A QP in ERROR gets its qp_reset once its list has drained (and sometimes a spare
        // reset of a healthy QP, which must change nothing).
        if reset.queued == 0 {
            if let q = (0..<qps).first(where: { inError[$0] && !busy[$0] && !resetQueuedFor.contains($0) }) {
                resetQueuedFor.insert(q)
                reset.send(QPReset(qp: UInt8(q)))
            } else if rng.chance(1) {
                reset.send(QPReset(qp: UInt8(rng.below(UInt64(qps + 4)))))
            }
        }
    }

    /// After the scripted or random traffic, ACK whatever is still outstanding so every list
    /// drains and the pool returns to full.
    /// Directed tests may turn the final drain off to look at what is left.
    public var drains = true

    func drainIfDone(_ cycle: Int) {
        guard drains, trafficDone, ack.queued == 0 else { return }
        for q in 0..<qps where busy[q] && !inError[q] && cycle - drainAckCycle[q] > 40 {
            if let last = posted[q].last {
                drainAckCycle[q] = cycle
                ack.send(CompletionAck(qp: UInt8(q), psn: last))
                return
            }
        }
        if reset.queued == 0, let q = (0..<qps).first(where: { inError[$0] && !busy[$0] && !resetQueuedFor.contains($0) }) {
            resetQueuedFor.insert(q)
            reset.send(QPReset(qp: UInt8(q)))
        }
    }

    var trafficDone: Bool {
        if scripted { return stepIndex >= steps.count && idleLeft == 0 && post.idle }
        return postsMade >= randomMix!.posts && post.idle
    }

    // MARK: observing

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if inputs[ports.post.valid] & 1 == 1 && outputs[ports.post.ready] & 1 == 0 && Int(ports.post.read(inputs).qp) < qps {
            coverage.hit("pool full back-pressure")
        }
        if outputs[ports.cqe.valid] & 1 == 1 && inputs[ports.cqe.ready] & 1 == 0 { coverage.hit("CQE back-pressure") }
        if let p = post.observe(outputs) {
            events.append((cycle, .post(p)))
            if scripted, Int(p.qp) < qps { posted[Int(p.qp)].append(p.psn) }
            progress += 1
        }
        if let a = ack.observe(outputs) {
            events.append((cycle, .ack(a)))
            progress += 1
        }
        if let r = reset.observe(outputs) {
            events.append((cycle, .reset(qp: r.qp)))
            if Int(r.qp) < qps { resetQueuedFor.remove(Int(r.qp)) }
            progress += 1
        }
        if let b = cqe.observe(cycle: cycle, outputs) {
            let e = b.entry
            received[e.qp, default: []].append(e)
            // Rule 7: the n-th CQE takes slot n mod CQ_DEPTH with owner (n / CQ_DEPTH) mod 2.
            let n = receivedCount
            if Int(b.index) != n % cqDepth || (b.owner ? 1 : 0) != (n / cqDepth) % 2 {
                scoreFailures.append("cycle \(cycle): CQE #\(n) has index \(b.index) owner \(b.owner ? 1 : 0), expected \(n % cqDepth) and \((n / cqDepth) % 2)")
            }
            receivedCount += 1
            progress += 1
        }
        for q in 0..<qps {
            busy[q] = ports.qpBusy.bit(outputs, q)
            inError[q] = ports.qpError.bit(outputs, q)
        }
        cqeValidSeen = outputs[ports.cqe.valid] & 1 == 1
        let allQuiet = trafficDone && post.idle && ack.idle && reset.idle && !cqeValidSeen && !busy.contains(true)
            && !inError.contains(true)
        quietCycles = allQuiet ? quietCycles + 1 : 0
        quietAfterTraffic = trafficDone && ack.idle && reset.idle && !cqeValidSeen ? quietAfterTraffic + 1 : 0
    }

    public var finished: Bool {
        if !drains { return trafficDone && ack.idle && reset.idle && quietAfterTraffic >= 20 }
        return quietCycles >= 4
    }
    var quietAfterTraffic = 0

    public var failures: [String] { cqe.violations + scoreFailures }
    /// Asked every cycle: checked without building the list.
    public var hasFailed: Bool { !cqe.violations.isEmpty || !scoreFailures.isEmpty }

    public func finish() {
        var ref = CompletionReference(qps: qps)
        ref.apply(timed: events)
        reference = ref
        for (rule, n) in ref.ruleHits { coverage.hit(rule, n) }
        let qpsSeen = Set(ref.entries.keys).union(received.keys).sorted()
        for q in qpsSeen {
            let want = ref.entries[q] ?? [], got = received[q] ?? []
            if want != got {
                let i = Array(zip(want, got)).firstIndex { $0 != $1 } ?? min(want.count, got.count)
                scoreFailures.append("QP \(q): CQE #\(i) expected \(i < want.count ? want[i].description : "nothing"), got \(i < got.count ? got[i].description : "nothing") (\(want.count) expected, \(got.count) received)")
            }
        }
        if drains && ref.outstanding != 0 { scoreFailures.append("accounting: the reference still holds \(ref.outstanding) records after the drain") }
        if drains && busy.contains(true) { scoreFailures.append("accounting: qp_busy still set at the end: \(busy.enumerated().filter(\.element).map(\.offset))") }
    }
}
