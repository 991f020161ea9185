import AdapterModel
import LoomCosim

/// The `completion_engine` port slots in the packed word arrays.
struct CompletionPorts {
    let rst, postValid, postReady, postQp, postWqe, postOpcode, postSignaled, postPsn, postBytes, postStatus: PortSlot
    let ackValid, ackReady, ackQp, ackPsn, ackSyndrome: PortSlot
    let resetValid, resetReady, resetQp: PortSlot
    let cqeValid, cqeReady, cqeQp, cqeWqe, cqeOpcode, cqeWqeOpcode, cqeSyndrome, cqeBytes, cqeIndex, cqeOwner: PortSlot
    let qpError, qpBusy: ShimPort

    init(_ l: PortLayout) {
        rst = l.slot("rst")
        postValid = l.slot("post_valid"); postReady = l.slot("post_ready"); postQp = l.slot("post_qp")
        postWqe = l.slot("post_wqe"); postOpcode = l.slot("post_opcode"); postSignaled = l.slot("post_signaled")
        postPsn = l.slot("post_psn"); postBytes = l.slot("post_bytes"); postStatus = l.slot("post_status")
        ackValid = l.slot("ack_valid"); ackReady = l.slot("ack_ready"); ackQp = l.slot("ack_qp")
        ackPsn = l.slot("ack_psn"); ackSyndrome = l.slot("ack_syndrome")
        resetValid = l.slot("qp_reset_valid"); resetReady = l.slot("qp_reset_ready"); resetQp = l.slot("qp_reset_qp")
        cqeValid = l.slot("cqe_valid"); cqeReady = l.slot("cqe_ready"); cqeQp = l.slot("cqe_qp"); cqeWqe = l.slot("cqe_wqe")
        cqeOpcode = l.slot("cqe_opcode"); cqeWqeOpcode = l.slot("cqe_wqe_opcode"); cqeSyndrome = l.slot("cqe_syndrome")
        cqeBytes = l.slot("cqe_bytes"); cqeIndex = l.slot("cqe_index"); cqeOwner = l.slot("cqe_owner")
        qpError = l.output("qp_error")!
        qpBusy = l.output("qp_busy")!
    }

    func bit(_ words: UnsafePointer<UInt64>, _ port: ShimPort, _ q: Int) -> Bool {
        (words[port.wordOffset + q / 64] >> UInt64(q % 64)) & 1 == 1
    }
}

/// `CompletionEngineModel` behind the packed-word interface of the lockstep runner.
public final class CompletionEngineCycleModel: CycleModel {
    let model: CompletionEngineModel
    let ports: CompletionPorts

    public init(_ layout: PortLayout, qps: Int = 16, records: Int = 64, cqDepth: Int = 64) {
        model = CompletionEngineModel(qps: qps, records: records, cqDepth: cqDepth)
        ports = CompletionPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        var i = CompletionEngineModel.Inputs()
        i.rst = w[p.rst.offset] & 1 == 1
        i.postValid = w[p.postValid.offset] & 1 == 1
        i.post = CompletionPost(qp: UInt8(w[p.postQp.offset]), wqe: UInt16(w[p.postWqe.offset]), opcode: UInt8(w[p.postOpcode.offset]),
                                signaled: w[p.postSignaled.offset] & 1 == 1, psn: UInt32(w[p.postPsn.offset]),
                                bytes: UInt32(w[p.postBytes.offset]), status: UInt8(w[p.postStatus.offset]))
        i.ackValid = w[p.ackValid.offset] & 1 == 1
        i.ack = CompletionAck(qp: UInt8(w[p.ackQp.offset]), psn: UInt32(w[p.ackPsn.offset]), syndrome: UInt8(w[p.ackSyndrome.offset]))
        i.resetValid = w[p.resetValid.offset] & 1 == 1
        i.resetQp = UInt8(w[p.resetQp.offset])
        i.cqeReady = w[p.cqeReady.offset] & 1 == 1
        let r = model.cycle(i)
        o[p.postReady.offset] = r.postReady ? 1 : 0
        o[p.ackReady.offset] = r.ackReady ? 1 : 0
        o[p.resetReady.offset] = r.resetReady ? 1 : 0
        o[p.cqeValid.offset] = r.cqeValid ? 1 : 0
        o[p.cqeQp.offset] = UInt64(r.cqe.qp)
        o[p.cqeWqe.offset] = UInt64(r.cqe.wqe)
        o[p.cqeOpcode.offset] = UInt64(r.cqe.opcode)
        o[p.cqeWqeOpcode.offset] = UInt64(r.cqe.wqeOpcode)
        o[p.cqeSyndrome.offset] = UInt64(r.cqe.syndrome)
        o[p.cqeBytes.offset] = UInt64(r.cqe.bytes)
        o[p.cqeIndex.offset] = UInt64(r.cqeIndex)
        o[p.cqeOwner.offset] = r.cqeOwner ? 1 : 0
        for (port, bits) in [(p.qpError, r.qpError), (p.qpBusy, r.qpBusy)] {
            for k in 0..<port.words { o[port.wordOffset + k] = 0 }
            for (q, b) in bits.enumerated() where b { o[port.wordOffset + q / 64] |= 1 << UInt64(q % 64) }
        }
    }
}
