import AdapterModel
import LoomCosim

/// `exec_unit`'s streams and levels in the packed word arrays, resolved once from
/// `ExecUnitInterface`.
public struct ExecPorts {
    typealias Interface = ExecUnitInterface
    public let rst: Int
    public let wr: StreamSlots<ExecRequest>
    public let gseg: StreamSlots<GatherSegment>
    public let dma: StreamSlots<PayloadPiece>
    public let pkt: StreamSlots<PacketHeader>
    public let post: StreamSlots<CompletionPost>
    public let lerr: StreamSlots<LocalError>
    public let pmtu: LevelSlots, qpError: LevelSlots, qpActive: LevelSlots

    public init(_ layout: PortLayout, qps: Int) throws {
        rst = try layout.resetSlot()
        wr = try layout.inputStream(Interface.wr)
        gseg = try layout.inputStream(Interface.gseg)
        dma = try layout.outputStream(Interface.dma)
        pkt = try layout.outputStream(Interface.pkt)
        post = try layout.outputStream(Interface.post)
        lerr = try layout.outputStream(Interface.lerr)
        pmtu = try layout.levelInput(Interface.pmtu, width: 3)
        qpError = try layout.levelInput(Interface.qpError, width: qps)
        qpActive = try layout.levelOutput(Interface.qpActive, width: qps)
    }
}

/// `ExecUnitModel` behind the packed-word interface of the lockstep runner.
public final class ExecUnitCycleModel: CycleModel {
    let model: ExecUnitModel
    let ports: ExecPorts
    let qps: Int

    public init(_ layout: PortLayout, qps: Int = 16) throws {
        model = ExecUnitModel(qps: qps)
        ports = try ExecPorts(layout, qps: qps)
        self.qps = qps
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        var i = ExecUnitModel.Inputs()
        i.rst = w[p.rst] & 1 == 1
        i.wrValid = w[p.wr.valid] & 1 == 1
        if i.wrValid { i.wr = p.wr.read(w) }
        i.gsegValid = w[p.gseg.valid] & 1 == 1
        if i.gsegValid { i.gseg = p.gseg.read(w) }
        i.dmaReady = w[p.dma.ready] & 1 == 1
        i.pktReady = w[p.pkt.ready] & 1 == 1
        i.postReady = w[p.post.ready] & 1 == 1
        i.lerrReady = w[p.lerr.ready] & 1 == 1
        i.pmtu = UInt8(w[p.pmtu.offset] & 7)
        i.qpError = (0..<qps).map { p.qpError.bit(w, $0) }
        let r = model.cycle(i)
        o[p.wr.ready] = r.wrReady ? 1 : 0
        o[p.gseg.ready] = r.gsegReady ? 1 : 0
        o[p.dma.valid] = r.dmaValid ? 1 : 0
        p.dma.write(r.dma, into: o)
        o[p.pkt.valid] = r.pktValid ? 1 : 0
        p.pkt.write(r.pkt, into: o)
        o[p.post.valid] = r.postValid ? 1 : 0
        p.post.write(r.post, into: o)
        o[p.lerr.valid] = r.lerrValid ? 1 : 0
        p.lerr.write(r.lerr, into: o)
        p.qpActive.write(r.qpActive, into: o)
    }
}
