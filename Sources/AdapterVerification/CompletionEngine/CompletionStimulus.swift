import AdapterModel
import LoomCosim

/// The `completion_engine` test bench: a driver (script or random traffic, then the drain), a
/// monitor (what transferred, the levels) and a scoreboard (CQ slots as CQEs arrive; each
/// QP's CQEs against `CompletionReference` and the accounting at the end).
public final class CompletionStimulus: Stimulus {
    /// One step of a directed test; steps run one after another.
    public enum Step {
        case posts([CompletionPost])
        case acks([CompletionAck])
        case reset(UInt8)
        /// Cycles with nothing offered.
        case idle(Int)
        /// Posts, ACKs and `lerr` beats offered from the same cycle on.
        case together([CompletionPost], [CompletionAck], lerrs: [LocalError] = [])
        /// `lerr` beats (rule 13).
        case lerrs([LocalError])
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
        /// `lerr` beats, each for a random QP, mostly one with records.
        public var lerrPercent = 0
        public init() {}
    }

    let driver: CompletionDriver
    let monitor: CompletionMonitor
    let scoreboard: CompletionScoreboard
    public let coverage = Coverage()
    public private(set) var progress = 0
    var quietCycles = 0
    var quietAfterTraffic = 0

    /// Directed mode: run `steps`, then drain.
    public convenience init(_ layout: PortLayout, qps: Int = 16, cqDepth: Int = 64, seed: UInt64, steps: [Step], cqeReadyPercent: Int = 100) throws {
        try self.init(layout, qps: qps, cqDepth: cqDepth, seed: seed, steps: steps, mix: nil, cqeReadyPercent: cqeReadyPercent)
    }

    /// Random mode. With `ackTimeout` > 0 (the design's `ACK_TIMEOUT`) the run is checked in
    /// lockstep with the cycle model and by the accounting, and each CQE with syndrome 0x15 is
    /// an ACK timeout (NAKs carry 0x13 only); the transaction reference, which has no clock,
    /// does not score the CQEs.
    public convenience init(_ layout: PortLayout, qps: Int = 16, cqDepth: Int = 64, seed: UInt64, mix: RandomMix, ackTimeout: Int = 0) throws {
        try self.init(layout, qps: qps, cqDepth: cqDepth, seed: seed, steps: [], mix: mix, cqeReadyPercent: mix.cqeReadyPercent)
        driver.timeoutMode = ackTimeout > 0
        scoreboard.scoresEntries = ackTimeout == 0
        if ackTimeout > 0 { coverage.declare("ACK timeout") }
        if mix.lerrPercent > 0 { for bin in ["lerr fails the newest record", "lerr keeps the first status", "lerr that changes nothing"] { coverage.declare(bin) } }
        for bin in ["signaled success", "unsignaled success freed silently", "local error record", "NAK fails a record", "flush",
                    "cumulative ACK", "stale NAK ignored", "ACK covering nothing", "ACK to QP in ERROR", "post while in ERROR",
                    "qp_reset clears ERROR", "post to QP out of range", "pool full back-pressure", "CQE back-pressure"] {
            coverage.declare(bin)
        }
        if mix.firstPsn > 0xff_0000 { coverage.declare("PSN wrap") }
    }

    init(_ layout: PortLayout, qps: Int, cqDepth: Int, seed: UInt64, steps: [Step], mix: RandomMix?, cqeReadyPercent: Int) throws {
        let ports = try CompletionPorts(layout.packed(qps: qps))
        driver = CompletionDriver(ports, qps: qps, seed: seed, steps: steps, mix: mix, cqeReadyPercent: cqeReadyPercent, coverage: coverage)
        monitor = CompletionMonitor(ports, qps: qps, coverage: coverage)
        scoreboard = CompletionScoreboard(qps: qps, cqDepth: cqDepth)
    }

    /// Directed tests may turn the final drain off to look at what is left.
    public var drains: Bool {
        get { driver.drains }
        set { driver.drains = newValue }
    }

    /// Whether each QP's CQEs are scored against `CompletionReference` (a directed test of ACK
    /// timeouts, which the clockless reference cannot place, checks them itself).
    public var scoresAgainstReference: Bool {
        get { scoreboard.scoresEntries }
        set { scoreboard.scoresEntries = newValue }
    }

    /// The transfers, in order, with their cycles.
    public var events: [(cycle: Int, event: CompletionEvent)] { monitor.events }
    /// The CQEs received, per QP.
    public var received: [UInt8: [CompletionEntry]] { scoreboard.received }
    /// The cycle each CQE transferred, per QP (in the order of `received`).
    public var receivedCycles: [UInt8: [Int]] { scoreboard.receivedCycles }
    /// The reference after `finish()`: what it expected.
    public var reference: CompletionReference { scoreboard.reference }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        driver.drive(cycle: cycle, inputs: inputs, monitor: monitor)
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if let beat = monitor.observe(cycle: cycle, inputs: inputs, outputs: outputs) {
            scoreboard.actual(beat, cycle: cycle)
            if driver.timeoutMode && beat.entry.syndrome == Syndrome.transportRetryExceeded.rawValue { coverage.hit("ACK timeout") }
        }
        if driver.observe(cycle: cycle, outputs: outputs) { progress += 1 }
        let trafficOver = driver.trafficDone && driver.ack.idle && driver.reset.idle && driver.lerr.idle && !monitor.cqeValid
        quietCycles = trafficOver && driver.post.idle && !monitor.busy.contains(true) && !monitor.inError.contains(true) ? quietCycles + 1 : 0
        quietAfterTraffic = trafficOver ? quietAfterTraffic + 1 : 0
    }

    public var finished: Bool { driver.drains ? quietCycles >= 4 : quietAfterTraffic >= 20 }

    public var failures: [String] { driver.cqe.violations + scoreboard.failures }
    /// Asked every cycle: checked without building the list.
    public var hasFailed: Bool { !driver.cqe.violations.isEmpty || !scoreboard.failures.isEmpty }

    public func finish() {
        scoreboard.finish(events: monitor.events, drained: driver.drains,
                          busyAtEnd: monitor.busy.enumerated().filter(\.element).map(\.offset), coverage: coverage)
    }
}
