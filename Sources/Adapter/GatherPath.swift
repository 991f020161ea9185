import AdapterSpec
import Loom

/// The gather-address path: `sg_walker` chunks feed `mkey_translator` requests, so an SG list
/// becomes physical segments. Built from the two blocks as instances; used to test them as one
/// path (SPEC 4's "sg_walker ─► mkey_translator").
///
/// Ports: the walker's `sge` stream, the translator's `cfg`/`cfgack` and `seg` streams, and
/// the requests' `path_pd` / `path_access` (constant per run). A chunk's `id` becomes the
/// request id; a MALFORMED chunk (status 1) is passed on with key 0, which no table holds.
public struct GatherPath: Module {
    public init() {}
    public var name: String { "gather_path" }
    /// The protection domain and access kind every chunk is translated with.
    public static let pd = LevelPort("path_pd"), access = LevelPort("path_access")

    public func body(_ m: ModuleBuilder) {
        // The path has some of each block's ports, made one by one from their declarations.
        let walkerNames = SGWalkerInterface(.names), translatorNames = MKeyTranslatorInterface(.names)
        let sge = m.inputStream(walkerNames.sge)
        let cfg = m.inputStream(translatorNames.cfg)
        let cfgack = m.outputStream(translatorNames.cfgack)
        let seg = m.outputStream(translatorNames.seg)
        let pd = m.input(Self.pd, width: 24)
        let access = m.input(Self.access, width: 3)

        let walker = SGWalkerInterface(m.instance("walker", SGWalker()).ports())
        let translator = MKeyTranslatorInterface(m.instance("translator", MKeyTranslator()).ports())
        walker.sge.stream.connect(from: sge)
        translator.cfg.stream.connect(from: cfg)
        cfgack.connect(from: translator.cfgack.stream)
        seg.connect(from: translator.seg.stream)

        // `last` is implied by the operation boundary on the translator side.
        let requests = walker.chunk.stream.map("chunk_request", MKeyRequest.self) { c in
            [c.id, mux(c.status == ChunkStatus.ok, c.key, m.lit(0, width: 32)), c.va, c.len, access, pd]
        }
        translator.req.stream.connect(from: requests)
    }
}
