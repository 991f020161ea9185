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
    // Only `cycle` touches it: one dynamic exclusivity check a cycle buys nothing.
    @exclusivity(unchecked) var model: ExecUnitModel
    let ports: ExecPorts
    /// Kept from cycle to cycle so that the `qp_error` vector is refilled, not rebuilt. Only
    /// `cycle` touches it, so the dynamic exclusivity check is left out.
    @exclusivity(unchecked) var i = ExecUnitModel.Inputs()

    public init(_ layout: PortLayout, qps: Int = 16) throws {
        model = ExecUnitModel(qps: qps)
        ports = try ExecPorts(layout, qps: qps)
        i.qpError = Array(repeating: false, count: qps)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        i.rst = w[p.rst] & 1 == 1
        p.wr.take(w, valid: &i.wrValid, beat: &i.wr)
        p.gseg.take(w, valid: &i.gsegValid, beat: &i.gseg)
        i.dmaReady = p.dma.isReady(w)
        i.pktReady = p.pkt.isReady(w)
        i.postReady = p.post.isReady(w)
        i.lerrReady = p.lerr.isReady(w)
        i.pmtu = UInt8(w[p.pmtu.offset] & 7)
        p.qpError.read(w, into: &i.qpError)
        let r = model.cycle(i)
        p.wr.answer(r.wrReady, into: o)
        p.gseg.answer(r.gsegReady, into: o)
        p.dma.drive(r.dmaValid, r.dma, into: o)
        p.pkt.drive(r.pktValid, r.pkt, into: o)
        p.post.drive(r.postValid, r.post, into: o)
        p.lerr.drive(r.lerrValid, r.lerr, into: o)
        p.qpActive.write(r.qpActive, into: o)
    }
}
