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
    let model: MKeyTranslatorModel
    let p: MKeyPorts

    public init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) throws {
        model = MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl)
        p = try MKeyPorts(layout)
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        var x = MKeyTranslatorModel.Inputs()
        x.rst = w[p.rst] & 1 == 1
        // No ready of this block depends on a payload: payloads are decoded only with valid.
        x.cfgValid = w[p.cfg.valid] & 1 == 1
        if x.cfgValid { x.cfg = p.cfg.read(w) }
        x.cfgackReady = w[p.cfgack.ready] & 1 == 1
        x.reqValid = w[p.req.valid] & 1 == 1
        if x.reqValid { x.req = p.req.read(w) }
        x.segReady = w[p.seg.ready] & 1 == 1
        let r = model.cycle(x)
        o[p.cfg.ready] = r.cfgReady ? 1 : 0
        o[p.cfgack.valid] = r.cfgackValid ? 1 : 0
        p.cfgack.write(ConfigAck(status: r.cfgackStatus), into: o)
        o[p.req.ready] = r.reqReady ? 1 : 0
        o[p.seg.valid] = r.segValid ? 1 : 0
        p.seg.write(r.seg, into: o)
    }
}
