import AdapterModel
import LoomCosim

/// `mkey_translator`'s ports placed in the packed word arrays.
public typealias MKeyPorts = MKeyTranslatorInterface<PackedWords>

/// `MKeyTranslatorModel` wired to `mkey_translator` through `MKeyTranslatorInterface`, for the lockstep runner.
public typealias MKeyTranslatorCycleModel = WiredModel<MKeyTranslatorModel>

extension WiredModel where Model == MKeyTranslatorModel {
    public convenience init(_ layout: PortLayout, mkeys: Int = 64, klmEntries: Int = 256, maxIndirection: Int = 2, imaicl: Bool = true) throws {
        try self.init(layout, MKeyTranslatorModel(mkeys: mkeys, klmEntries: klmEntries, maxIndirection: maxIndirection, imaicl: imaicl), interface: MKeyTranslatorInterface.init)
    }
}
