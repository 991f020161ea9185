/// The transaction-level reference of the `adapter` (SPEC 4.3), built from the block
/// references: a WR's SG list through `SGReference` and `MKeyReference` (with `LOCAL_READ`
/// and the WR's `pd`), its gather segments through `ExecReference`, and the targets as the
/// test configures them. For each WR it gives the syndrome its CQE must carry (0: success)
/// and the bytes a successful SEND or WRITE delivers.
///
/// It assumes what the random bench arranges: a WR has at most one fault, and a QP whose WR
/// failed is reset before its next WR (so no flush follows; directed tests check flushes).
public struct AdapterReference {
    /// What the reference knows of a target.
    public struct Target {
        public var dcKey: UInt64
        public var rkey: UInt32
        public var base: UInt64
        public var length: UInt64
        public init(dcKey: UInt64, rkey: UInt32, base: UInt64, length: UInt64) { (self.dcKey, self.rkey, self.base, self.length) = (dcKey, rkey, base, length) }
    }

    public struct Expectation {
        public var request: HostRequest
        /// The CQE's syndrome: 0 on success.
        public var syndrome: UInt8
        /// The gathered payload of a successful SEND or WRITE.
        public var payload: [UInt8]
        /// The CQE the engine must produce, if any.
        public var cqe: CompletionEntry?
    }

    public var keys: MKeyReference
    let walker = SGReference()
    var exec: ExecReference
    let pmtuCode: UInt8
    let targets: [UInt32: Target]
    let hostByte: (UInt64) -> UInt8

    public init(keys: MKeyReference, pmtuCode: UInt8, targets: [UInt32: Target], hostByte: @escaping (UInt64) -> UInt8) {
        self.keys = keys
        exec = ExecReference(qps: AdapterConfiguration.qps)
        self.pmtuCode = pmtuCode
        self.targets = targets
        self.hostByte = hostByte
    }

    /// The gather segments of a list, as the adapter's glue hands them to the exec unit
    /// (translation errors as 0x04, MALFORMED as 0x02).
    public func segments(_ list: [SGEntry], pd: UInt32) -> [GatherSegment] {
        var chunks: [SGChunk] = []
        var malformed = false
        switch walker.run(list) {
        case let .chunks(c): chunks = c
        case let .malformed(before, _, _): chunks = before; malformed = true
        }
        var out: [GatherSegment] = []
        for (k, c) in chunks.enumerated() {
            let lastChunk = k == chunks.count - 1 && !malformed
            switch keys.translate(MKeyRequest(key: c.key, va: c.va, len: c.len, access: Access.localRead.rawValue, pd: pd)) {
            case let .segments(s):
                for (j, seg) in s.enumerated() { out.append(GatherSegment(addr: seg.addr, len: seg.len, last: lastChunk && j == s.count - 1)) }
            case let .error(before, _):
                for seg in before { out.append(GatherSegment(addr: seg.addr, len: seg.len)) }
                out.append(GatherSegment(addr: 0, len: 0, last: lastChunk, status: Syndrome.localProt.rawValue))
            }
        }
        if malformed { out.append(GatherSegment(addr: 0, len: 0, last: true, status: Syndrome.localQpOp.rawValue)) }
        return out
    }

    public mutating func run(_ w: HostRequest, list: [SGEntry]) -> Expectation {
        let r = w.request
        let message = ExecRequest(r)
        let segs = ExecReference.gathers(message) ? segments(list, pd: w.pd) : []
        let outcome = exec.run(message, segments: segs, pmtuCode: pmtuCode)
        var syndrome = outcome.record.status != 0 ? outcome.record.status : outcome.lerr?.syndrome ?? 0
        let target = targets[r.dct]
        let live = target.map { $0.dcKey == r.dcKey } ?? false
        if Int(r.qp) >= AdapterConfiguration.qps {
            syndrome = Syndrome.localQpOp.rawValue
        } else if !live {
            // A dead target: the connection times out (full handshake) or no ACK ever comes.
            syndrome = Syndrome.transportRetryExceeded.rawValue
        } else if syndrome == 0, let t = target {
            let op = WQEOpcode(rawValue: r.opcode)
            let inRange = r.rkey == t.rkey && r.raddr >= t.base && r.raddr &+ UInt64(r.len) <= t.base &+ t.length && r.raddr &+ UInt64(r.len) >= r.raddr
            if (op == .rdmaWrite || op == .rdmaRead) && !inRange { syndrome = Syndrome.remoteAccess.rawValue }
        }
        var payload: [UInt8] = []
        if syndrome == 0 {
            for s in segs { for k in 0..<UInt64(s.len) { payload.append(hostByte(s.addr &+ k)) } }
            payload = Array(payload.prefix(Int(r.len)))
        }
        let cqe: CompletionEntry?
        if syndrome != 0 {
            cqe = CompletionEntry(qp: r.qp, wqe: r.wqe, opcode: CQEOpcode.reqErr.rawValue, wqeOpcode: r.opcode, syndrome: syndrome, bytes: 0)
        } else if r.signaled {
            cqe = CompletionEntry(qp: r.qp, wqe: r.wqe, opcode: CQEOpcode.req.rawValue, wqeOpcode: r.opcode, syndrome: 0, bytes: r.len)
        } else {
            cqe = nil
        }
        return Expectation(request: w, syndrome: syndrome, payload: payload, cqe: cqe)
    }
}
