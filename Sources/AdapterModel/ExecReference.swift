/// The transaction-level reference of `exec_unit` (SPEC 4.1), without clock: what one
/// message produces, from the request, its gather segments, the PMTU and the QP's PSN.
/// `qp_error` is not modelled (rule 8 is about cycles): tests with it use the cycle model.
public struct ExecReference {
    /// What one message produces.
    public struct Outcome: Equatable, CustomStringConvertible {
        public var record: CompletionPost
        public var headers: [PacketHeader]
        /// The pieces of the packets that are sent.
        public var pieces: [PayloadPiece]
        /// Pieces the unit may cut after those (the canonical cut up to the failure point);
        /// any prefix of them may appear, followed by one abort beat when it is not empty.
        public var droppable: [PayloadPiece]
        public var lerr: LocalError?

        public var description: String {
            "record psn \(record.psn) status 0x\(String(record.status, radix: 16)); \(headers.count) packet(s) \(headers); pieces \(pieces)"
                + (droppable.isEmpty ? "" : " then any prefix of \(droppable) and an abort") + (lerr.map { "; lerr 0x\(String($0.syndrome, radix: 16))" } ?? "")
        }
    }

    public let qps: Int
    var nextPsn: [UInt32]

    public init(qps: Int = 16) {
        self.qps = qps
        nextPsn = Array(repeating: 0, count: qps)
    }

    /// The QP's next PSN.
    public func psn(of qp: Int) -> UInt32 { nextPsn[qp] }

    /// Whether the message gathers a payload from `gseg` (rule 4).
    public static func gathers(_ m: ExecRequest) -> Bool {
        let op = WQEOpcode(rawValue: m.request.opcode)
        return (op == .send || op == .rdmaWrite) && m.request.len > 0 && m.request.len <= 1 << 31
    }

    public mutating func run(_ m: ExecRequest, segments: [GatherSegment], pmtuCode: UInt8) -> Outcome {
        let w = m.request
        let q = Int(w.qp)
        var record = CompletionPost(qp: w.qp, wqe: w.wqe, opcode: w.opcode, signaled: w.signaled, psn: 0, bytes: w.len, status: 0)
        guard q < qps else {
            // Rule 10: no PSN, no packet, status 0x02.
            record.status = Syndrome.localQpOp.rawValue
            return Outcome(record: record, headers: [], pieces: [], droppable: [], lerr: nil)
        }
        let pmtu = UInt64(PathMTU.bytes(code: pmtuCode))
        let len = UInt64(w.len)
        let op = WQEOpcode(rawValue: w.opcode)
        let localFailure: Syndrome? = op == nil ? .localQpOp : len > 1 << 31 ? .localLength : nil
        let n = localFailure != nil ? 1 : max(1, (len + pmtu - 1) / pmtu)
        let p = nextPsn[q]
        nextPsn[q] = (p + UInt32(n)) & 0xff_ffff
        record.psn = (p + UInt32(n) - 1) & 0xff_ffff
        if m.status != 0 {
            record.status = m.status
            return Outcome(record: record, headers: [], pieces: [], droppable: [], lerr: nil)
        }
        if let failure = localFailure {
            record.status = failure.rawValue
            return Outcome(record: record, headers: [], pieces: [], droppable: [], lerr: nil)
        }
        func header(_ i: UInt64, opcode: PacketOpcode, len: UInt64, reth: Bool) -> PacketHeader {
            var h = PacketHeader()
            (h.qp, h.opcode, h.psn, h.len) = (w.qp, opcode.rawValue, (p + UInt32(i)) & 0xff_ffff, UInt16(len))
            if reth { (h.rethVa, h.rethRkey, h.rethLen) = (w.raddr, w.rkey, w.len) }
            (h.dct, h.dcKey, h.session) = (w.dct, w.dcKey, m.session)
            return h
        }
        if op == .rdmaRead {
            return Outcome(record: record, headers: [header(0, opcode: .readRequest, len: 0, reth: true)], pieces: [], droppable: [], lerr: nil)
        }
        let isWrite = op == .rdmaWrite
        func opcode(_ i: UInt64) -> PacketOpcode {
            if n == 1 { return isWrite ? .writeOnly : .sendOnly }
            if i == 0 { return isWrite ? .writeFirst : .sendFirst }
            return i == n - 1 ? (isWrite ? .writeLast : .sendLast) : (isWrite ? .writeMiddle : .sendMiddle)
        }
        func packetHeader(_ i: UInt64) -> PacketHeader {
            header(i, opcode: opcode(i), len: min(pmtu, len - i * pmtu), reth: isWrite && i == 0)
        }
        if len == 0 { return Outcome(record: record, headers: [packetHeader(0)], pieces: [], droppable: [], lerr: nil) }

        // Rule 5: the failure point, and how far the segments reach before it.
        var failurePoint: UInt64?, syndrome = Syndrome.localLength.rawValue
        var offset: UInt64 = 0
        if let bad = segments.firstIndex(where: { $0.status != 0 }) {
            failurePoint = segments[..<bad].reduce(0) { $0 + UInt64($1.len) }
            syndrome = segments[bad].status
        } else {
            var reached = false
            for s in segments {
                let end = offset + UInt64(s.len)
                if end >= len {
                    if !(end == len && s.last) { failurePoint = len - 1 }
                    reached = true
                    break
                }
                if s.last { failurePoint = end; break }
                offset = end
            }
            if !reached && failurePoint == nil { failurePoint = offset }   // a list without `last`: cannot happen on the wire
        }
        // Pieces may be cut as far as good segments reach, up to len.
        let goodSegments = segments.prefix { $0.status == 0 }
        let cutEnd = min(len, goodSegments.reduce(0) { $0 + UInt64($1.len) })
        // Packets whose bytes all lie before the failure point are sent.
        let sent = failurePoint.map { fp in (0..<n).filter { min(len, ($0 + 1) * pmtu) <= fp }.count } ?? Int(n)
        let sentEnd = min(len, UInt64(sent) * pmtu)
        var pieces: [PayloadPiece] = [], droppable: [PayloadPiece] = []
        var segStart: UInt64 = 0
        for s in segments {
            let segEnd = segStart + UInt64(s.len)
            var at = segStart
            while at < min(segEnd, cutEnd) {
                let packetEnd = min(len, (at / pmtu + 1) * pmtu)
                let end = min(segEnd, packetEnd, cutEnd)
                let piece = PayloadPiece(addr: s.addr &+ (at - segStart), len: UInt16(end - at), last: end == packetEnd)
                if end <= sentEnd { pieces.append(piece) } else { droppable.append(piece) }
                at = end
            }
            segStart = segEnd
            if segStart >= cutEnd { break }
        }
        if failurePoint != nil && sent == 0 {
            record.status = syndrome
            return Outcome(record: record, headers: [], pieces: [], droppable: pieces + droppable, lerr: nil)
        }
        let headers = (0..<UInt64(sent)).map(packetHeader)
        let lerr = failurePoint != nil ? LocalError(qp: w.qp, syndrome: syndrome) : nil
        return Outcome(record: record, headers: headers, pieces: pieces, droppable: droppable, lerr: lerr)
    }
}
