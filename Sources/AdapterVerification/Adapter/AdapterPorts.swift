import AdapterModel
import LoomCosim

/// The `adapter`'s streams and levels in the packed word arrays, resolved once from
/// `AdapterInterface`.
public struct AdapterPorts {
    typealias Interface = AdapterInterface
    public let rst: Int
    public let cfg: StreamSlots<MKeyConfig>, cfgack: StreamSlots<ConfigAck>
    public let wr: StreamSlots<HostRequest>, sge: StreamSlots<HostListEntry>
    public let dmaReq: StreamSlots<HostRead>, dmaRsp: StreamSlots<DataBeat>
    public let tx: StreamSlots<TxHeader>, txd: StreamSlots<DataBeat>, rx: StreamSlots<RxBeat>
    public let cqe: StreamSlots<CQEBeat>, qpReset: StreamSlots<QPReset>
    public let pmtu: LevelSlots, fullHandshake: LevelSlots, busy: LevelSlots, error: LevelSlots

    public init(_ layout: PortLayout) throws {
        rst = try layout.resetSlot()
        cfg = try layout.inputStream(Interface.cfg)
        cfgack = try layout.outputStream(Interface.cfgack)
        wr = try layout.inputStream(Interface.wr)
        sge = try layout.inputStream(Interface.sge)
        dmaReq = try layout.outputStream(Interface.dmaReq)
        dmaRsp = try layout.inputStream(Interface.dmaRsp)
        tx = try layout.outputStream(Interface.tx)
        txd = try layout.outputStream(Interface.txd)
        rx = try layout.inputStream(Interface.rx)
        cqe = try layout.outputStream(Interface.cqe)
        qpReset = try layout.inputStream(Interface.qpReset)
        pmtu = try layout.levelInput(Interface.pmtu, width: 3)
        fullHandshake = try layout.levelInput(Interface.qpFullHandshake, width: 16)
        busy = try layout.levelOutput(Interface.qpBusy, width: 16)
        error = try layout.levelOutput(Interface.qpError, width: 16)
    }
}
