import AdapterSpec
import Loom

/// What the front end tells the walk.
struct FrontEnd {
    /// The registered request's key is indirect: the walk starts this cycle.
    let startsWalk: Bits
}

extension MKeyTranslator {
    /// Registers a request, looks up and checks its top key, and answers it or starts the walk.
    func frontEnd(_ m: ModuleBuilder, _ req: Stream, _ tables: KeyTables, _ walk: Walk, _ segment: Stream) -> FrontEnd {
        let s1Valid = m.register("s1_valid", width: 1, reset: 0)
        let s1 = m.registerRecord("s1", RecordLayout(MKeyRequest.self))
        let top = tables.lookup(s1.key, pd: s1.pd, access: s1.access, va: s1.va, len: s1.len, checkPdAndAccess: true, depthFails: nil, name: "top")
        let startsWalk = m.wire("starts_walk", (top.status == 0) & top.entry.indirect & (s1.len != 0))
        let s1Done = m.wire("s1_done", s1Valid & !walk.walking & (startsWalk | segment.ready))
        req.ready.drive(!s1Valid | s1Done)
        m.when(req.fire) {
            s1Valid.drive(1)
            s1.drive(req.payload)
        }.elsewhen(s1Done) { s1Valid.drive(0) }

        let ok = m.lit(TranslationStatus.ok, width: 8)
        m.when(s1Done) {
            m.when(startsWalk) {
                walk.walking.drive(1)
                walk.sp.drive(0)
                walk.open(frame: 0, first: top.klmFirst, count: top.klmCount, offset: s1.va &- top.entry.start, bytes: s1.len)
                walk.wId.drive(s1.id)
                walk.wPd.drive(s1.pd)
                walk.wAccess.drive(s1.access)
                walk.wLeft.drive(s1.len)
            }.elsewhen(top.status != 0) {
                segment.emitFinal(id: s1.id, status: top.status)
            }.elsewhen(s1.len == 0) {
                segment.emitFinal(id: s1.id, status: ok)
            }.otherwise {
                segment.emitSegment(id: s1.id, addr: top.entry.target &+ (s1.va &- top.entry.start), len: s1.len, last: m.true, status: ok)
            }
        }
        return FrontEnd(startsWalk: m.wire("front_starts_walk", s1Done & startsWalk))
    }
}
