import AdapterModel
import LoomCosim

/// `dc_initiator`'s streams and levels in the packed word arrays, resolved once from
/// `DCInitiatorInterface`.
public struct DCPorts {
    typealias Interface = DCInitiatorInterface
    public let rst: Int
    public let wr: StreamSlots<WorkRequest>
    public let connack: StreamSlots<ConnectAck>
    public let xwr: StreamSlots<ExecRequest>
    public let ctl: StreamSlots<ControlBeat>
    public let fullHandshake: LevelSlots, busy: LevelSlots, qpError: LevelSlots, active: LevelSlots

    public init(_ layout: PortLayout, qps: Int) throws {
        rst = try layout.resetSlot()
        wr = try layout.inputStream(Interface.wr)
        connack = try layout.inputStream(Interface.connack)
        xwr = try layout.outputStream(Interface.xwr)
        ctl = try layout.outputStream(Interface.ctl)
        fullHandshake = try layout.levelInput(Interface.qpFullHandshake, width: qps)
        busy = try layout.levelInput(Interface.qpBusy, width: qps)
        qpError = try layout.levelInput(Interface.qpError, width: qps)
        active = try layout.levelInput(Interface.qpActive, width: qps)
    }
}

/// `DCInitiatorModel` behind the packed-word interface of the lockstep runner.
public final class DCInitiatorCycleModel: CycleModel {
    var model: DCInitiatorModel
    let ports: DCPorts
    let qps: Int

    public init(_ layout: PortLayout, qps: Int = 16, connectTimeout: Int = 1024, connectRetries: Int = 3) throws {
        model = DCInitiatorModel(qps: qps, connectTimeout: connectTimeout, connectRetries: connectRetries)
        ports = try DCPorts(layout, qps: qps)
        self.qps = qps
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        var i = DCInitiatorModel.Inputs()
        i.rst = w[p.rst] & 1 == 1
        p.wr.take(w, valid: &i.wrValid, beat: &i.wr)
        p.connack.take(w, valid: &i.connackValid, beat: &i.connack)
        i.xwrReady = p.xwr.isReady(w)
        i.ctlReady = p.ctl.isReady(w)
        i.fullHandshake = p.fullHandshake.bits(w, count: qps)
        i.busy = p.busy.bits(w, count: qps)
        i.qpError = p.qpError.bits(w, count: qps)
        i.active = p.active.bits(w, count: qps)
        let r = model.cycle(i)
        p.wr.answer(r.wrReady, into: o)
        p.connack.answer(r.connackReady, into: o)
        p.xwr.drive(r.xwrValid, r.xwr, into: o)
        p.ctl.drive(r.ctlValid, r.ctl, into: o)
    }
}
