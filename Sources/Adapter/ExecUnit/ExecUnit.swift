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

    public func body(_ m: ModuleBuilder) {
        guard m.check(qps >= 1 && qps <= 256, "QPS must be between 1 and 256 (wr_qp is 8 bits), got \(qps)") else { return }
        let ports = ExecUnitInterface(.names)
        let wr = m.inputStream(ports.wr)
        let gseg = m.inputStream(ports.gseg)
        let pmtu = PathMTUBits(m, code: m.input(ports.pmtu, width: 3))
        let qpError = m.input(ports.qpError, width: qps)

        let record = m.quietStream("record", RecordLayout(CompletionPost.self).appending(["tag": 3]))
        let piece = m.quietStream("piece", RecordLayout(PayloadPiece.self).appending(["tag": 3, "packet": 24]))
        let header = m.quietStream("header", RecordLayout(PacketHeader.self))
        let lateError = m.quietStream("late_error", LocalError.self)
        let pushed = m.quietStream("header_in", HeaderQueue.layout)
        let postOut = record.stage("post_out"), dmaOut = piece.stage("dma_out"), pktOut = header.stage("pkt_out"), lerrOut = lateError.stage("lerr_out")
        connect(m.outputStream(ports.post), from: postOut)
        connect(m.outputStream(ports.dma), from: dmaOut)
        m.outputStream(ports.pkt).connect(from: pktOut)
        m.outputStream(ports.lerr).connect(from: lerrOut)

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
            gseg: gseg, pmtu: pmtu, qpError: qpError, piece: piece, record: record, lerr: lateError, header: pushed,
            pieceGate: !unclaimedNow | ownedByCurrent,
            recordWaiting: postOut.valid & (postOut.payload.tag == cutter.current.tag) & !postOut.ready,
            lerrBlocks: lerrOut.valid & !lerrOut.ready & (lerrOut.payload.qp == cutter.current.qp),
            queueEmpty: queue.isEmpty, pktTakes: !pktOut.valid | pktOut.ready)
        let actions = cutter.step(surroundings, planner: planner)
        planner.accept(wr, pmtu: pmtu, qpError: qpError, handOff: actions.done, posted: postOut.fire, postedQp: postOut.payload.qp)

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

        m.output(ports.qpActive, width: qps).drive(cat(planner.posting.reversed().map { $0 != 0 }))
    }

    /// Drives an output stream from a stage whose payload has extra (internal) fields.
    func connect(_ port: Stream, from stage: Stream) {
        port.valid.drive(stage.valid)
        for f in port.layout.fields { port.payload[f.name].drive(stage.payload[f.name]) }
        stage.ready.drive(port.ready)
    }
}
