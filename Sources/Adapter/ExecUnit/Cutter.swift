import AdapterSpec
import Loom

/// The cutter: one message at a time (SPEC 4.1 rules 3 to 8, 10).
/// - **Record.** Posted as soon as its status is known: at once without a gather, else when
///   the first packet is known to be sent (its last piece cut, and for a one-packet message
///   the list's end seen) or the failure point is found in it; 0x05 when the QP is in ERROR
///   first.
/// - **Pieces.** One per cycle from the `gseg` head: up to the end of the segment, the packet
///   or the message. A segment with a bad status, a `last` segment ending short and a list
///   running past `len` set the failure point; afterwards the rest of the list is consumed
///   without pieces. A message's first piece waits until no older message's piece is
///   unclaimed (so its abort beat can still come first); a piece waits while two finished
///   packets have no header pushed yet.
/// - **Headers.** Packet `k` is pushed into the header queue once it is known to be sent,
///   in order, after the record.
/// - **`lerr`.** A message that sent packets and then failed keeps the cutter until its
///   headers and record have transferred, then loads its `lerr` beat.
/// The message leaves when its record, list, headers and `lerr` are done; the next one is
/// taken in the same cycle.
struct Cutter {
    static let layout = Planner.layout.appending(["tag": 3])
    let m: ModuleBuilder
    let qps: Int
    let valid: Bits
    let current: Record
    /// The message's bytes not yet cut, the offset into the `gseg` head and the packets cut.
    let messageLeft: Bits, segOffset: Bits, packetsCut: Bits
    /// Kept a cycle ahead so that the cut decision is one compare of `gseg_len` against a
    /// register: the bytes the packet being cut can still take (`min(room, message_left)`),
    /// whether they end the message, and `seg_offset + packet_left` (33 bits: no wrap).
    let packetLeft: Bits, packetLeftEndsMessage: Bits, segLimit: Bits
    /// `seg_offset == 0`, kept beside it.
    let segAtStart: Bits
    let listDone: Bits, clean: Bits, failed: Bits, failSyndrome: Bits, failPacket: Bits
    let recordDone: Bits, recordOk: Bits, headersPushed: Bits, headerBytesLeft: Bits, lerrDone: Bits
    let nextTag: Bits

    init(_ m: ModuleBuilder, qps: Int) {
        self.m = m
        self.qps = qps
        valid = m.register("cur_valid", width: 1, reset: 0)
        current = m.registerRecord("current", Self.layout)
        messageLeft = m.register("message_left", width: 32, reset: 0)
        segOffset = m.register("seg_offset", width: 32, reset: 0)
        packetsCut = m.register("packets_cut", width: 24, reset: 0)
        packetLeft = m.register("packet_left", width: 13, reset: 0)
        packetLeftEndsMessage = m.register("packet_left_ends_message", width: 1, reset: 0)
        segLimit = m.register("seg_limit", width: 33, reset: 0)
        segAtStart = m.register("seg_at_start", width: 1, reset: 1)
        listDone = m.register("list_done", width: 1, reset: 0)
        clean = m.register("clean", width: 1, reset: 0)
        failed = m.register("failed", width: 1, reset: 0)
        failSyndrome = m.register("fail_syndrome", width: 8, reset: 0)
        failPacket = m.register("fail_packet", width: 24, reset: 0)
        recordDone = m.register("record_done", width: 1, reset: 0)
        recordOk = m.register("record_ok", width: 1, reset: 0)
        headersPushed = m.register("headers_pushed", width: 24, reset: 0)
        headerBytesLeft = m.register("header_bytes_left", width: 32, reset: 0)
        lerrDone = m.register("lerr_done", width: 1, reset: 0)
        nextTag = m.register("next_tag", width: 3, reset: 0)
    }

    /// What the rest of the unit tells the cutter this cycle.
    struct Surroundings {
        let gseg: Stream
        let pmtu: PathMTUBits
        let qpError: Bits
        let piece: Stream, record: Stream, lerr: Stream
        let header: Stream
        /// No older message's piece is unclaimed (or this message owns them).
        let pieceGate: Bits
        /// The record of the current message is still waiting on `post`.
        let recordWaiting: Bits
        /// A `lerr` beat of the current QP waits on `lerr`.
        let lerrBlocks: Bits
        let queueEmpty: Bits
        let pktTakes: Bits
    }

    /// What the cutter did this cycle.
    struct Actions {
        let done: Bits
        let pieceLoad: Bits
        let pieceEndsPacket: Bits
        /// From registers: the current message may still push a header that claims pieces.
        let mayClaim: Bits
    }

    func step(_ s: Surroundings, planner: Planner) -> Actions {
        let c = current
        let len = c.len
        let qpIndex = c.qp.resized(to: planner.qpIndexWidth)
        let inRange = c.qp < qps
        let killedNow = m.wire("killed_now", c.killed | (inRange & m.select(bitsOf(s.qpError), qpIndex)))
        let gathers = c.gathers, sends = c.sends
        let regFinal = mux(failed, failPacket, c.packets)
        let mayClaim = m.wire("may_claim", valid & gathers & sends & !c.killed & !((failed | clean) & (headersPushed == regFinal)))

        // Gather: one segment head per cycle, cut or consumed.
        let seg = s.gseg.payload
        let gatherWorking = m.wire("gather_working", valid & gathers & !listDone & s.gseg.valid)
        let overrunning = messageLeft == 0
        let gatherDead = m.wire("gather_dead", failed | killedNow | !sends | overrunning)
        // While the walk is live, seg_offset <= gseg_len, so the cut (the least of the segment's,
        // the packet's and the message's bytes left) is decided by comparing gseg_len with
        // seg_limit = seg_offset + packet_left; the subtraction only feeds the piece's length.
        let segLeft = seg.len &- segOffset
        let segLen = seg.len.zeroExtended(to: 33)
        let endsSeg = m.wire("ends_seg", segLen <= segLimit)
        let endsPacket = m.wire("ends_packet", segLimit <= segLen)
        let messageEnds = packetLeftEndsMessage & endsPacket
        let cutLength = m.wire("cut_length", mux(endsSeg, segLeft, packetLeft.zeroExtended(to: 32)))
        // A zero-length segment (bad input: SPEC 4.1 rule 4 says len >= 1) is consumed without
        // a piece; as the list's last it ends the list short. (Live, a segment has bytes left
        // whenever seg_offset is not 0.)
        let segEmpty = segAtStart & (seg.len == 0)
        let emptySegment = m.wire("empty_segment", gatherWorking & !gatherDead & (seg.status == 0) & segEmpty)
        let cutting = gatherWorking & !gatherDead & (seg.status == 0) & !segEmpty
        // At most one finished packet waits for its header push, so the pieces no header has
        // claimed stay within a few packets (the adapter's payload buffer holds them).
        let lead = (packetsCut &- headersPushed) <= 1
        let pieceLoad = m.wire("piece_load", cutting & s.piece.ready & s.pieceGate & lead)
        let badSegment = gatherWorking & !gatherDead & (seg.status != 0)
        let gsegConsumes = m.wire("gseg_consumes", (gatherWorking & gatherDead) | badSegment | emptySegment | (pieceLoad & (endsSeg | messageEnds)))
        s.gseg.ready.drive(gsegConsumes)

        // Next values of the progress registers.
        let nxMessageLeft = m.wire("nx_message_left", mux(pieceLoad, messageLeft &- cutLength, messageLeft))
        // Packet counts the decision picks among, each compared with headers_pushed up front.
        func count(_ value: Bits) -> PacketCount { PacketCount(value, headers: headersPushed) }
        let all = count(c.packets), allButLast = count(c.packets &- 1)
        let cutSoFar = count(packetsCut), cutWithThis = count(packetsCut &+ 1)
        let cutsPacket = pieceLoad & endsPacket
        let nxPacketsCut = PacketCount.choose(cutsPacket, cutWithThis, otherwise: cutSoFar)
        let cutsAll = mux(cutsPacket, (packetsCut &+ 1) == c.packets, packetsCut == c.packets)
        let beyondLenStatus = gatherWorking & gatherDead & !failed & !killedNow & sends & (seg.status != 0)
        let endsShort = pieceLoad & endsSeg & seg.last & !messageEnds
        let nxClean = m.wire("nx_clean", clean | (pieceLoad & messageEnds & endsSeg & seg.last))
        let nxListDone = m.wire("nx_list_done", listDone | (gsegConsumes & seg.last))
        let emptyEnds = emptySegment & seg.last
        let failsNow = badSegment | beyondLenStatus | endsShort | emptyEnds
        // Every byte is cut after this cycle: a piece that ends the message, or none left before.
        let allCut = mux(pieceLoad, messageEnds, overrunning)
        let overrunEnds = gsegConsumes & seg.last & !failed & !failsNow & !nxClean & !killedNow & sends & allCut
        let nxFailed = m.wire("nx_failed", failed | failsNow | overrunEnds)
        let nxFailPacket = PacketCount.choose(failed, count(failPacket), otherwise: PacketCount.choose(badSegment | emptyEnds, cutSoFar,
            otherwise: PacketCount.choose(beyondLenStatus, all, otherwise: PacketCount.choose(endsShort, nxPacketsCut, otherwise: allButLast))))
        let nxFailSyndrome = m.wire("nx_fail_syndrome", mux(failed, failSyndrome,
            mux(badSegment | beyondLenStatus, seg.status, m.lit(Syndrome.localLength, width: 8))))
        let resolved = m.wire("resolved", !sends | !gathers | nxFailed | nxClean)
        let finalPackets = PacketCount.choose(!sends, count(m.lit(0, width: 24)), otherwise: PacketCount.choose(!gathers, count(m.lit(1, width: 24)),
            otherwise: PacketCount.choose(nxFailed, nxFailPacket, otherwise: all)))
        let sendable = PacketCount.choose(killedNow, PacketCount.headers(headersPushed, m),
            otherwise: PacketCount.choose(resolved, finalPackets, otherwise: PacketCount.choose(cutsAll, allButLast, otherwise: nxPacketsCut)))

        // The record.
        let status = mux(!inRange, m.lit(Syndrome.localQpOp, width: 8), mux(killedNow, m.lit(Syndrome.flush, width: 8),
            mux(c.pre_status != 0, c.pre_status, mux(!gathers | sendable.isNonzero, m.lit(0, width: 8), nxFailSyndrome))))
        let statusKnown = !inRange | killedNow | (c.pre_status != 0) | !gathers | sendable.isNonzero | (resolved & !finalPackets.isNonzero)
        let recordLoad = m.wire("record_load", valid & !recordDone & statusKnown & s.record.ready & !s.lerrBlocks)
        m.when(recordLoad) {
            s.record.offer(["qp": c.qp, "wqe": c.wqe, "opcode": c.opcode, "signaled": c.signaled,
                            "psn": mux(inRange, c.first_psn &+ c.packets &- 1, m.lit(0, width: 24)), "bytes": len, "status": status,
                            "tag": c.tag])
        }
        let nxRecordDone = recordDone | recordLoad
        let nxRecordOk = mux(recordLoad, status == 0, recordOk)

        // The next header.
        let headerPush = m.wire("header_push", valid & !killedNow & nxRecordDone & sendable.exceedsHeaders & s.header.ready)
        let allHeadersPushed = m.wire("all_headers_pushed", finalPackets.equalsHeaders(after: headerPush))
        let k = headersPushed
        let isRead = c.opcode == WQEOpcode.rdmaRead, isWrite = c.opcode == WQEOpcode.rdmaWrite
        let only = mux(isWrite, m.lit(PacketOpcode.writeOnly, width: 8), m.lit(PacketOpcode.sendOnly, width: 8))
        let first = mux(isWrite, m.lit(PacketOpcode.writeFirst, width: 8), m.lit(PacketOpcode.sendFirst, width: 8))
        let lastOp = mux(isWrite, m.lit(PacketOpcode.writeLast, width: 8), m.lit(PacketOpcode.sendLast, width: 8))
        let middle = mux(isWrite, m.lit(PacketOpcode.writeMiddle, width: 8), m.lit(PacketOpcode.sendMiddle, width: 8))
        let opcode = mux(isRead, m.lit(PacketOpcode.readRequest, width: 8),
                         mux(c.packets == 1, only, mux(k == 0, first, mux(k == c.packets &- 1, lastOp, middle))))
        let packetLen = minimum(s.pmtu.bytes.zeroExtended(to: 32), headerBytesLeft)
        let reth = isRead | (isWrite & (k == 0))
        m.when(headerPush) {
            s.header.offer(["qp": c.qp, "opcode": opcode, "psn": c.first_psn &+ k, "len": mux(isRead, m.lit(0, width: 16), packetLen.truncated(to: 16)),
                            "reth_va": mux(reth, c.raddr, m.lit(0, width: 64)), "reth_rkey": mux(reth, c.rkey, m.lit(0, width: 32)),
                            "reth_len": mux(reth, len, m.lit(0, width: 32)), "dct": c.dct, "dc_key": c.dc_key, "session": c.session,
                            "needs_piece": gathers, "packet": k, "tag": c.tag])
        }
        let nxHeadersPushed = mux(headerPush, k &+ 1, k)

        // The local error after the post (rule 7).
        let wantsLerr = m.wire("wants_lerr", nxFailed & nxRecordOk & !killedNow)
        let lerrLoad = m.wire("lerr_load", valid & wantsLerr & !lerrDone & s.queueEmpty & !headerPush & allHeadersPushed & s.pktTakes
            & recordDone & !s.recordWaiting & s.lerr.ready)
        m.when(lerrLoad) { s.lerr.offer(["qp": c.qp, "syndrome": nxFailSyndrome]) }
        let nxLerrDone = lerrDone | lerrLoad

        let cutterDone = m.wire("cutter_done", !valid | (nxRecordDone & (!gathers | nxListDone) & (killedNow | (resolved & allHeadersPushed))
            & (!wantsLerr | nxLerrDone)))

        // The kept cut operands after this cycle's piece. A piece that ends its packet cut all of
        // packet_left, so the next packet starts from registers alone; one that ends only its
        // segment took segLeft from packet room and message alike.
        let messageAfterPacket = messageLeft &- packetLeft.zeroExtended(to: 32)
        let pmtuBytes = s.pmtu.bytes.zeroExtended(to: 32)
        let nextPacketEndsMessage = messageAfterPacket <= pmtuBytes
        let nextPacketLeft = mux(nextPacketEndsMessage, messageAfterPacket, pmtuBytes).truncated(to: 13)
        let nxPacketLeft = mux(pieceLoad, mux(endsPacket, nextPacketLeft, packetLeft &- segLeft.truncated(to: 13)), packetLeft)
        let nxSegLimit = mux(pieceLoad, mux(endsSeg, m.lit(0, width: 33), segLimit) &+ nxPacketLeft.zeroExtended(to: 33), segLimit)

        m.when(pieceLoad) {
            s.piece.offer(["addr": seg.addr &+ segOffset.zeroExtended(to: 64), "len": cutLength.truncated(to: 16), "last": endsPacket,
                           "abort": m.false, "tag": c.tag, "packet": packetsCut])
        }

        // Registers: the next message on `done`, else this cycle's progress.
        m.when(cutterDone) {
            valid.drive(planner.valid)
            m.when(planner.valid) {
                let p = planner.plan
                for field in Planner.layout.fields where field.name != "killed" { current[field.name].drive(p[field.name]) }
                current.killed.drive(p.killed | ((p.qp < qps) & m.select(bitsOf(s.qpError), p.qp.resized(to: planner.qpIndexWidth))))
                current.tag.drive(nextTag)
                nextTag.drive(nextTag &+ 1)
                headerBytesLeft.drive(p.len)
                messageLeft.drive(p.len)
                let startsWithMessage = p.len <= pmtuBytes
                let firstPacketLeft = mux(startsWithMessage, p.len, pmtuBytes).truncated(to: 13)
                packetLeft.drive(firstPacketLeft)
                packetLeftEndsMessage.drive(startsWithMessage)
                segLimit.drive(firstPacketLeft.zeroExtended(to: 33))
            }.otherwise {
                segLimit.drive(packetLeft.zeroExtended(to: 33))
            }
            segAtStart.drive(1)
            for r in [segOffset, packetsCut, listDone, clean, failed, failSyndrome, failPacket, recordDone, recordOk, headersPushed, lerrDone] {
                r.drive(0)
            }
        }.otherwise {
            m.when(killedNow) { current.killed.drive(1) }
            messageLeft.drive(nxMessageLeft)
            m.when(pieceLoad) {
                segOffset.drive(mux(endsSeg, m.lit(0, width: 32), segOffset &+ cutLength))
                segAtStart.drive(endsSeg)
            }
            packetsCut.drive(nxPacketsCut.value)
            packetLeft.drive(nxPacketLeft)
            segLimit.drive(nxSegLimit)
            m.when(pieceLoad & endsPacket) { packetLeftEndsMessage.drive(nextPacketEndsMessage) }
            listDone.drive(nxListDone)
            clean.drive(nxClean)
            failed.drive(nxFailed)
            failPacket.drive(nxFailPacket.value)
            failSyndrome.drive(nxFailSyndrome)
            recordDone.drive(nxRecordDone)
            recordOk.drive(nxRecordOk)
            headersPushed.drive(nxHeadersPushed)
            m.when(headerPush) { headerBytesLeft.drive(headerBytesLeft &- packetLen) }
            lerrDone.drive(nxLerrDone)
        }
        return Actions(done: cutterDone, pieceLoad: pieceLoad, pieceEndsPacket: endsPacket, mayClaim: mayClaim)
    }
}

/// The smaller of two values of one width.
func minimum(_ a: Bits, _ b: Bits) -> Bits { mux(a < b, a, b) }
