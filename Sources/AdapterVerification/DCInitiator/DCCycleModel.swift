import AdapterModel
import LoomCosim

/// `dc_initiator`'s ports placed in the packed word arrays.
public typealias DCPorts = DCInitiatorInterface<PackedWords>

/// `DCInitiatorModel` wired to `dc_initiator` through `DCInitiatorInterface`, for the lockstep runner.
public typealias DCInitiatorCycleModel = WiredModel<DCInitiatorModel>

extension WiredModel where Model == DCInitiatorModel {
    public convenience init(_ layout: PortLayout, qps: Int = 16, connectTimeout: Int = 1024, connectRetries: Int = 3) throws {
        try self.init(layout, DCInitiatorModel(qps: qps, connectTimeout: connectTimeout, connectRetries: connectRetries), qps: qps, interface: DCInitiatorInterface.init)
    }
}
