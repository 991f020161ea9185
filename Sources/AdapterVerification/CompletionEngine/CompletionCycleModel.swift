import AdapterModel
import LoomCosim

/// `completion_engine`'s ports placed in the packed word arrays.
public typealias CompletionPorts = CompletionEngineInterface<PackedWords>

/// `CompletionEngineModel` behind the packed-word interface of the lockstep runner.
public final class CompletionEngineCycleModel: PlacedModel<CompletionEngineModel, CompletionPorts>, CycleModel {
    public init(_ layout: PortLayout, qps: Int = 16, records: Int = 64, cqDepth: Int = 64, ackTimeout: Int = 0) throws {
        try super.init(layout, CompletionEngineModel(qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout),
                       qps: qps, ports: CompletionPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var i = CompletionEngineModel.Inputs()
        i.rst = isReset(w)
        // Payloads are read even while valid is 0: a ready may depend on them (SPEC 0).
        i.postValid = ports.post.isValid(w)
        i.post = ports.post.read(w)
        i.ackValid = ports.ack.isValid(w)
        i.ack = ports.ack.read(w)
        i.resetValid = ports.qpReset.isValid(w)
        i.resetQp = ports.qpReset.read(w).qp
        i.lerrValid = ports.lerr.isValid(w)
        i.lerr = ports.lerr.read(w)
        i.cqeReady = ports.cqe.isReady(w)
        let r = model.cycle(i)
        ports.post.answer(r.postReady, into: o)
        ports.ack.answer(r.ackReady, into: o)
        ports.qpReset.answer(r.resetReady, into: o)
        ports.lerr.answer(r.lerrReady, into: o)
        ports.cqe.drive(r.cqeValid, CQEBeat(entry: r.cqe, index: r.cqeIndex, owner: r.cqeOwner), into: o)
        ports.qpError.write(r.qpError, into: o)
        ports.qpBusy.write(r.qpBusy, into: o)
    }
}
