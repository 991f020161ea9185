import AdapterSpec
import Loom

/// `adapter` (SPEC 4.3): the requester pipeline as one module, its five blocks as instances
/// and the glue between them.
///
/// ```
///  wr ─► (pd ─► pds) ─► dc_initiator ─xwr─► exec_unit ─pkt──┐
///                        │  ctl ─────────────────────────────┼─► tx_out ─► tx
///  sge ─► sg_walker ─► GatherGlue ◄─► mkey_translator         │
///                        └─gseg─► exec_unit ─dma─► PayloadPath ─► dma_req
///                                                 dma_rsp ─►  └─► txd
///  rx ─► ack ─► completion_engine (ACK_TIMEOUT 65536) ─► cqe;  rx ─► connack ─► dc_initiator
/// ```
/// - **Requests.** A `wr` beat goes to the DC initiator; the `pd` of a WR that gathers
///   (SEND/WRITE, `0 < len ≤ 2^31`) is queued for its SG list.
/// - **Gather** (`GatherGlue`), **payload** (`PayloadPath`).
/// - **Network out.** CONNECT/DISCONNECT beats (first) and DATA headers share the register
///   stage `tx_out`.
/// - **Network in.** `rx_kind` 0 goes to the engine's `ack`, 1 to the initiator's `connack`.
/// - **Levels.** The engine's `qp_busy`/`qp_error` reach the initiator and the exec unit,
///   the exec unit's `qp_active` the initiator.
/// - **Ready cuts** (`readyCut`) on `post` and `lerr` (exec unit to engine), on the walker's
///   chunks and on `gseg`: a block's ready is then a register as the next block sees it.
///   `gseg` then passes a register stage too (`gseg_stage`, a cycle).
public struct Adapter: Module {
    /// `ACK_TIMEOUT` of the completion engine (SPEC 4.3: 65536).
    public var ackTimeout: Int

    public init(ackTimeout: Int = 65536) { self.ackTimeout = ackTimeout }

    public var name: String { "adapter" }

    public func body(_ m: ModuleBuilder) {
        let qps = AdapterConfiguration.qps
        let io = AdapterInterface(m.ports(qps: qps))
        let dc = DCInitiatorInterface(m.instance("initiator", DCInitiator()).ports())
        let exec = ExecUnitInterface(m.instance("exec", ExecUnit()).ports())
        let walker = SGWalkerInterface(m.instance("walker", SGWalker()).ports())
        let translator = MKeyTranslatorInterface(m.instance("translator", MKeyTranslator()).ports())
        let engine = CompletionEngineInterface(m.instance("engine", CompletionEngine(ackTimeout: ackTimeout)).ports())

        // Host configuration and completions.
        translator.cfg.stream.connect(from: io.cfg.stream)
        io.cfgack.stream.connect(from: translator.cfgack.stream)
        engine.qpReset.stream.connect(from: io.qpReset.stream)
        io.cqe.stream.connect(from: engine.cqe.stream)

        // Requests: to the initiator, with the pd of a gathering WR queued for its list.
        let wr = io.wr.stream
        let w = wr.payload
        let wrGathers = m.wire("wr_gathers", ((w.opcode == WQEOpcode.send) | (w.opcode == WQEOpcode.rdmaWrite)) & (w.len != 0)
            & (w.len <= m.lit(1 << 31, width: 32)))
        let pdIn = m.wireStream("pd_in", RecordLayout(["pd": 24]))
        let pds = pdIn.queue("pds", depth: 8)
        let dcWr = dc.wr.stream
        dcWr.valid.drive(wr.valid & (!wrGathers | pdIn.ready))
        for f in dcWr.layout.fields { dcWr.payload[f.name].drive(w[f.name]) }
        pdIn.valid.drive(wr.valid & wrGathers & dcWr.ready)
        pdIn.payload.pd.drive(w.pd)
        wr.ready.drive(dcWr.ready & (!wrGathers | pdIn.ready))
        exec.wr.stream.connect(from: dc.xwr.stream)

        // SG lists: tagged with a list number, walked, translated, gathered.
        let sge = io.sge.stream
        let listNumber = m.register("list_number", width: 8, reset: 0)
        let walkerSge = walker.sge.stream
        walkerSge.valid.drive(sge.valid)
        walkerSge.payload.id.drive(listNumber)
        for f in sge.layout.fields { walkerSge.payload[f.name].drive(sge.payload[f.name]) }
        sge.ready.drive(walkerSge.ready)
        m.when(sge.fire & sge.payload.last) { listNumber.drive(listNumber &+ 1) }
        // Ready cuts between the blocks: no combinational path runs from one block's ready
        // logic through another's (the engine's into the exec unit's into the translator's
        // into the walker's); each costs a one-beat skid register, no cycle and no throughput.
        let gatherSegments = m.wireStream("gather_segments", GatherSegment.self)
        // `gseg` also goes through a register stage: the exec unit's cutter starts its long
        // chain from flip-flops, not from the glue's queue and the translator's outputs.
        exec.gseg.stream.connect(from: gatherSegments.readyCut("gseg_cut").stage("gseg_stage"))
        GatherGlue.build(m, chunks: walker.chunk.stream.readyCut("chunk_cut"), pds: pds,
                         requests: translator.req.stream, segments: translator.seg.stream,
                         gseg: gatherSegments)

        // Payload: pieces to host reads, responses to txd.
        let pkt = exec.pkt.stream
        PayloadPath.build(m, pieces: exec.dma.stream, dmaReq: io.dmaReq.stream, dmaRsp: io.dmaRsp.stream,
                          txd: io.txd.stream, claim: m.wire("payload_claimed", pkt.fire & (pkt.payload.len != 0)))

        // Network out: control first, then DATA headers, through one register stage.
        let ctl = dc.ctl.stream
        let header = m.quietStream("header", TxHeader.self)
        io.tx.stream.connect(from: header.stage("tx_out"))
        let c = ctl.payload, h = pkt.payload
        let zero8 = m.lit(0, width: 8), zero32 = m.lit(0, width: 32)
        m.when(ctl.valid) {
            header.offer(["kind": mux(c.kind == ControlKind.connect, m.lit(TxKind.connect, width: 2), m.lit(TxKind.disconnect, width: 2)),
                          "qp": c.qp, "opcode": zero8, "psn": m.lit(0, width: 24), "len": m.lit(0, width: 16), "reth_va": m.lit(0, width: 64),
                          "reth_rkey": zero32, "reth_len": zero32, "dct": c.dct, "dc_key": c.dc_key, "session": c.session])
        }.elsewhen(pkt.valid) {
            header.offer(["kind": m.lit(TxKind.data, width: 2), "qp": h.qp, "opcode": h.opcode, "psn": h.psn, "len": h.len, "reth_va": h.reth_va,
                          "reth_rkey": h.reth_rkey, "reth_len": h.reth_len, "dct": h.dct, "dc_key": h.dc_key, "session": h.session])
        }
        ctl.ready.drive(header.ready)
        pkt.ready.drive(header.ready & !ctl.valid)

        // Network in.
        let rx = io.rx.stream
        let ack = engine.ack.stream
        let connack = dc.connack.stream
        let isAck = rx.payload.kind == RxKind.ack
        ack.valid.drive(rx.valid & isAck)
        ack.payload.drive(Record(layout: ack.layout, values: [rx.payload.qp, rx.payload.psn, rx.payload.syndrome]))
        connack.valid.drive(rx.valid & !isAck)
        connack.payload.drive(Record(layout: connack.layout, values: [rx.payload.qp, rx.payload.session]))
        rx.ready.drive(mux(isAck, ack.ready, connack.ready))

        // Records and levels.
        engine.post.stream.connect(from: exec.post.stream.readyCut("post_cut"))
        engine.lerr.stream.connect(from: exec.lerr.stream.readyCut("lerr_cut"))
        exec.pmtu.bits.drive(io.pmtu.bits)
        dc.qpFullHandshake.bits.drive(io.qpFullHandshake.bits)
        let qpError = engine.qpError.bits, qpBusy = engine.qpBusy.bits
        exec.qpError.bits.drive(qpError)
        dc.qpError.bits.drive(qpError)
        dc.qpBusy.bits.drive(qpBusy)
        dc.qpActive.bits.drive(exec.qpActive.bits)
        io.qpBusy.bits.drive(qpBusy)
        io.qpError.bits.drive(qpError)
    }
}
