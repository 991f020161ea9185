import AdapterModel
import LoomCosim

/// `sg_walker`'s ports placed in the packed word arrays.
public typealias SGPorts = SGWalkerInterface<PackedWords>

/// `SGWalkerModel` wired to `sg_walker` through `SGWalkerInterface`, for the lockstep runner.
public typealias SGWalkerCycleModel = WiredModel<SGWalkerModel>

extension WiredModel where Model == SGWalkerModel {
    public convenience init(_ layout: PortLayout, maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws {
        try self.init(layout, SGWalkerModel(maxGroup: maxGroup, maxVisits: maxVisits), interface: SGWalkerInterface.init)
    }
}
