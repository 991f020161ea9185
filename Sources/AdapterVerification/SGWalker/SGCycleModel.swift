import AdapterModel
import LoomCosim

/// `sg_walker`'s ports placed in the packed word arrays.
public typealias SGPorts = SGWalkerInterface<PackedWords>

/// `SGWalkerModel` behind the packed-word interface of the lockstep runner.
public final class SGWalkerCycleModel: PlacedModel<SGWalkerModel, SGPorts>, CycleModel {
    public init(_ layout: PortLayout, maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws {
        try super.init(layout, SGWalkerModel(maxGroup: maxGroup, maxVisits: maxVisits), ports: SGPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = SGWalkerModel.Inputs()
        x.rst = isReset(w)
        // sge_ready does not depend on the payload: it is decoded only with valid.
        ports.sge.take(w, valid: &x.sgeValid, beat: &x.sge)
        x.chunkReady = ports.chunk.isReady(w)
        let r = model.cycle(x)
        ports.sge.answer(r.sgeReady, into: o)
        ports.chunk.drive(r.chunkValid, r.chunk, into: o)
    }
}
