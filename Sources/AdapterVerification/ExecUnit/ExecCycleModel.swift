import AdapterModel
import LoomCosim

/// `exec_unit`'s ports placed in the packed word arrays.
public typealias ExecPorts = ExecUnitInterface<PackedWords>

/// `ExecUnitModel` behind the packed-word interface of the lockstep runner.
public final class ExecUnitCycleModel: PlacedModel<ExecUnitModel, ExecPorts>, CycleModel {
    /// Kept from cycle to cycle so that the `qp_error` vector is refilled, not rebuilt. Only
    /// `cycle` touches it, so the dynamic exclusivity check is left out.
    @exclusivity(unchecked) var i = ExecUnitModel.Inputs()

    public init(_ layout: PortLayout, qps: Int = 16) throws {
        i.qpError = Array(repeating: false, count: qps)
        try super.init(layout, ExecUnitModel(qps: qps), qps: qps, ports: ExecPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        i.rst = isReset(w)
        ports.wr.take(w, valid: &i.wrValid, beat: &i.wr)
        ports.gseg.take(w, valid: &i.gsegValid, beat: &i.gseg)
        i.dmaReady = ports.dma.isReady(w)
        i.pktReady = ports.pkt.isReady(w)
        i.postReady = ports.post.isReady(w)
        i.lerrReady = ports.lerr.isReady(w)
        i.pmtu = UInt8(ports.pmtu.value(w))
        ports.qpError.read(w, into: &i.qpError)
        let r = model.cycle(i)
        ports.wr.answer(r.wrReady, into: o)
        ports.gseg.answer(r.gsegReady, into: o)
        ports.dma.drive(r.dmaValid, r.dma, into: o)
        ports.pkt.drive(r.pktValid, r.pkt, into: o)
        ports.post.drive(r.postValid, r.post, into: o)
        ports.lerr.drive(r.lerrValid, r.lerr, into: o)
        ports.qpActive.write(r.qpActive, into: o)
    }
}
