import AdapterModel
import LoomCosim

/// `mkey_translator`'s ports placed in the packed word arrays.
public typealias MKeyPorts = MKeyTranslatorInterface<PackedWords>

/// `MKeyTranslatorModel` behind the packed-word interface of the lockstep runner.
public final class MKeyTranslatorCycleModel: PlacedModel<MKeyTranslatorModel, MKeyPorts>, CycleModel {
    public init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) throws {
        try super.init(layout, MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl),
                       ports: MKeyPorts.init)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = MKeyTranslatorModel.Inputs()
        x.rst = isReset(w)
        // No ready of this block depends on a payload: payloads are decoded only with valid.
        ports.cfg.take(w, valid: &x.cfgValid, beat: &x.cfg)
        x.cfgackReady = ports.cfgack.isReady(w)
        ports.req.take(w, valid: &x.reqValid, beat: &x.req)
        x.segReady = ports.seg.isReady(w)
        let r = model.cycle(x)
        ports.cfg.answer(r.cfgReady, into: o)
        ports.cfgack.drive(r.cfgackValid, ConfigAck(status: r.cfgackStatus), into: o)
        ports.req.answer(r.reqReady, into: o)
        ports.seg.drive(r.segValid, r.seg, into: o)
    }
}
