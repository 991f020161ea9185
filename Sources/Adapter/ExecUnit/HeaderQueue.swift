import AdapterSpec
import Loom

/// The header queue between the cutter and `pkt` (SPEC 4.1 rules 4, 6 and 8): two entries,
/// each a header with the packet it belongs to. The head goes to `pkt` once its message's
/// record has transferred on `post` and its packet's last piece on `dma` (this cycle counts:
/// the header is offered from the next one). An entry whose QP sees `qp_error` is killed
/// and dropped at the head, never offered.
struct HeaderQueue {
    static let layout = RecordLayout(PacketHeader.self).appending(["needs_piece": 1, "packet": 24, "tag": 3])
    let m: ModuleBuilder
    let valid: [Bits]
    let entries: [Record]
    let killed: [Bits]

    init(_ m: ModuleBuilder) {
        self.m = m
        valid = (0..<2).map { m.register("header_\($0)_valid", width: 1, reset: 0) }
        entries = (0..<2).map { m.registerRecord("header_\($0)", Self.layout) }
        killed = (0..<2).map { m.register("header_\($0)_killed", width: 1, reset: 0) }
    }

    struct Head {
        /// The head goes to `pkt` this cycle.
        let release: Bits
        /// The head's packet claims the piece cut last.
        let claimsLastPiece: Bits
    }

    /// `pushed`: the cutter's header stream (its `ready` is driven here). `record`/`piece`:
    /// the `post` and `dma` output stages with their tags. `lastCut`: the tag and packet of
    /// the piece cut last.
    func step(pushed: Stream, pkt: Stream, record: Stream, piece: Stream, lastCut: (tag: Bits, packet: Bits), qpError: Bits, qps: Int, qpIndexWidth: Int) -> Head {
        func errorOf(_ e: Record) -> Bits { (e.qp < qps) & m.select(bitsOf(qpError), e.qp.resized(to: qpIndexWidth)) }
        let head = entries[0]
        let headKilled = m.wire("head_killed", valid[0] & (killed[0] | errorOf(head)))
        let recordGone = !(record.valid & (record.payload.tag == head.tag) & !record.ready)
        let pieceGone = !head.needs_piece | !(piece.valid & !piece.payload.abort & (piece.payload.tag == head.tag)
            & (piece.payload.packet == head.packet) & !piece.ready)
        let headerRelease = m.wire("header_release", valid[0] & !headKilled & recordGone & pieceGone & pkt.ready)
        let headerPop = m.wire("header_pop", headerRelease | headKilled)
        let headerClaims = m.wire("header_claims", headerRelease & head.needs_piece & (lastCut.tag == head.tag) & (lastCut.packet == head.packet))
        m.when(headerRelease) {
            pkt.valid.drive(1)
            for f in RecordLayout(PacketHeader.self).fields { pkt.payload[f.name].drive(head[f.name]) }
        }
        // Room when an entry is free after this cycle's pop.
        pushed.ready.drive(!valid[1] | headerPop)

        // Shift on pop, then append the pushed entry in the first free place.
        let stays1 = valid[1] & !headerPop
        let after0Valid = mux(headerPop, valid[1], valid[0])
        m.when(headerPop) {
            entries[0].drive(entries[1])
            killed[0].drive(killed[1] | errorOf(entries[1]))
        }.otherwise {
            killed[0].drive(killed[0] | errorOf(entries[0]))
        }
        killed[1].drive(killed[1] | errorOf(entries[1]))
        valid[0].drive(after0Valid | pushed.fire)
        valid[1].drive(stays1 | (after0Valid & pushed.fire))
        m.when(pushed.fire) {
            m.when(!after0Valid) {
                entries[0].drive(pushed.payload)
                killed[0].drive(0)
            }.otherwise {
                entries[1].drive(pushed.payload)
                killed[1].drive(0)
            }
        }
        return Head(release: headerRelease, claimsLastPiece: headerClaims)
    }

    /// Some entry's packet still has pieces to claim.
    var holdsGather: Bits { (valid[0] & entries[0].needs_piece) | (valid[1] & entries[1].needs_piece) }
    var isEmpty: Bits { !valid[0] }
}
