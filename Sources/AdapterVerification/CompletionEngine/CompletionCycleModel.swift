import AdapterModel
import LoomCosim

/// `completion_engine`'s ports placed in the packed word arrays.
public typealias CompletionPorts = CompletionEngineInterface<PackedWords>

/// `CompletionEngineModel` behind the packed-word interface of the lockstep runner.
public final class CompletionEngineCycleModel: PlacedModel<CompletionEngineModel, CompletionPorts>, CycleModel {

    public init(_ layout: PortLayout, qps: Int = 16, records: Int = 64, cqDepth: Int = 64, ackTimeout: Int = 0) throws {
        try super.init(layout, CompletionEngineModel(qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout), qps: qps,
                       ports: CompletionPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        var i = CompletionEngineModel.Inputs()
        i.rst = isReset(w)
        // Payloads are read even while valid is 0: a ready may depend on them (SPEC 0).
        i.postValid = p.post.isValid(w)
        i.post = p.post.read(w)
        i.ackValid = p.ack.isValid(w)
        i.ack = p.ack.read(w)
        i.resetValid = p.qpReset.isValid(w)
        i.resetQp = p.qpReset.read(w).qp
        i.lerrValid = p.lerr.isValid(w)
        i.lerr = p.lerr.read(w)
        i.cqeReady = p.cqe.isReady(w)
        let r = model.cycle(i)
        p.post.answer(r.postReady, into: o)
        p.ack.answer(r.ackReady, into: o)
        p.qpReset.answer(r.resetReady, into: o)
        p.lerr.answer(r.lerrReady, into: o)
        p.cqe.drive(r.cqeValid, CQEBeat(entry: r.cqe, index: r.cqeIndex, owner: r.cqeOwner), into: o)
        p.qpError.write(r.qpError, into: o)
        p.qpBusy.write(r.qpBusy, into: o)
    }
}
