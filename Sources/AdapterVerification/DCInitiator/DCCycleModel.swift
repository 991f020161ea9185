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
        try super.init(layout, DCInitiatorModel(qps: qps, connectTimeout: connectTimeout, connectRetries: connectRetries),
                       qps: qps, ports: DCPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        i.rst = isReset(w)
        ports.wr.take(w, valid: &i.wrValid, beat: &i.wr)
        ports.connack.take(w, valid: &i.connackValid, beat: &i.connack)
        i.xwrReady = ports.xwr.isReady(w)
        i.ctlReady = ports.ctl.isReady(w)
        ports.qpFullHandshake.read(w, into: &i.fullHandshake)
        ports.qpBusy.read(w, into: &i.busy)
        ports.qpError.read(w, into: &i.qpError)
        ports.qpActive.read(w, into: &i.active)
        let r = model.cycle(i)
        ports.wr.answer(r.wrReady, into: o)
        ports.connack.answer(r.connackReady, into: o)
        ports.xwr.drive(r.xwrValid, r.xwr, into: o)
        ports.ctl.drive(r.ctlValid, r.ctl, into: o)
    }
}
