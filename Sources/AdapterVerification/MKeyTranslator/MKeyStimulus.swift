import AdapterModel
import LoomCosim

/// The `mkey_translator` test bench: drives configuration and request phases in turn (a
/// phase starts when the previous one is answered), with random back-pressure on `cfgack`
/// and `seg`, and scores them with `MKeyScoreboard`.
public final class MKeyStimulus: Stimulus {
    public enum Phase {
        case configure([MKeyConfig])
        case requests([MKeyRequest])
    }

    let ports: MKeyPorts
    let cfg: StreamSource<MKeyConfig>
    let req: StreamSource<MKeyRequest>
    let cfgack: StreamSink<ConfigAck>
    let seg: StreamSink<MKeySegment>
    let scoreboard: MKeyScoreboard
    var phases: [Phase]
    var phaseIndex = -1
    public private(set) var responses: [[MKeySegment]] = []
    public private(set) var acks: [UInt8] = []
    public private(set) var progress = 0
    public let coverage = Coverage(["direct", "indirect", "nested indirect", "zero length", "BAD_KEY", "PD_MISMATCH", "ACCESS_DENIED",
                                    "OUT_OF_RANGE", "DEPTH_EXCEEDED", "cfg refused", "segment back-pressure"])

    public init(_ layout: PortLayout, seed: UInt64, phases: [Phase], reference: MKeyReference = MKeyReference(), readyPercent: Int = 100, validPercent: Int = 100) throws {
        ports = try MKeyPorts(layout.packed())
        cfg = StreamSource(ports.cfg, seed: seed &+ 1, validPercent: validPercent)
        req = StreamSource(ports.req, seed: seed &+ 2, validPercent: validPercent)
        cfgack = StreamSink(ports.cfgack, seed: seed &+ 3, readyPercent: readyPercent)
        seg = StreamSink(ports.seg, seed: seed &+ 4, readyPercent: readyPercent)
        self.phases = phases
        scoreboard = MKeyScoreboard(reference, coverage: coverage)
        startNextPhase()
    }

    /// Sends the next phase once everything before it has been answered.
    func startNextPhase() {
        while scoreboard.acks.outstanding == 0 && scoreboard.responses.outstanding == 0 {
            phaseIndex += 1
            guard phaseIndex < phases.count else { return }
            switch phases[phaseIndex] {
            case let .configure(list):
                scoreboard.expect(configurations: list)
                for c in list { cfg.send(c) }
            case let .requests(list):
                scoreboard.expect(requests: list)
                for r in list { req.send(r) }
            }
        }
    }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        cfg.drive(inputs)
        req.drive(inputs)
        cfgack.drive(inputs)
        seg.drive(inputs)
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if outputs[ports.seg.valid] & 1 == 1 && inputs[ports.seg.ready] & 1 == 0 { coverage.hit("segment back-pressure") }
        if cfg.observe(outputs) != nil { progress += 1 }
        if req.observe(outputs) != nil { progress += 1 }
        if let a = cfgack.observe(cycle: cycle, outputs) {
            progress += 1
            acks.append(a.status)
            scoreboard.acks.actual(a.status, cycle: cycle)
            startNextPhase()
        }
        if let s = seg.observe(cycle: cycle, outputs) {
            progress += 1
            if let response = scoreboard.actual(s, cycle: cycle) {
                responses.append(response)
                startNextPhase()
            }
        }
    }

    public var finished: Bool { phaseIndex >= phases.count && cfg.idle && req.idle }
    public var failures: [String] { cfgack.violations + seg.violations + scoreboard.failures }
    /// Asked every cycle: checked without building the list.
    public var hasFailed: Bool { !cfgack.violations.isEmpty || !seg.violations.isEmpty || scoreboard.hasFailed }
    public func finish() {
        scoreboard.acks.finish()
        scoreboard.responses.finish()
    }
}
