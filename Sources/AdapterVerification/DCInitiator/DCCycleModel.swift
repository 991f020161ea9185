import AdapterModel
import LoomCosim

/// `dc_initiator`'s ports placed in the packed word arrays.
public typealias DCPorts = DCInitiatorInterface<PackedWords>

/// `DCInitiatorModel` behind the packed-word interface of the lockstep runner.
public final class DCInitiatorCycleModel: PlacedModel<DCInitiatorModel, DCPorts>, CycleModel {
    /// Kept from cycle to cycle so that the level vectors are refilled, not rebuilt. Only
    /// `cycle` touches it, so the dynamic exclusivity check is left out.
    @exclusivity(unchecked) var i = DCInitiatorModel.Inputs()

    public init(_ layout: PortLayout, qps: Int = 16, connectTimeout: Int = 1024, connectRetries: Int = 3) throws {
        let none = [Bool](repeating: false, count: qps)
        (i.fullHandshake, i.busy, i.qpError, i.active) = (none, none, none, none)
        try super.init(layout, DCInitiatorModel(qps: qps, connectTimeout: connectTimeout, connectRetries: connectRetries), qps: qps,
                       ports: DCPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        i.rst = isReset(w)
        p.wr.take(w, valid: &i.wrValid, beat: &i.wr)
        p.connack.take(w, valid: &i.connackValid, beat: &i.connack)
        i.xwrReady = p.xwr.isReady(w)
        i.ctlReady = p.ctl.isReady(w)
        p.qpFullHandshake.read(w, into: &i.fullHandshake)
        p.qpBusy.read(w, into: &i.busy)
        p.qpError.read(w, into: &i.qpError)
        p.qpActive.read(w, into: &i.active)
        let r = model.cycle(i)
        p.wr.answer(r.wrReady, into: o)
        p.connack.answer(r.connackReady, into: o)
        p.xwr.drive(r.xwrValid, r.xwr, into: o)
        p.ctl.drive(r.ctlValid, r.ctl, into: o)
    }
}
