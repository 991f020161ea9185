import AdapterModel
import LoomCosim

/// `mkey_translator`'s streams in the packed word arrays, resolved once from
/// `MKeyTranslatorInterface`.
public struct MKeyPorts {
    typealias Interface = MKeyTranslatorInterface
    public let rst: Int
    public let cfg: StreamSlots<MKeyConfig>
    public let cfgack: StreamSlots<ConfigAck>
    public let req: StreamSlots<MKeyRequest>
    public let seg: StreamSlots<MKeySegment>

    public init(_ layout: PortLayout) throws {
        rst = try layout.resetSlot()
        cfg = try layout.inputStream(Interface.cfg)
        cfgack = try layout.outputStream(Interface.cfgack)
        req = try layout.inputStream(Interface.req)
        seg = try layout.outputStream(Interface.seg)
    }
}

/// `MKeyTranslatorModel` behind the packed-word interface of the lockstep runner.
public final class MKeyTranslatorCycleModel: CycleModel {
    // Only `cycle` touches it: one dynamic exclusivity check a cycle buys nothing.
    @exclusivity(unchecked) var model: MKeyTranslatorModel
    let p: MKeyPorts

    public init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) throws {
        model = MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl)
        p = try MKeyPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = MKeyTranslatorModel.Inputs()
        x.rst = w[p.rst] & 1 == 1
        // No ready of this block depends on a payload: payloads are decoded only with valid.
        p.cfg.take(w, valid: &x.cfgValid, beat: &x.cfg)
        x.cfgackReady = p.cfgack.isReady(w)
        p.req.take(w, valid: &x.reqValid, beat: &x.req)
        x.segReady = p.seg.isReady(w)
        let r = model.cycle(x)
        p.cfg.answer(r.cfgReady, into: o)
        p.cfgack.drive(r.cfgackValid, ConfigAck(status: r.cfgackStatus), into: o)
        p.req.answer(r.reqReady, into: o)
        p.seg.drive(r.segValid, r.seg, into: o)
    }
}
