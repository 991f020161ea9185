import AdapterModel
import LoomCosim

/// The end-to-end bench of the `adapter`: the host (key configuration, WRs with their SG
/// lists, `qp_reset` after a failure, CQEs with back-pressure), host memory (`HostMemory`)
/// and the DC targets (`DCNetwork`), scored against `AdapterReference`:
/// - every WR yields exactly its CQEs, in order per QP, in CQ slots used in order;
/// - every successful WRITE's bytes are in its target's memory, every successful SEND is
///   one message in its target's receive buffer for the QP, in order;
/// - the network model's checks hold (PSNs, sessions, no DATA before CONNECT, no DISCONNECT
///   with packets unacknowledged).
/// After a WR that fails, the host posts nothing more until its CQE has come and the QP is
/// reset, so no flush follows in these runs (the directed tests check flushes).
public final class AdapterStimulus: Stimulus {
    let qps = AdapterConfiguration.qps
    public struct Work {
        public var request: HostRequest
        public var list: [SGEntry]
        /// Posted only after its QP has been reset since the previous WR was posted.
        public var afterReset: Bool
        /// Posted only once this many CQEs have arrived (for timing one WR alone).
        public var afterCqes: Int
        public init(_ request: HostRequest, list: [SGEntry] = [], afterReset: Bool = false, afterCqes: Int = 0) {
            (self.request, self.list, self.afterReset, self.afterCqes) = (request, list, afterReset, afterCqes)
        }
    }

    public struct TargetSetup {
        public var dct: UInt32, dcKey: UInt64, rkey: UInt32, base: UInt64, length: UInt64
        public init(dct: UInt32, dcKey: UInt64, rkey: UInt32, base: UInt64, length: UInt64) {
            (self.dct, self.dcKey, self.rkey, self.base, self.length) = (dct, dcKey, rkey, base, length)
        }
    }

    public struct Setup {
        public var keys: [MKeyConfig] = []
        public var targets: [TargetSetup] = []
        public var pmtuCode: UInt8 = 3
        public var fullHandshake: Set<UInt8> = []
        public var hostData: [(addr: UInt64, bytes: [UInt8])] = []
        public var wrValidPercent = 100, sgeValidPercent = 100
        public var dmaReqReadyPercent = 100, dmaRspValidPercent = 100, txReadyPercent = 100, txdReadyPercent = 100, cqeReadyPercent = 100
        public var hostLatency = 2...2
        public var ackLatency = 4...4
        public var perPacketAckPercent = 100
        /// How often an idle `rx` offers a stray beat for a QP `>= QPS` (an ACK/NAK or a
        /// CONNECT-ACK), which both its consumers must ignore (SPEC 3 and 4.2 rule 6).
        public var strayRxPercent = 0
        /// After a WR that fails, post nothing until its CQE came and its QP was reset (the
        /// reference then needs no flushes). Off: every REQ_ERR CQE is answered with a
        /// `qp_reset` of its QP, and the test gives the CQEs (`expectedCqes`).
        public var pauseOnFailure = true
        public var expectedCqes: [UInt8: [CompletionEntry]]?
        public init() {}
    }

    let ports: AdapterPorts
    let setup: Setup
    let work: [Work]
    var expectations: [AdapterReference.Expectation] = []
    var reference: AdapterReference
    let keys: KeyTableHost
    let wrSource: StreamSource<HostRequest>
    let sgeSource: StreamSource<HostListEntry>
    let qpResetSource: StreamSource<QPReset>
    let txSink: StreamSink<TxHeader>, txdSink: StreamSink<DataBeat>, cqeSink: StreamSink<CQEBeat>
    public let memory: HostMemory
    let network: DCNetwork
    var headers: [TxHeader] = []
    var payload: [UInt8] = []
    var nextWork = 0
    var paused: (qp: UInt8, wqe: UInt16)?
    var resetting: Set<UInt8> = []
    var qpErrorSeen = [Bool](repeating: false, count: AdapterConfiguration.qps)
    /// A reset after a failure went; posting resumes once no QP reads `qp_error` high.
    var awaitingErrorLow = false
    var resetsSincePost: [UInt8: Int] = [:]
    var resetSent = false
    var expectedCqes: [UInt8: [CompletionEntry]] = [:]
    public private(set) var received: [UInt8: [CompletionEntry]] = [:]
    /// The cycle of each CQE in `received`, per QP.
    public private(set) var receivedCycles: [UInt8: [Int]] = [:]
    public private(set) var cqeCycles: [Int] = []
    public private(set) var wrCycles: [Int] = []
    /// For each WR, the cycle its SG list's last entry had transferred by (the latest list).
    public private(set) var lastSgeCycle: [Int] = []
    var sgeLastCycle = -1
    public private(set) var txLog: [(cycle: Int, header: TxHeader)] = []
    /// The cycle of each `txd` beat.
    public private(set) var txdCycles: [Int] = []
    var cqes = 0
    private(set) var checks: [String] = []
    public private(set) var progress = 0
    var quietCycles = 0
    public let coverage = Coverage(["SEND", "WRITE", "READ", "multi-packet", "pattern list", "indirect key", "translation error", "malformed list",
                                    "bad rkey", "dead target", "full handshake", "half handshake", "target switch", "back-pressure on txd"])

    public init(_ layout: PortLayout, seed: UInt64, work: [Work], setup: Setup) throws {
        ports = try AdapterPorts(layout.packed(qps: qps))
        self.setup = setup
        self.work = work
        var keyReference = MKeyReference()
        for c in setup.keys { _ = keyReference.configure(c) }
        memory = HostMemory(seed: seed &+ 11, latency: setup.hostLatency, requestReadyPercent: setup.dmaReqReadyPercent, responseValidPercent: setup.dmaRspValidPercent)
        for d in setup.hostData { memory.store(d.addr, d.bytes) }
        let mem = memory
        reference = AdapterReference(keys: keyReference, pmtuCode: setup.pmtuCode,
                                     targets: Dictionary(uniqueKeysWithValues: setup.targets.map { ($0.dct, AdapterReference.Target(dcKey: $0.dcKey, rkey: $0.rkey, base: $0.base, length: $0.length)) }),
                                     hostByte: { mem.byte($0) })
        let full = setup.fullHandshake
        network = DCNetwork(targets: setup.targets.map { DCNetwork.Target(dct: $0.dct, dcKey: $0.dcKey, region: .init(rkey: $0.rkey, base: $0.base, length: $0.length)) },
                            pmtu: PathMTU.bytes(code: setup.pmtuCode), fullHandshake: { full.contains($0) }, seed: seed &+ 12,
                            ackLatency: setup.ackLatency, perPacketAckPercent: setup.perPacketAckPercent, strayPercent: setup.strayRxPercent)
        keys = KeyTableHost(cfg: ports.cfg, cfgack: ports.cfgack, seeds: (seed &+ 1, seed &+ 2))
        wrSource = StreamSource(ports.wr, seed: seed &+ 3, validPercent: setup.wrValidPercent)
        sgeSource = StreamSource(ports.sge, seed: seed &+ 4, validPercent: 0)
        qpResetSource = StreamSource(ports.qpReset, seed: seed &+ 5, validPercent: 100)
        txSink = StreamSink(ports.tx, seed: seed &+ 6, readyPercent: setup.txReadyPercent)
        txdSink = StreamSink(ports.txd, seed: seed &+ 7, readyPercent: setup.txdReadyPercent)
        cqeSink = StreamSink(ports.cqe, seed: seed &+ 8, readyPercent: setup.cqeReadyPercent)
        keys.send(setup.keys)
        if let given = setup.expectedCqes { expectedCqes = given }
        for w in work where ExecReference.gathers(ExecRequest(w.request.request)) {
            for e in w.list { sgeSource.send(HostListEntry(e)) }
        }
        if setup.strayRxPercent > 0 { coverage.declare("stray rx ignored") }
    }

    /// The expectation of each WR posted so far, in order.
    public var posted: [AdapterReference.Expectation] { expectations }
    public var targets: [UInt32: DCNetwork.Target] { network.targets }
    public var keyViolations: Int { network.keyViolations }

    public func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        if awaitingErrorLow && !qpErrorSeen.contains(true) { awaitingErrorLow = false }
        let configured = keys.isConfigured
        sgeSource.validPercent = configured ? setup.sgeValidPercent : 0
        if configured && paused == nil && !awaitingErrorLow && wrSource.idle && nextWork < work.count && mayPost(work[nextWork]) {
            let w = work[nextWork]
            resetsSincePost = [:]
            wrSource.send(w.request)
            let e = reference.run(w.request, list: w.list)
            expectations.append(e)
            if let c = e.cqe, setup.expectedCqes == nil { expectedCqes[c.qp, default: []].append(c) }
            cover(w, e)
            nextWork += 1
        }
        keys.drive(inputs)
        wrSource.drive(inputs)
        sgeSource.drive(inputs)
        qpResetSource.drive(inputs)
        txSink.drive(inputs)
        txdSink.drive(inputs)
        cqeSink.drive(inputs)
        memory.drive(cycle: cycle, request: ports.dmaReq, response: ports.dmaRsp, inputs: inputs)
        network.drive(cycle: cycle, rx: ports.rx, inputs: inputs)
        ports.pmtu.write(UInt64(setup.pmtuCode), into: inputs)
        ports.qpFullHandshake.write((0..<qps).map { setup.fullHandshake.contains(UInt8($0)) }, into: inputs)
    }

    /// After a reset the host waits until it reads `qp_error` low: a WR decided in the cycle
    /// after `qp_error` was 1 is flushed (SPEC 4.2 rule 5).
    func mayPost(_ w: Work) -> Bool {
        let qp = Int(w.request.request.qp)
        return (!w.afterReset || resetsSincePost[w.request.request.qp, default: 0] > 0) && (qp >= qps || !qpErrorSeen[qp]) && cqeCount >= w.afterCqes
    }

    func cover(_ w: Work, _ e: AdapterReference.Expectation) {
        let r = w.request.request
        switch WQEOpcode(rawValue: r.opcode) {
        case .send: coverage.hit("SEND")
        case .rdmaWrite: coverage.hit("WRITE")
        case .rdmaRead: coverage.hit("READ")
        case nil: break
        }
        if r.len > PathMTU.bytes(code: setup.pmtuCode) && r.opcode != WQEOpcode.rdmaRead.rawValue { coverage.hit("multi-packet") }
        if w.list.contains(where: { $0.kind == SGKind.pattern.rawValue }) { coverage.hit("pattern list") }
        if w.list.contains(where: { reference.keys.keys[Int($0.key >> 8)]?.indirect ?? false }) { coverage.hit("indirect key") }
        switch e.syndrome {
        case Syndrome.localProt.rawValue: coverage.hit("translation error")
        case Syndrome.localQpOp.rawValue where Int(r.qp) < qps: coverage.hit("malformed list")
        case Syndrome.remoteAccess.rawValue: coverage.hit("bad rkey")
        case Syndrome.transportRetryExceeded.rawValue: coverage.hit("dead target")
        default: break
        }
        coverage.hit(setup.fullHandshake.contains(r.qp) ? "full handshake" : "half handshake")
    }

    public func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        var moved = false
        if keys.observe(cycle: cycle, outputs) { moved = true }
        if let w = wrSource.observe(outputs) {
            wrCycles.append(cycle)
            lastSgeCycle.append(sgeLastCycle)
            if setup.pauseOnFailure, let e = expectations.last, e.syndrome != 0, Int(w.request.qp) < qps { paused = (w.request.qp, w.request.wqe) }
            moved = true
        }
        if let e = sgeSource.observe(outputs) {
            if e.entry.last { sgeLastCycle = cycle }
            moved = true
        }
        for q in 0..<qps { qpErrorSeen[q] = ports.qpError.bit(outputs, q) }
        if let r = qpResetSource.observe(outputs) {
            if paused != nil { awaitingErrorLow = true }
            paused = nil
            resetSent = false
            resetting.remove(r.qp)
            resetsSincePost[r.qp, default: 0] += 1
            moved = true
        }
        if outputs[ports.txd.valid] & 1 == 1 && inputs[ports.txd.ready] & 1 == 0 { coverage.hit("back-pressure on txd") }
        if let h = txSink.observe(cycle: cycle, outputs) {
            headers.append(h)
            txLog.append((cycle, h))
            if h.kind == TxKind.disconnect.rawValue { coverage.hit("target switch") }
            moved = true
        }
        if let d = txdSink.observe(cycle: cycle, outputs) {
            txdCycles.append(cycle)
            for k in 0..<8 { payload.append(UInt8(truncatingIfNeeded: d.data >> UInt64(8 * k))) }
            moved = true
        }
        deliverPackets(cycle: cycle)
        if memory.observe(cycle: cycle, request: ports.dmaReq, response: ports.dmaRsp, outputs: outputs) { moved = true }
        if let taken = network.observe(rx: ports.rx, outputs: outputs) {
            moved = true
            if taken.qp >= DCNetwork.qps { coverage.hit("stray rx ignored") }
        }
        if let c = cqeSink.observe(cycle: cycle, outputs) {
            checkCqe(c, cycle: cycle)
            moved = true
        }
        if moved { progress += 1 }
        let busy = ports.qpBusy.bit(outputs, 0) || (1..<qps).contains { ports.qpBusy.bit(outputs, $0) }
        quietCycles = !moved && nextWork == work.count && wrSource.idle && !busy && network.quiet ? quietCycles + 1 : 0
    }

    /// Hands the network each header with its payload once the payload has arrived.
    func deliverPackets(cycle: Int) {
        while let h = headers.first {
            let len = h.kind == TxKind.data.rawValue ? Int(h.packet.len) : 0
            let beats = (len + 7) / 8
            guard payload.count >= beats * 8 else { return }
            network.deliver(h, payload: Array(payload.prefix(len)), cycle: cycle)
            payload.removeFirst(beats * 8)
            headers.removeFirst()
        }
    }

    func checkCqe(_ c: CQEBeat, cycle: Int) {
        let e = c.entry
        if c.index != UInt16(cqes % 64) || c.owner != ((cqes / 64) % 2 == 1) { checks.append("cqe: cycle \(cycle): CQE \(cqes) in slot \(c.index) owner \(c.owner)") }
        cqes += 1
        cqeCycles.append(cycle)
        received[e.qp, default: []].append(e)
        receivedCycles[e.qp, default: []].append(cycle)
        let n = received[e.qp]!.count
        let want = expectedCqes[e.qp] ?? []
        if n > want.count || want[n - 1] != e {
            checks.append("cqe: cycle \(cycle): QP \(e.qp) CQE \(n - 1): expected \(n <= want.count ? "\(want[n - 1])" : "nothing"), got \(e)")
        }
        if let p = paused, p.qp == e.qp, p.wqe == e.wqe, e.opcode == CQEOpcode.reqErr.rawValue, !resetSent, Int(p.qp) < qps {
            qpResetSource.send(QPReset(qp: p.qp))
            resetSent = true
        }
        if !setup.pauseOnFailure && e.opcode == CQEOpcode.reqErr.rawValue && Int(e.qp) < qps && !resetting.contains(e.qp) {
            qpResetSource.send(QPReset(qp: e.qp))
            resetting.insert(e.qp)
        }
    }

    /// Where the bench stands (for a watchdog report).
    public var state: String {
        "posted \(nextWork)/\(work.count) paused \(paused.map { "qp \($0.qp) wqe \($0.wqe)" } ?? "no") awaitingErrorLow \(awaitingErrorLow) "
            + "CQEs \(cqeCount)/\(expectedCount) headers waiting \(headers.count) payload bytes \(payload.count) host queue \(memory.queue.count) "
            + "network pending \(network.pending.count) sge left \(sgeSource.queued) last expectation \(expectations.last.map { "qp \($0.request.request.qp) wqe \($0.request.request.wqe) syndrome \($0.syndrome)" } ?? "-")"
    }

    public var finished: Bool { nextWork == work.count && paused == nil && qpResetSource.idle && quietCycles > 40 && cqeCount >= expectedCount }
    var cqeCount: Int { received.values.reduce(0) { $0 + $1.count } }
    var expectedCount: Int { expectedCqes.values.reduce(0) { $0 + $1.count } }

    public var failures: [String] {
        checks + network.violations.map { "network: \($0)" } + txSink.violations + txdSink.violations + cqeSink.violations + keys.failures
    }
    public var hasFailed: Bool { !checks.isEmpty || !network.violations.isEmpty || !txSink.violations.isEmpty || !txdSink.violations.isEmpty || !cqeSink.violations.isEmpty
        || keys.hasFailed }

    public func finish() {
        if cqeCount != expectedCount { checks.append("cqe: \(cqeCount) CQEs arrived, \(expectedCount) expected") }
        // Target memory and receive buffers.
        var sends: [UInt32: [UInt8: [[UInt8]]]] = [:]
        // WRs whose CQE says they failed (flushed ones, when the test gives the CQEs) deliver nothing.
        let failed = Set(received.values.joined().filter { $0.opcode == CQEOpcode.reqErr.rawValue }.map { "\($0.qp)/\($0.wqe)" })
        for e in expectations where e.syndrome == 0 && !failed.contains("\(e.request.request.qp)/\(e.request.request.wqe)") {
            let r = e.request.request
            switch WQEOpcode(rawValue: r.opcode) {
            case .rdmaWrite:
                guard let t = network.targets[r.dct] else { continue }
                let got = (0..<e.payload.count).map { t.memory[r.raddr &+ UInt64($0)] }
                if got != e.payload.map({ Optional($0) }) { checks.append("target 0x\(String(r.dct, radix: 16)): WRITE wqe \(r.wqe) of QP \(r.qp): memory at 0x\(String(r.raddr, radix: 16)) differs") }
            case .send:
                sends[r.dct, default: [:]][r.qp, default: []].append(e.payload)
            default: break
            }
        }
        for (dct, t) in network.targets.sorted(by: { $0.key < $1.key }) {
            let want = sends[dct] ?? [:]
            for qp in Set(want.keys).union(t.received.keys).sorted() where (want[qp] ?? []) != (t.received[qp] ?? []) {
                checks.append("target 0x\(String(dct, radix: 16)): QP \(qp) received \(t.received[qp]?.count ?? 0) SEND messages, \(want[qp]?.count ?? 0) expected, or their bytes differ")
            }
        }
    }
}
