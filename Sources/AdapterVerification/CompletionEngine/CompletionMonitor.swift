import AdapterModel
import LoomCosim

/// Watches `completion_engine`'s ports, independently of what drives them: every beat that
/// transfers (with its cycle), every CQE, and the `qp_busy` / `qp_error` levels.
final class CompletionMonitor {
    let ports: CompletionPorts
    let qps: Int
    /// Posts, ACKs and resets in the order they transferred: what the reference replays.
    private(set) var events: [(cycle: Int, event: CompletionEvent)] = []
    // Written bit by bit every cycle and only ever by `observe`: not worth a dynamic
    // exclusivity check per bit.
    @exclusivity(unchecked) private(set) var busy: [Bool]
    @exclusivity(unchecked) private(set) var inError: [Bool]
    private(set) var cqeValid = false
    let coverage: Coverage

    init(_ ports: CompletionPorts, qps: Int, coverage: Coverage) {
        self.ports = ports
        self.qps = qps
        busy = Array(repeating: false, count: qps)
        inError = busy
        self.coverage = coverage
    }

    /// The CQE that transferred this cycle, if any.
    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) -> CQEBeat? {
        let p = ports
        let postOffered = inputs[p.post.valid] & 1 == 1, postReady = outputs[p.post.ready] & 1 == 1
        if postOffered {
            let post = p.post.read(inputs)
            if postReady { events.append((cycle, .post(post))) } else if Int(post.qp) < qps { coverage.hit("pool full back-pressure") }
        }
        if inputs[p.ack.valid] & outputs[p.ack.ready] & 1 == 1 { events.append((cycle, .ack(p.ack.read(inputs)))) }
        if inputs[p.qpReset.valid] & outputs[p.qpReset.ready] & 1 == 1 { events.append((cycle, .reset(qp: p.qpReset.read(inputs).qp))) }
        if inputs[p.lerr.valid] & outputs[p.lerr.ready] & 1 == 1 { events.append((cycle, .lerr(p.lerr.read(inputs)))) }
        cqeValid = outputs[p.cqe.valid] & 1 == 1
        let cqeReady = inputs[p.cqe.ready] & 1 == 1
        if cqeValid && !cqeReady { coverage.hit("CQE back-pressure") }
        for q in 0..<qps {
            busy[q] = p.qpBusy.bit(outputs, q)
            inError[q] = p.qpError.bit(outputs, q)
        }
        return cqeValid && cqeReady ? p.cqe.read(outputs) : nil
    }

    /// The QP is in ERROR and its list has drained: it is due its `qp_reset`.
    func dueReset(_ q: Int) -> Bool { inError[q] && !busy[q] }
}
