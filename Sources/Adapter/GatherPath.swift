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

    public func body(_ m: ModuleBuilder) {
        let sge = m.inputStream("sge", SGWalker.sgeLayout)
        let cfg = m.inputStream("cfg", MKeyTranslator.cfgLayout)
        let cfgack = m.outputStream("cfgack", RecordLayout(["status": 8]))
        let seg = m.outputStream("seg", MKeyTranslator.segLayout)
        let pd = m.input("path_pd", width: 24)
        let access = m.input("path_access", width: 3)

        let walker = m.instance("walker", SGWalker())
        let translator = m.instance("translator", MKeyTranslator())
        walker.stream("sge", SGWalker.sgeLayout).connect(from: sge)
        translator.stream("cfg", MKeyTranslator.cfgLayout).connect(from: cfg)
        cfgack.connect(from: translator.stream("cfgack", RecordLayout(["status": 8])))
        seg.connect(from: translator.stream("seg", MKeyTranslator.segLayout))

        let chunk = walker.stream("chunk", SGWalker.chunkLayout)
        let req = translator.stream("req", MKeyTranslator.reqLayout)
        req.valid.drive(chunk.valid)
        chunk.ready.drive(req.ready)
        req.payload.id.drive(chunk.payload.id)
        req.payload.key.drive(mux(chunk.payload.status == 0, chunk.payload.key, m.lit(0, width: 32)))
        req.payload.va.drive(chunk.payload.va)
        req.payload.len.drive(chunk.payload.len)
        req.payload.access.drive(access)
        req.payload.pd.drive(pd)
        // `last` is implied by the operation boundary on the translator side.
        _ = chunk.payload.last
    }
}
