import AdapterModel
import LoomCosim

/// `completion_engine`'s ports placed in the packed word arrays.
public typealias CompletionPorts = CompletionEngineInterface<PackedWords>

/// `CompletionEngineModel` wired to `completion_engine` through `CompletionEngineInterface`, for the lockstep runner.
public typealias CompletionEngineCycleModel = WiredModel<CompletionEngineModel>

extension WiredModel where Model == CompletionEngineModel {
    public convenience init(_ layout: PortLayout, qps: Int = 16, records: Int = 64, cqDepth: Int = 64, ackTimeout: Int = 0) throws {
        try self.init(layout, CompletionEngineModel(qps: qps, records: records, cqDepth: cqDepth, ackTimeout: ackTimeout), qps: qps, interface: CompletionEngineInterface.init)
    }
}
