import AdapterSpec
import Loom

/// From the walker's chunks to the exec unit's gather segments (SPEC 4.3 "Host"):
/// - each good chunk becomes a translator request with `LOCAL_READ` and the `pd` of its WR
///   (the head of `pds`, one per gathering WR in WR order, popped at the list's last chunk);
/// - `pending` remembers, per request in flight, whether it was its list's last chunk, and
///   stands for a MALFORMED chunk, which needs no translation;
/// - translator segments become `gseg` beats: `last` on the last segment of the list's last
///   chunk, a translation error as status 0x04; a MALFORMED chunk becomes one beat with
///   status 0x02 and `last`, after the segments of the chunks before it.
struct GatherGlue {
    static let pendingLayout = RecordLayout(["list_last": 1, "malformed": 1])

    static func build(_ m: ModuleBuilder, chunks: Stream, pds: Stream, requests: Stream, segments: Stream, gseg: Stream) {
        let c = chunks.payload
        let malformed = c.status != ChunkStatus.ok
        let pendingIn = m.wireStream("pending_in", pendingLayout)
        let pending = pendingIn.queue("pending", depth: 8)
        // A chunk goes when its WR's pd is known, its note fits, and (unless MALFORMED) the
        // translator takes it.
        let chunkGoes = m.wire("chunk_goes", chunks.valid & pds.valid & pendingIn.ready & (malformed | requests.ready))
        chunks.ready.drive(chunkGoes)
        requests.valid.drive(chunks.valid & pds.valid & pendingIn.ready & !malformed)
        requests.payload.drive(Record(layout: requests.layout, values: [c.id, c.key, c.va, c.len, m.lit(Access.localRead, width: 3), pds.payload.pd]))
        pendingIn.valid.drive(chunkGoes)
        pendingIn.payload.list_last.drive(c.last)
        pendingIn.payload.malformed.drive(malformed)
        pds.ready.drive(chunkGoes & c.last)

        // Segments out, in request order.
        let note = pending.payload
        let s = segments.payload
        m.when(pending.valid & note.malformed) {
            gseg.offer(["addr": m.lit(0, width: 64), "len": m.lit(0, width: 32), "last": m.true, "status": m.lit(Syndrome.localQpOp, width: 8)])
        }.elsewhen(pending.valid & segments.valid) {
            gseg.offer(["addr": s.addr, "len": s.len, "last": s.last & note.list_last,
                        "status": mux(s.status != 0, m.lit(Syndrome.localProt, width: 8), m.lit(0, width: 8))])
        }.otherwise {
            gseg.valid.drive(0)
            for v in gseg.payload.values { v.drive(0) }
        }
        segments.ready.drive(pending.valid & !note.malformed & gseg.ready)
        pending.ready.drive(gseg.fire & (note.malformed | s.last))
    }
}
