import AdapterSpec
import Loom

extension SGWalker {
    /// Stage 4: joins visits into the open chunk and sends chunks through the output stage.
    func coalesce(_ m: ModuleBuilder, _ visits: Stream) -> Stream {
        let open = m.registerRecord("open", RecordLayout(["valid": 1, "key": 32, "va": 64, "len": 32, "id": 8]))
        let openValid = open.valid, openKey = open.key, openVa = open.va, openLen = open.len, openId = open.id
        let visit = visits.payload
        let flushPending = m.register("flush_pending", width: 1, reset: 0)
        // Chunks leave through one register stage.
        let chunks = m.quietStream("chunks", SGChunk.self)
        let slotFree = chunks.ready

        let openEnd = m.wire("open_end", openVa + openLen.zeroExtended(to: 64))
        let joinedLen = m.wire("joined_len", openLen + visit.len)
        let joins = m.wire("joins", openValid & !flushPending & (visit.key == openKey) & !openEnd[64] & (openEnd[63, 0] == visit.va) & !joinedLen[32])
        // While the previous operation's last chunk leaves, the next operation's first visit
        // may already open a chunk (it needs no output slot), so operations follow without a gap.
        let opensDuringFlush = m.wire("opens_during_flush", flushPending & slotFree & !visit.ends_op & !visit.error)
        let needsSlot = m.wire("needs_slot", visit.error | (joins & visit.ends_op) | (!joins & openValid) | (!joins & !openValid & visit.ends_op))
        visits.ready.drive(mux(flushPending, opensDuringFlush, !needsSlot | slotFree))

        let ok = m.lit(ChunkStatus.ok, width: 8)
        func put(id: Bits, key: Bits, va: Bits, len: Bits, last: Bits, status: Bits) {
            chunks.offer(["id": id, "key": key, "va": va, "len": len, "last": last, "status": status])
        }
        func openChunk() {
            openValid.drive(1)
            openKey.drive(visit.key)
            openVa.drive(visit.va)
            openLen.drive(visit.len)
            openId.drive(visit.id)
        }
        m.when(flushPending) {
            m.when(slotFree) {
                put(id: openId, key: openKey, va: openVa, len: openLen, last: m.true, status: ok)
                openValid.drive(0)
                flushPending.drive(0)
            }
            m.when(visits.fire) { openChunk() }
        }.elsewhen(visits.fire) {
            m.when(visit.error) {
                put(id: visit.id, key: m.lit(0, width: 32), va: m.lit(0, width: 64), len: m.lit(0, width: 32), last: m.true,
                    status: m.lit(ChunkStatus.malformed, width: 8))
                openValid.drive(0)
            }.elsewhen(joins) {
                m.when(visit.ends_op) {
                    put(id: openId, key: openKey, va: openVa, len: joinedLen.truncated(to: 32), last: m.true, status: ok)
                    openValid.drive(0)
                }.otherwise { openLen.drive(joinedLen.truncated(to: 32)) }
            }.otherwise {
                m.when(openValid) {
                    put(id: openId, key: openKey, va: openVa, len: openLen, last: m.false, status: ok)
                }
                m.when(openValid | !visit.ends_op) {
                    openChunk()
                    m.when(visit.ends_op) { flushPending.drive(1) }
                }.otherwise {
                    put(id: visit.id, key: visit.key, va: visit.va, len: visit.len, last: m.true, status: ok)
                }
            }
        }
        return chunks.stage("chunk_out")
    }
}
