import AdapterSpec
import Loom

/// From the exec unit's pieces to `txd` (SPEC 4.3 "Host memory", "Network out"):
/// - **Reads.** Each piece (not an abort) is a `dma_req`; every `dma` beat, aborts too, leaves
///   a note (`piece_info`) for the assembler.
/// - **Assembler.** `dma_rsp` beats are packed into 8-byte words, a packet's first byte at a
///   word's byte 0, into a 4096-word packet buffer (block RAM). A finished packet's place is
///   queued (`slot_start`, `slot_words`: 8 entries). An abort note drops the finished packets no header has
///   claimed and the unfinished one: the buffer's write point goes back.
/// - **Reader.** A packet is claimed when its DATA header (with `len > 0`) leaves the exec
///   unit; claimed packets are read out in order, one word a cycle, as `txd` beats. Claims
///   are counted (`claims_total`); an abort note carries the count at its arrival, so the
///   reader never takes a packet that an abort still to come will drop.
/// The exec unit keeps its unclaimed pieces within a few packets, which the buffer holds.
struct PayloadPath {
    static let noteLayout = RecordLayout(["len": 16, "last": 1, "abort": 1])
    static let bufferWords = 4096
    static let packetSlots = 8

    static func build(_ m: ModuleBuilder, pieces: Stream, dmaReq: Stream, dmaRsp: Stream, txd: Stream, claim: Bits) {
        // Reads and notes.
        let p = pieces.payload
        let noteIn = m.wireStream("note_in", noteLayout)
        let notes = noteIn.queue("piece_info", depth: 16)
        let read = m.quietStream("read", HostRead.self)
        dmaReq.connect(from: read.stage("dma_req_out"))
        // An abort note also records how many packets had been claimed when it came: the
        // packets finished after those are the ones it drops, however far claims have moved on
        // by the time the assembler reaches it.
        let claimsTotal = m.register("claims_total", width: 16, reset: 0)
        let abortClaimsIn = m.wireStream("abort_claims_in", RecordLayout(["claims": 16]))
        let abortClaims = abortClaimsIn.queue("abort_claims", depth: 4)
        let pieceGoes = m.wire("piece_goes", pieces.valid & noteIn.ready & mux(p.abort, abortClaimsIn.ready, read.ready))
        abortClaimsIn.valid.drive(pieceGoes & p.abort)
        abortClaimsIn.payload.claims.drive(claimsTotal &+ mux(claim, m.lit(1, width: 16), m.lit(0, width: 16)))
        pieces.ready.drive(pieceGoes)
        noteIn.valid.drive(pieceGoes)
        noteIn.payload.drive(Record(layout: noteLayout, values: [p.len, p.last, p.abort]))
        m.when(pieceGoes & !p.abort) { read.offer(["addr": p.addr, "len": p.len]) }

        // Assembler state.
        let addressWidth = addressBits(bufferWords), slotWidth = addressBits(packetSlots)
        let packetBuffer = m.memory("packet_buffer", depth: bufferWords, width: 64)
        let acc = m.register("acc", width: 64, reset: 0)
        let fill = m.register("fill", width: 3, reset: 0)
        let pieceLeft = m.register("piece_left", width: 16, reset: 0)
        let pieceStarted = m.register("piece_started", width: 1, reset: 0)
        let flushPending = m.register("flush_pending", width: 1, reset: 0)
        let writePoint = m.register("write_point", width: addressWidth, reset: 0)
        let packetStart = m.register("packet_start", width: addressWidth, reset: 0)
        let slotStart = m.registers("slot_start", count: packetSlots, width: addressWidth)
        let slotWords = m.registers("slot_words", count: packetSlots, width: 10)
        let slotHead = m.register("slot_head", width: slotWidth, reset: 0)
        let slotTail = m.register("slot_tail", width: slotWidth, reset: 0)
        let slotCount = m.register("slot_count", width: slotWidth + 1, reset: 0)
        let readTotal = m.register("read_total", width: 16, reset: 0)
        let readPoint = m.register("read_point", width: addressWidth, reset: 0)

        let note = notes.payload
        let bufferRoom = m.wire("buffer_room", (writePoint &- readPoint) != (bufferWords - 1))
        let slotRoom = slotCount != packetSlots

        // An abort note: drop the finished packets beyond those claimed before it, and the
        // unfinished one.
        let aborting = m.wire("aborting", notes.valid & note.abort & !flushPending)
        let dropped = m.wire("dropped", (readTotal &+ slotCount.zeroExtended(to: 16) &- abortClaims.payload.claims).truncated(to: slotWidth + 1))
        abortClaims.ready.drive(aborting)
        let keptTail = slotTail &- dropped.truncated(to: slotWidth)
        let rewind = mux(dropped != 0, m.select(slotStart, keptTail), packetStart)

        // A data beat into the current piece.
        let left = mux(pieceStarted, pieceLeft, note.len)
        let take = m.wire("take", mux(left < 8, left.truncated(to: 4), m.lit(8, width: 4)))
        let pieceDone = left <= 8
        let packetEnds = pieceDone & note.last
        let packing = m.wire("packing", notes.valid & !note.abort & !flushPending & dmaRsp.valid & bufferRoom & (!packetEnds | slotRoom))
        let byteMask = (m.lit(1, width: 65) << cat(take, m.lit(0, width: 3))) &- 1
        let fresh = dmaRsp.payload.data & byteMask.truncated(to: 64)
        let combined = acc.zeroExtended(to: 128) | (fresh.zeroExtended(to: 128) << cat(fill, m.lit(0, width: 3)))
        let total = fill.zeroExtended(to: 4) &+ take
        let fullWord = total >= 8
        let rest = mux(fullWord, total &- 8, total)
        // A packet ending with 1 to 7 bytes in hand writes them now; with more than 8 it
        // writes 8 now and the rest next cycle (`flush_pending`).
        let writesPartial = packetEnds & !fullWord
        let packWrites = packing & (fullWord | writesPartial)
        let flushing = m.wire("flushing", flushPending & bufferRoom & slotRoom)
        let bufferWrites = m.wire("buffer_writes", packWrites | flushing)
        packetBuffer.write(writePoint, mux(flushing, acc, combined.truncated(to: 64)), enable: bufferWrites)
        let afterWrite = writePoint &+ 1
        let packetFinishes = m.wire("packet_finishes", flushing | (packing & packetEnds & ((rest.truncated(to: 3) == 0) | writesPartial)))
        dmaRsp.ready.drive(packing)
        notes.ready.drive(aborting | (packing & pieceDone))

        // Reader.
        let reading = m.register("reading", width: 1, reset: 0)
        let readLeft = m.register("read_left", width: 10, reset: 0)
        let fetchValid = m.register("fetch_valid", width: 1, reset: 0)
        let fetchLast = m.register("fetch_last", width: 1, reset: 0)
        let out = m.quietStream("payload", DataBeat.self)
        txd.connect(from: out.stage("txd_out"))
        let wordsLeft = mux(reading, readLeft, m.select(slotWords, slotHead))
        // The head packet is claimed when a claim beyond those read exists, and no abort still
        // on its way could drop it.
        let headClaimed = reading | ((claimsTotal != readTotal) & (!abortClaims.valid | (abortClaims.payload.claims != readTotal)))
        let readIssue = m.wire("read_issue", (slotCount != 0) & headClaimed & (!fetchValid | out.ready))
        let lastWord = wordsLeft == 1
        let data = packetBuffer.read(readPoint, enable: readIssue, name: "packet_word")
        m.when(fetchValid) { out.offer(["data": data, "last": fetchLast]) }
        m.when(readIssue) {
            readPoint.drive(readPoint &+ 1)
            readLeft.drive(wordsLeft &- 1)
            reading.drive(!lastWord)
            fetchLast.drive(lastWord)
        }
        fetchValid.drive(readIssue | (fetchValid & !out.ready))
        let packetRead = m.wire("packet_read", readIssue & lastWord)

        // Assembler registers.
        m.when(aborting) {
            acc.drive(0)
            fill.drive(0)
            pieceStarted.drive(0)
            writePoint.drive(rewind)
            packetStart.drive(rewind)
        }.elsewhen(flushing) {
            acc.drive(0)
            fill.drive(0)
            flushPending.drive(0)
            writePoint.drive(afterWrite)
            packetStart.drive(afterWrite)
        }.elsewhen(packing) {
            acc.drive(mux(writesPartial, m.lit(0, width: 64), mux(fullWord, combined[127, 64], combined.truncated(to: 64))))
            fill.drive(mux(writesPartial, m.lit(0, width: 3), rest.truncated(to: 3)))
            flushPending.drive(packetEnds & fullWord & (rest != 0))
            pieceLeft.drive(left &- take.zeroExtended(to: 16))
            pieceStarted.drive(!pieceDone)
            m.when(packWrites) { writePoint.drive(afterWrite) }
            m.when(packetFinishes) { packetStart.drive(afterWrite) }
        }
        // The packet queue: finished packets in, read packets out, dropped ones cut off.
        let packetWords = (afterWrite &- packetStart).truncated(to: 10)
        for k in 0..<packetSlots {
            m.when(packetFinishes & (slotTail == k)) {
                slotStart[k].drive(packetStart)
                slotWords[k].drive(packetWords)
            }
        }
        slotTail.drive(mux(aborting, keptTail, mux(packetFinishes, slotTail &+ 1, slotTail)))
        m.when(packetRead) { slotHead.drive(slotHead &+ 1) }
        let countAfterDrop = mux(aborting, slotCount &- dropped, slotCount)
        slotCount.drive(countAfterDrop &+ mux(packetFinishes, m.lit(1, width: slotWidth + 1), m.lit(0, width: slotWidth + 1))
            &- mux(packetRead, m.lit(1, width: slotWidth + 1), m.lit(0, width: slotWidth + 1)))
        m.when(claim) { claimsTotal.drive(claimsTotal &+ 1) }
        m.when(packetRead) { readTotal.drive(readTotal &+ 1) }
    }
}
