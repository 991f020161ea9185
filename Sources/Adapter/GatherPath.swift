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
        let translatorPorts = MKeyTranslatorInterface(.names), walkerPorts = SGWalkerInterface(.names)
        let sge = m.inputStream(walkerPorts.sge)
        let cfg = m.inputStream(translatorPorts.cfg)
        let cfgack = m.outputStream(translatorPorts.cfgack)
        let seg = m.outputStream(translatorPorts.seg)
        let pd = m.input(Self.pd, width: 24)
        let access = m.input(Self.access, width: 3)

        let walker = m.instance("walker", SGWalker())
        let translator = m.instance("translator", MKeyTranslator())
        walker.stream(walkerPorts.sge).connect(from: sge)
        translator.stream(translatorPorts.cfg).connect(from: cfg)
        cfgack.connect(from: translator.stream(translatorPorts.cfgack))
        seg.connect(from: translator.stream(translatorPorts.seg))

        // `last` is implied by the operation boundary on the translator side.
        let requests = walker.stream(walkerPorts.chunk).map("chunk_request", MKeyRequest.self) { c in
            [c.id, mux(c.status == ChunkStatus.ok, c.key, m.lit(0, width: 32)), c.va, c.len, access, pd]
        }
        translator.stream(translatorPorts.req).connect(from: requests)
    }
}
