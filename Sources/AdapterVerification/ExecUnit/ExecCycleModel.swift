import AdapterModel
import LoomCosim

/// `exec_unit`'s ports placed in the packed word arrays.
public typealias ExecPorts = ExecUnitInterface<PackedWords>

/// `ExecUnitModel` wired to `exec_unit` through `ExecUnitInterface`, for the lockstep runner.
public typealias ExecUnitCycleModel = WiredModel<ExecUnitModel>

extension WiredModel where Model == ExecUnitModel {
    public convenience init(_ layout: PortLayout, qps: Int = 16) throws {
        try self.init(layout, ExecUnitModel(qps: qps), qps: qps, interface: ExecUnitInterface.init)
    }
}
