/// The transaction-level reference of SPEC section 3: which CQEs a sequence of posts,
/// ACK/NAKs and QP resets must produce, per QP, in order. Written from the rules, with no
/// notion of cycles beyond the order of events.
public struct CompletionReference {
    public let qps: Int
    struct Record {
        var post: CompletionPost
    }
    struct QueuePair {
        var list: [Record] = []
        var error = false
        var retiredAny = false
        var lastPsn: UInt32 = 0
    }
    var queuePairs: [QueuePair]
    /// CQEs per QP number (QPs >= `qps` too, for rule 10), in the order produced.
    public private(set) var entries: [UInt8: [CompletionEntry]] = [:]
    /// How often each rule fired: functional coverage of the stimulus.
    public private(set) var ruleHits: [String: Int] = [:]

    public init(qps: Int = 16) {
        self.qps = qps
        queuePairs = Array(repeating: QueuePair(), count: qps)
    }

    /// Records still outstanding in all lists.
    public var outstanding: Int { queuePairs.reduce(0) { $0 + $1.list.count } }
    public func isInError(_ qp: Int) -> Bool { queuePairs[qp].error }
    public func outstandingRecords(_ qp: Int) -> Int { queuePairs[qp].list.count }

    mutating func hit(_ rule: String) { ruleHits[rule, default: 0] += 1 }

    mutating func emit(_ e: CompletionEntry) { entries[e.qp, default: []].append(e) }

    /// Retires the head of `q`: success (CQE if signaled) or failure with `syndrome`.
    mutating func retireHead(_ q: Int, failWith syndrome: UInt8?) {
        let r = queuePairs[q].list.removeFirst()
        queuePairs[q].retiredAny = true
        queuePairs[q].lastPsn = r.post.psn
        if let syndrome {
            emit(CompletionEntry(qp: UInt8(q), wqe: r.post.wqe, opcode: CQEOpcode.reqErr.rawValue, wqeOpcode: r.post.opcode, syndrome: syndrome, bytes: 0))
            queuePairs[q].error = true
        } else if r.post.signaled {
            emit(CompletionEntry(qp: UInt8(q), wqe: r.post.wqe, opcode: CQEOpcode.req.rawValue, wqeOpcode: r.post.opcode, syndrome: 0, bytes: r.post.bytes))
            hit("signaled success")
        } else {
            hit("unsignaled success freed silently")
        }
    }

    /// Rules 2 and 4: a failed head completes at once; a QP in ERROR flushes everything.
    mutating func settle(_ q: Int) {
        while let head = queuePairs[q].list.first {
            if queuePairs[q].error {
                hit("flush")
                retireHead(q, failWith: Syndrome.flush.rawValue)
            } else if head.post.status != 0 {
                hit("local error record")
                retireHead(q, failWith: head.post.status)
            } else {
                return
            }
        }
    }

    public mutating func apply(_ event: CompletionEvent) {
        switch event {
        case let .post(p):
            guard Int(p.qp) < qps else {
                hit("post to QP out of range")
                emit(CompletionEntry(qp: p.qp, wqe: p.wqe, opcode: CQEOpcode.reqErr.rawValue, wqeOpcode: p.opcode, syndrome: Syndrome.localQpOp.rawValue, bytes: 0))
                return
            }
            if queuePairs[Int(p.qp)].error { hit("post while in ERROR") }
            queuePairs[Int(p.qp)].list.append(Record(post: p))
            settle(Int(p.qp))
        case let .ack(a):
            guard Int(a.qp) < qps else { hit("ACK to QP out of range"); return }
            let q = Int(a.qp)
            if queuePairs[q].error { hit("ACK to QP in ERROR"); return }
            let isNak = a.syndrome != 0
            if isNak && queuePairs[q].retiredAny && SerialNumber.atOrBefore(a.psn, queuePairs[q].lastPsn) {
                hit("stale NAK ignored")
                return
            }
            var retired = 0
            while let head = queuePairs[q].list.first {
                if head.post.status != 0 { break }  // settle() fails it below
                if isNak {
                    if SerialNumber.before(head.post.psn, a.psn) {
                        retireHead(q, failWith: nil)
                        retired += 1
                    } else {
                        hit("NAK fails a record")
                        retireHead(q, failWith: a.syndrome)
                        retired += 1
                        break
                    }
                } else if SerialNumber.atOrBefore(head.post.psn, a.psn) {
                    retireHead(q, failWith: nil)
                    retired += 1
                } else {
                    break
                }
            }
            if retired == 0 && queuePairs[q].list.first?.post.status ?? 0 == 0 { hit("ACK covering nothing") }
            if retired > 1 { hit("cumulative ACK") }
            settle(q)
        case let .lerr(e):
            // Rule 13: fail the newest outstanding record, keeping a first non-zero status.
            guard Int(e.qp) < qps, e.syndrome != 0, let last = queuePairs[Int(e.qp)].list.indices.last else {
                hit("lerr that changes nothing")
                return
            }
            let q = Int(e.qp)
            if queuePairs[q].list[last].post.status == 0 {
                hit("lerr fails the newest record")
                queuePairs[q].list[last].post.status = e.syndrome
            } else {
                hit("lerr keeps the first status")
            }
            settle(q)
        case let .reset(qp):
            guard Int(qp) < qps else { hit("reset of QP out of range"); return }
            if queuePairs[Int(qp)].error {
                hit("qp_reset clears ERROR")
                queuePairs[Int(qp)].error = false
                queuePairs[Int(qp)].retiredAny = false
            }
        }
    }

    /// Applies `events` given with the cycle in which each transferred.
    public mutating func apply(timed events: [(cycle: Int, event: CompletionEvent)]) {
        let ordered = events.enumerated().sorted { a, b in
            (a.element.cycle, a.element.event.orderInCycle, a.offset) < (b.element.cycle, b.element.event.orderInCycle, b.offset)
        }
        for e in ordered { apply(e.element.event) }
    }
}
