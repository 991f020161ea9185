import AdapterModel
import LoomCosim

/// Drives `completion_engine`'s inputs from a script or at random, takes CQEs with random
/// back-pressure, and at the end ACKs and resets whatever is left so every list drains.
final class CompletionDriver {
    let qps: Int
    var rng: SeededRandom
    let post: StreamSource<CompletionPost>
    let ack: StreamSource<CompletionAck>
    let reset: StreamSource<QPReset>
    let lerr: StreamSource<LocalError>
    let cqe: StreamSink<CQEBeat>
    let steps: [CompletionStimulus.Step]
    var stepIndex = 0
    var idleLeft = 0
    /// The random mode's knobs; nil in directed mode.
    let mix: CompletionStimulus.RandomMix?
    let coverage: Coverage
    /// After the traffic, ACK and reset whatever is outstanding.
    var drains = true
    /// ACK timeouts are on: NAKs carry 0x13 only, so a 0x15 CQE is a timeout.
    var timeoutMode = false

    // What the driver knows of each QP.
    var nextPsn: [UInt32]
    /// PSNs posted (the last 80), to aim ACKs at.
    var posted: [[UInt32]]
    var postsMade = 0
    var drainAckCycle: [Int]
    var resetQueuedFor: Set<Int> = []

    init(_ ports: CompletionPorts, qps: Int, seed: UInt64, steps: [CompletionStimulus.Step], mix: CompletionStimulus.RandomMix?,
         cqeReadyPercent: Int, coverage: Coverage) {
        self.qps = qps
        rng = SeededRandom(seed: seed)
        let validPercent = mix == nil ? 100 : 85
        post = StreamSource(ports.post, seed: seed &+ 1, validPercent: validPercent)
        ack = StreamSource(ports.ack, seed: seed &+ 2, validPercent: validPercent)
        reset = StreamSource(ports.qpReset, seed: seed &+ 3, validPercent: 100)
        cqe = StreamSink(ports.cqe, seed: seed &+ 4, readyPercent: cqeReadyPercent)
        lerr = StreamSource(ports.lerr, seed: seed &+ 5, validPercent: validPercent)
        self.steps = steps
        self.mix = mix
        self.coverage = coverage
        nextPsn = Array(repeating: (mix?.firstPsn ?? 0) & 0xff_ffff, count: qps)
        posted = Array(repeating: [], count: qps)
        drainAckCycle = Array(repeating: -1000, count: qps)
    }

    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>, monitor: CompletionMonitor) {
        if let mix { generate(mix, monitor) } else { advanceScript() }
        drainIfDone(cycle, monitor)
        post.drive(inputs)
        ack.drive(inputs)
        reset.drive(inputs)
        lerr.drive(inputs)
        cqe.drive(inputs)
    }

    /// Advances the sources and the sink; returns whether any beat transferred.
    func observe(cycle: Int, outputs: UnsafePointer<UInt64>) -> Bool {
        var moved = false
        if let p = post.observe(outputs) {
            if mix == nil, Int(p.qp) < qps { posted[Int(p.qp)].append(p.psn) }
            moved = true
        }
        if ack.observe(outputs) != nil { moved = true }
        if let r = reset.observe(outputs) {
            if Int(r.qp) < qps { resetQueuedFor.remove(Int(r.qp)) }
            moved = true
        }
        if lerr.observe(outputs) != nil { moved = true }
        if cqe.observe(cycle: cycle, outputs) != nil { moved = true }
        return moved
    }

    var trafficDone: Bool {
        if let mix { return postsMade >= mix.posts && post.idle && lerr.idle }
        return stepIndex >= steps.count && idleLeft == 0 && post.idle && lerr.idle
    }

    var idle: Bool { post.idle && ack.idle && reset.idle && lerr.idle }

    // MARK: script

    func advanceScript() {
        guard idle else { return }
        if idleLeft > 0 { idleLeft -= 1; return }
        guard stepIndex < steps.count else { return }
        let step = steps[stepIndex]
        stepIndex += 1
        switch step {
        case let .posts(ps): for p in ps { post.send(p) }
        case let .acks(acks): for a in acks { ack.send(a) }
        case let .reset(q): reset.send(QPReset(qp: q))
        case let .idle(n): idleLeft = n
        case let .together(ps, acks, lerrs):
            for p in ps { post.send(p) }
            for a in acks { ack.send(a) }
            for e in lerrs { lerr.send(e) }
        case let .lerrs(beats): for e in beats { lerr.send(e) }
        }
    }

    // MARK: random traffic

    func generate(_ mix: CompletionStimulus.RandomMix, _ monitor: CompletionMonitor) {
        if post.queued == 0 && postsMade < mix.posts && rng.chance(mix.postPercent) { post.send(randomPost(mix)) }
        if ack.queued == 0 && rng.chance(mix.ackPercent), let a = randomAck(mix) { ack.send(a) }
        if mix.lerrPercent > 0 && postsMade < mix.posts && lerr.queued == 0 && rng.chance(mix.lerrPercent) {
            let q = rng.chance(90) ? Int(rng.below(UInt64(qps))) : qps + Int(rng.below(UInt64(256 - qps)))
            let syndrome = rng.chance(90) ? [Syndrome.localLength, .localProt, .localQpOp][Int(rng.below(3))].rawValue : 0
            lerr.send(LocalError(qp: UInt8(q), syndrome: syndrome))
        }
        // A QP in ERROR gets its qp_reset once its list has drained (and sometimes a spare
        // reset of a healthy QP, which must change nothing).
        if reset.queued == 0 {
            if let q = (0..<qps).first(where: { monitor.dueReset($0) && !resetQueuedFor.contains($0) }) {
                resetQueuedFor.insert(q)
                reset.send(QPReset(qp: UInt8(q)))
            } else if rng.chance(1) {
                reset.send(QPReset(qp: UInt8(rng.below(UInt64(qps + 4)))))
            }
        }
    }

    func randomPost(_ mix: CompletionStimulus.RandomMix) -> CompletionPost {
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
        defer { postsMade += 1 }
        return CompletionPost(qp: UInt8(q), wqe: UInt16(postsMade & 0xffff), opcode: WQEOpcode.allCases[Int(rng.below(3))].rawValue,
                              signaled: !rng.chance(mix.unsignaledPercent), psn: psn, bytes: UInt32(truncatingIfNeeded: rng.next()), status: status)
    }

    func randomAck(_ mix: CompletionStimulus.RandomMix) -> CompletionAck? {
        let q = Int(rng.below(UInt64(qps)))
        let psns = posted[q]
        guard !psns.isEmpty else { return nil }
        let nak = rng.chance(mix.nakPercent)
        // Mostly recent PSNs (cumulative), sometimes old ones (stale or covering nothing).
        let back = rng.chance(80) ? Int(rng.below(UInt64(min(psns.count, 6)))) : Int(rng.below(UInt64(psns.count)))
        var psn = psns[psns.count - 1 - back]
        if rng.chance(10) { psn = (psn &- 1) & 0xff_ffff }
        let nakSyndrome = timeoutMode || rng.chance(50) ? Syndrome.remoteAccess : Syndrome.transportRetryExceeded
        return CompletionAck(qp: UInt8(q), psn: psn, syndrome: nak ? nakSyndrome.rawValue : 0)
    }

    // MARK: drain

    /// After the traffic, ACK whatever is still outstanding so every list drains and the pool
    /// returns to full; reset each QP left in ERROR.
    func drainIfDone(_ cycle: Int, _ monitor: CompletionMonitor) {
        guard drains, trafficDone, ack.queued == 0 else { return }
        for q in 0..<qps where monitor.busy[q] && !monitor.inError[q] && cycle - drainAckCycle[q] > 40 {
            if let last = posted[q].last {
                drainAckCycle[q] = cycle
                ack.send(CompletionAck(qp: UInt8(q), psn: last))
                return
            }
        }
        if reset.queued == 0, let q = (0..<qps).first(where: { monitor.dueReset($0) && !resetQueuedFor.contains($0) }) {
            resetQueuedFor.insert(q)
            reset.send(QPReset(qp: UInt8(q)))
        }
    }
}
