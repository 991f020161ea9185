import AdapterModel
import LoomCosim

/// `mkey_translator`'s streams in the packed word arrays, resolved once from
/// `MKeyTranslatorInterface`.
public struct MKeyPorts {
    typealias Interface = MKeyTranslatorInterface
    public let rst: Int
    public let cfg: StreamSlots<MKeyConfig>
    public let cfgack: StreamSlots<ConfigAck>
    public let req: StreamSlots<MKeyRequest>
    public let seg: StreamSlots<MKeySegment>

    public init(_ layout: PortLayout) throws {
        rst = try layout.resetSlot()
        cfg = try layout.inputStream(Interface.cfg)
        cfgack = try layout.outputStream(Interface.cfgack)
        req = try layout.inputStream(Interface.req)
        seg = try layout.outputStream(Interface.seg)
    }
}

/// `MKeyTranslatorModel` behind the packed-word interface of the lockstep runner.
public final class MKeyTranslatorCycleModel: CycleModel {
    let model: MKeyTranslatorModel
    let p: MKeyPorts

    public init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) throws {
        model = MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl)
        p = try MKeyPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = MKeyTranslatorModel.Inputs()
        x.rst = w[p.rst] & 1 == 1
        // No ready of this block depends on a payload: payloads are decoded only with valid.
        x.cfgValid = w[p.cfg.valid] & 1 == 1
        if x.cfgValid { x.cfg = p.cfg.read(w) }
        x.cfgackReady = w[p.cfgack.ready] & 1 == 1
        x.reqValid = w[p.req.valid] & 1 == 1
        if x.reqValid { x.req = p.req.read(w) }
        x.segReady = w[p.seg.ready] & 1 == 1
        let r = model.cycle(x)
        o[p.cfg.ready] = r.cfgReady ? 1 : 0
        o[p.cfgack.valid] = r.cfgackValid ? 1 : 0
        p.cfgack.write(ConfigAck(status: r.cfgackStatus), into: o)
        o[p.req.ready] = r.reqReady ? 1 : 0
        o[p.seg.valid] = r.segValid ? 1 : 0
        p.seg.write(r.seg, into: o)
    }
}

/// Drives `mkey_translator` in phases (configuration, then requests, repeated), with random
/// back-pressure on `cfgack` and `seg`, and scores acknowledgements and segments against
/// `MKeyReference`.
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
    var phases: [Phase]
    var phaseIndex = -1
    var reference: MKeyReference
    // Expectations of the running phase.
    var expectedAcks: [MKeyConfig] = []
    var ackIndex = 0
    var requests: [MKeyRequest] = []
    var requestIndex = 0
    var current: [MKeySegment] = []
    public private(set) var responses: [[MKeySegment]] = []
    public private(set) var acks: [UInt8] = []
    public private(set) var progress = 0
    var scoreFailures: [String] = []
    public let coverage = Coverage(["direct", "indirect", "nested indirect", "zero length", "BAD_KEY", "PD_MISMATCH", "ACCESS_DENIED",
                                    "OUT_OF_RANGE", "DEPTH_EXCEEDED", "cfg refused", "segment back-pressure"])

    public init(_ layout: PortLayout, seed: UInt64, phases: [Phase], reference: MKeyReference = MKeyReference(), readyPercent: Int = 100, validPercent: Int = 100) throws {
        ports = try MKeyPorts(layout)
        cfg = StreamSource(ports.cfg, seed: seed &+ 1, validPercent: validPercent)
        req = StreamSource(ports.req, seed: seed &+ 2, validPercent: validPercent)
        cfgack = StreamSink(ports.cfgack, seed: seed &+ 3, readyPercent: readyPercent)
        seg = StreamSink(ports.seg, seed: seed &+ 4, readyPercent: readyPercent)
        self.phases = phases
        self.reference = reference
        startNextPhase()
    }

    func startNextPhase() {
        phaseIndex += 1
        guard phaseIndex < phases.count else { return }
        switch phases[phaseIndex] {
        case let .configure(list):
            expectedAcks = list
            ackIndex = 0
            for c in list { cfg.send(c) }
            if list.isEmpty { startNextPhase() }
        case let .requests(list):
            requests = list
            requestIndex = 0
            for r in list { req.send(r) }
            if list.isEmpty { startNextPhase() }
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
            let status = a.status
            acks.append(status)
            if ackIndex < expectedAcks.count {
                let want = reference.configure(expectedAcks[ackIndex])
                if want != status { scoreFailures.append("cycle \(cycle): cfg #\(ackIndex) \(expectedAcks[ackIndex]) acknowledged \(status), expected \(want)") }
                if status != 0 { coverage.hit("cfg refused") }
                ackIndex += 1
                if ackIndex == expectedAcks.count { startNextPhase() }
            } else {
                scoreFailures.append("cycle \(cycle): unexpected cfgack")
            }
        }
        if let s = seg.observe(cycle: cycle, outputs) {
            progress += 1
            current.append(s)
            if s.last {
                score(current, cycle: cycle)
                responses.append(current)
                current = []
                if requestIndex == requests.count { startNextPhase() }
            }
        }
    }

    func score(_ got: [MKeySegment], cycle: Int) {
        guard requestIndex < requests.count else {
            scoreFailures.append("cycle \(cycle): a response nobody asked for: \(got)")
            return
        }
        let r = requests[requestIndex]
        requestIndex += 1
        let outcome = reference.translate(r)
        switch outcome {
        case let .segments(want):
            if got != want { scoreFailures.append("request \(requestIndex - 1) \(r) (cycle \(cycle)): expected \(want), got \(got)") }
            let depth = reference.nesting(r.key)
            if r.len == 0 { coverage.hit("zero length") } else if depth == 0 { coverage.hit("direct") } else { coverage.hit(depth > 1 ? "nested indirect" : "indirect") }
        case let .error(before, status):
            let prefix = Array(got.dropLast())
            let ok = got.last == MKeySegment(id: r.id, addr: 0, len: 0, last: true, status: status) && prefix.count <= before.count
                && Array(before.prefix(prefix.count)) == prefix
            if !ok { scoreFailures.append("request \(requestIndex - 1) \(r) (cycle \(cycle)): expected a prefix of \(before) then ERR\(status), got \(got)") }
            coverage.hit(["", "BAD_KEY", "PD_MISMATCH", "ACCESS_DENIED", "OUT_OF_RANGE", "DEPTH_EXCEEDED"][Int(min(status, 5))])
        }
    }

    public var finished: Bool { phaseIndex >= phases.count && cfg.idle && req.idle }
    public var failures: [String] { cfgack.violations + seg.violations + scoreFailures }
    /// Asked every cycle: checked without building the list.
    public var hasFailed: Bool { !cfgack.violations.isEmpty || !seg.violations.isEmpty || !scoreFailures.isEmpty }
}
