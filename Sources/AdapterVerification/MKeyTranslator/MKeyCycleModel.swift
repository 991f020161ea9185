import AdapterModel
import LoomCosim

/// `mkey_translator`'s ports placed in the packed word arrays.
public typealias MKeyPorts = MKeyTranslatorInterface<PackedWords>

/// `MKeyTranslatorModel` behind the packed-word interface of the lockstep runner.
public final class MKeyTranslatorCycleModel: CycleModel {
    // Only `cycle` touches it: one dynamic exclusivity check a cycle buys nothing.
    @exclusivity(unchecked) var model: MKeyTranslatorModel
    let p: MKeyPorts
    let rst: Int

    public init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) throws {
        model = MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl)
        p = try MKeyPorts(layout.packed())
        rst = try layout.resetSlot()
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = MKeyTranslatorModel.Inputs()
        x.rst = w[rst] & 1 == 1
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
