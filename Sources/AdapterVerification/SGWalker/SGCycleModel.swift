import AdapterModel
import LoomCosim

/// `sg_walker`'s streams in the packed word arrays, resolved once from `SGWalkerInterface`.
public struct SGPorts {
    public let rst: Int
    public let sge: StreamSlots<SGEntry>
    public let chunk: StreamSlots<SGChunk>

    public init(_ layout: PortLayout) throws {
        rst = try layout.resetSlot()
        sge = try layout.inputStream(SGWalkerInterface.sge)
        chunk = try layout.outputStream(SGWalkerInterface.chunk)
    }
}

/// `SGWalkerModel` behind the packed-word interface of the lockstep runner.
public final class SGWalkerCycleModel: CycleModel {
    // Only `cycle` touches it: one dynamic exclusivity check a cycle buys nothing.
    @exclusivity(unchecked) var model: SGWalkerModel
    let p: SGPorts

    public init(_ layout: PortLayout, maxGroup: Int = 4, maxVisits: UInt64 = 1 << 24) throws {
        model = SGWalkerModel(maxGroup: maxGroup, maxVisits: maxVisits)
        p = try SGPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = SGWalkerModel.Inputs()
        x.rst = w[p.rst] & 1 == 1
        // sge_ready does not depend on the payload: it is decoded only with valid.
        p.sge.take(w, valid: &x.sgeValid, beat: &x.sge)
        x.chunkReady = p.chunk.isReady(w)
        let r = model.cycle(x)
        p.sge.answer(r.sgeReady, into: o)
        p.chunk.drive(r.chunkValid, r.chunk, into: o)
    }
}
