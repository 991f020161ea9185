import AdapterSpec
import Loom

/// `exec_unit` (SPEC 4.1): turns work requests into completion records, payload pieces and
/// packet headers, in `wr` order.
///
/// Stages, each a named piece of code:
/// - **Planner** (`Planner`): the message's packet count and PSNs; `qp_active`.
/// - **Cutter** (`Cutter`): one message at a time; its record, pieces, which packets are
///   sent, its headers and its `lerr` beat.
/// - **Header queue** (`HeaderQueue`): headers wait for their record and their last piece.
/// - **Abort** (`abort_load`): once the pieces cut last are claimed by no header and none can
///   still claim them, one abort beat follows them on `dma`, after the message's headers.
/// Each output stream leaves from a register stage (`post_out`, `dma_out`, `pkt_out`,
/// `lerr_out`). Sustained: one piece and one header per cycle; one message per cycle when
/// it needs no gather or one piece.
public struct ExecUnit: Module {
    public var qps: Int

    public init(qps: Int = 16) { self.qps = qps }

    public var name: String { "exec_unit" }

    public var parameters: [Parameter] {
        [Parameter("QPS", qps, in: 1...256, because: "wr_qp is 8 bits")]
    }

    public func body(_ m: ModuleBuilder) {
        let io = ExecUnitInterface(m.ports(qps: qps))
        let pmtu = PathMTUBits(m, code: io.pmtu.bits), qpError = io.qpError.bits

        let record = m.quietStream("record", RecordLayout(CompletionPost.self).appending(["tag": 3]))
        let piece = m.quietStream("piece", RecordLayout(PayloadPiece.self).appending(["tag": 3, "packet": 24]))
        let header = m.quietStream("header", RecordLayout(PacketHeader.self))
        let lateError = m.quietStream("late_error", LocalError.self)
        let pushed = m.quietStream("header_in", HeaderQueue.layout)
        let postOut = record.stage("post_out"), dmaOut = piece.stage("dma_out"), pktOut = header.stage("pkt_out"), lerrOut = lateError.stage("lerr_out")
        connect(io.post.stream, from: postOut)
        connect(io.dma.stream, from: dmaOut)
        io.pkt.stream.connect(from: pktOut)
        io.lerr.stream.connect(from: lerrOut)

        let planner = Planner(m, qps: qps)
        let cutter = Cutter(m, qps: qps)
        let queue = HeaderQueue(m)
        let unclaimed = m.register("unclaimed", width: 1, reset: 0)
        let ownedByCurrent = m.register("owned_by_current", width: 1, reset: 0)
        let lastCutTag = m.register("last_cut_tag", width: 3, reset: 0)
        let lastCutPacket = m.register("last_cut_packet", width: 24, reset: 0)

        let head = queue.step(pushed: pushed, pkt: header, record: postOut, piece: dmaOut, lastCut: (lastCutTag, lastCutPacket),
                              qpError: qpError, qps: qps, qpIndexWidth: planner.qpIndexWidth)
        let unclaimedNow = m.wire("unclaimed_now", unclaimed & !head.claimsLastPiece)
        let surroundings = Cutter.Surroundings(
            gseg: io.gseg.stream, pmtu: pmtu, qpError: qpError, piece: piece, record: record, lerr: lateError, header: pushed,
            pieceGate: !unclaimedNow | ownedByCurrent,
            recordWaiting: postOut.valid & (postOut.payload.tag == cutter.current.tag) & !postOut.ready,
            lerrBlocks: lerrOut.valid & !lerrOut.ready & (lerrOut.payload.qp == cutter.current.qp),
            queueEmpty: queue.isEmpty, pktTakes: !pktOut.valid | pktOut.ready)
        let actions = cutter.step(surroundings, planner: planner)
        planner.accept(io.wr.stream, pmtu: pmtu, qpError: qpError, handOff: actions.done, posted: postOut.fire, postedQp: postOut.payload.qp)

        // The abort beat (rule 5 and 8).
        let abortLoad = m.wire("abort_load", unclaimedNow & !queue.holdsGather & !(ownedByCurrent & actions.mayClaim)
            & (!pktOut.valid | pktOut.ready) & !head.release & piece.ready & !actions.pieceLoad)
        m.when(abortLoad) {
            piece.offer(["addr": m.lit(0, width: 64), "len": m.lit(0, width: 16), "last": m.true, "abort": m.true,
                         "tag": m.lit(0, width: 3), "packet": m.lit(0, width: 24)])
        }
        m.when(actions.pieceLoad) {
            unclaimed.drive(1)
            ownedByCurrent.drive(1)
            lastCutTag.drive(cutter.current.tag)
            lastCutPacket.drive(cutter.packetsCut)
        }.elsewhen(head.claimsLastPiece | abortLoad) {
            unclaimed.drive(0)
        }
        m.when(actions.done) { ownedByCurrent.drive(0) }

        io.qpActive.bits.drive(cat(planner.posting.reversed().map { $0 != 0 }))
    }

    /// Drives an output stream from a stage whose payload has extra (internal) fields.
    func connect(_ port: Stream, from stage: Stream) {
        port.valid.drive(stage.valid)
        for f in port.layout.fields { port.payload[f.name].drive(stage.payload[f.name]) }
        stage.ready.drive(port.ready)
    }
}
