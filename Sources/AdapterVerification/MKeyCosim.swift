import AdapterModel
import LoomCosim

/// `mkey_translator`'s port offsets in the packed word arrays, resolved once (not per cycle).
struct MKeyPorts {
    let rst, cfgValid, cfgOp, cfgIndex, cfgTag, cfgPd, cfgAccess, cfgIndirect, cfgStart, cfgLength, cfgPhys: Int
    let cfgKlmFirst, cfgKlmCount, cfgKlmKey, cfgackReady, reqValid, reqId, reqKey, reqVa, reqLen, reqAccess, reqPd, segReady: Int
    let cfgReady, cfgackValid, cfgackStatus, reqReady, segValid, segId, segAddr, segLen, segLast, segStatus: Int

    init(_ l: PortLayout) {
        func o(_ n: String) -> Int { l.slot(n).offset }
        (rst, cfgValid, cfgOp, cfgIndex, cfgTag, cfgPd) = (o("rst"), o("cfg_valid"), o("cfg_op"), o("cfg_index"), o("cfg_tag"), o("cfg_pd"))
        (cfgAccess, cfgIndirect, cfgStart, cfgLength, cfgPhys) = (o("cfg_access"), o("cfg_indirect"), o("cfg_start"), o("cfg_length"), o("cfg_phys"))
        (cfgKlmFirst, cfgKlmCount, cfgKlmKey, cfgackReady) = (o("cfg_klm_first"), o("cfg_klm_count"), o("cfg_klm_key"), o("cfgack_ready"))
        (reqValid, reqId, reqKey, reqVa, reqLen) = (o("req_valid"), o("req_id"), o("req_key"), o("req_va"), o("req_len"))
        (reqAccess, reqPd, segReady, cfgReady, cfgackValid) = (o("req_access"), o("req_pd"), o("seg_ready"), o("cfg_ready"), o("cfgack_valid"))
        (cfgackStatus, reqReady, segValid, segId) = (o("cfgack_status"), o("req_ready"), o("seg_valid"), o("seg_id"))
        (segAddr, segLen, segLast, segStatus) = (o("seg_addr"), o("seg_len"), o("seg_last"), o("seg_status"))
    }
}

/// `MKeyTranslatorModel` behind the packed-word interface of the lockstep runner.
public final class MKeyTranslatorCycleModel: CycleModel {
    let model: MKeyTranslatorModel
    let p: MKeyPorts

    public init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) {
        model = MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl)
        p = MKeyPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = MKeyTranslatorModel.Inputs()
        x.rst = w[p.rst] & 1 == 1
        x.cfgValid = w[p.cfgValid] & 1 == 1
        var c = MKeyConfig(op: UInt8(w[p.cfgOp]), index: UInt32(w[p.cfgIndex]))
        c.tag = UInt8(w[p.cfgTag]); c.pd = UInt32(w[p.cfgPd]); c.access = UInt8(w[p.cfgAccess]); c.indirect = w[p.cfgIndirect] == 1
        c.start = w[p.cfgStart]; c.length = w[p.cfgLength]; c.phys = w[p.cfgPhys]
        c.klmFirst = UInt16(w[p.cfgKlmFirst]); c.klmCount = UInt16(w[p.cfgKlmCount]); c.klmKey = UInt32(w[p.cfgKlmKey])
        x.cfg = c
        x.cfgackReady = w[p.cfgackReady] & 1 == 1
        x.reqValid = w[p.reqValid] & 1 == 1
        x.req = MKeyRequest(id: UInt8(w[p.reqId]), key: UInt32(w[p.reqKey]), va: w[p.reqVa], len: UInt32(w[p.reqLen]),
                            access: UInt8(w[p.reqAccess]), pd: UInt32(w[p.reqPd]))
        x.segReady = w[p.segReady] & 1 == 1
        let r = model.cycle(x)
        o[p.cfgReady] = r.cfgReady ? 1 : 0
        o[p.cfgackValid] = r.cfgackValid ? 1 : 0
        o[p.cfgackStatus] = UInt64(r.cfgackStatus)
        o[p.reqReady] = r.reqReady ? 1 : 0
        o[p.segValid] = r.segValid ? 1 : 0
        o[p.segId] = UInt64(r.seg.id)
        o[p.segAddr] = r.seg.addr
        o[p.segLen] = UInt64(r.seg.len)
        o[p.segLast] = r.seg.last ? 1 : 0
        o[p.segStatus] = UInt64(r.seg.status)
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

    let cfg: StreamSource
    let req: StreamSource
    let cfgack: StreamSink
    let seg: StreamSink
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
    let segValidSlot: Int, segReadySlot: Int

    public init(_ layout: PortLayout, seed: UInt64, phases: [Phase], reference: MKeyReference = MKeyReference(), readyPercent: Int = 100, validPercent: Int = 100) {
        cfg = StreamSource(layout, prefix: "cfg", fields: ["op", "index", "tag", "pd", "access", "indirect", "start", "length", "phys", "klm_first", "klm_count", "klm_key"],
                           seed: seed &+ 1, validPercent: validPercent)
        req = StreamSource(layout, prefix: "req", fields: ["id", "key", "va", "len", "access", "pd"], seed: seed &+ 2, validPercent: validPercent)
        cfgack = StreamSink(layout, prefix: "cfgack", fields: ["status"], seed: seed &+ 3, readyPercent: readyPercent)
        seg = StreamSink(layout, prefix: "seg", fields: ["id", "addr", "len", "last", "status"], seed: seed &+ 4, readyPercent: readyPercent)
        self.phases = phases
        self.reference = reference
        segValidSlot = layout.slot("seg_valid").offset
        segReadySlot = layout.slot("seg_ready").offset
        startNextPhase()
    }

    func startNextPhase() {
        phaseIndex += 1
        guard phaseIndex < phases.count else { return }
        switch phases[phaseIndex] {
        case let .configure(list):
            expectedAcks = list
            ackIndex = 0
            for c in list {
                cfg.send([UInt64(c.op), UInt64(c.index), UInt64(c.tag), UInt64(c.pd), UInt64(c.access), c.indirect ? 1 : 0, c.start, c.length, c.phys,
                          UInt64(c.klmFirst), UInt64(c.klmCount), UInt64(c.klmKey)])
            }
            if list.isEmpty { startNextPhase() }
        case let .requests(list):
            requests = list
            requestIndex = 0
            for r in list { req.send([UInt64(r.id), UInt64(r.key), r.va, UInt64(r.len), UInt64(r.access), UInt64(r.pd)]) }
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
        if outputs[segValidSlot] & 1 == 1 && inputs[segReadySlot] & 1 == 0 { coverage.hit("segment back-pressure") }
        if cfg.observe(outputs) != nil { progress += 1 }
        if req.observe(outputs) != nil { progress += 1 }
        if let a = cfgack.observe(cycle: cycle, outputs) {
            progress += 1
            let status = UInt8(a[0])
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
        if let b = seg.observe(cycle: cycle, outputs) {
            progress += 1
            let s = MKeySegment(id: UInt8(b[0]), addr: b[1], len: UInt32(b[2]), last: b[3] == 1, status: UInt8(b[4]))
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
