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
    let model: DCInitiatorModel
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
        i.wrValid = w[p.wr.valid] & 1 == 1
        if i.wrValid { i.wr = p.wr.read(w) }
        i.connackValid = w[p.connack.valid] & 1 == 1
        if i.connackValid { i.connack = p.connack.read(w) }
        i.xwrReady = w[p.xwr.ready] & 1 == 1
        i.ctlReady = w[p.ctl.ready] & 1 == 1
        i.fullHandshake = (0..<qps).map { p.fullHandshake.bit(w, $0) }
        i.busy = (0..<qps).map { p.busy.bit(w, $0) }
        i.qpError = (0..<qps).map { p.qpError.bit(w, $0) }
        i.active = (0..<qps).map { p.active.bit(w, $0) }
        let r = model.cycle(i)
        o[p.wr.ready] = r.wrReady ? 1 : 0
        o[p.connack.ready] = r.connackReady ? 1 : 0
        o[p.xwr.valid] = r.xwrValid ? 1 : 0
        p.xwr.write(r.xwr, into: o)
        o[p.ctl.valid] = r.ctlValid ? 1 : 0
        p.ctl.write(r.ctl, into: o)
    }
}
