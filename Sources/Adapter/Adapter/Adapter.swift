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
        let ports = AdapterInterface(.names)
        let translatorPorts = MKeyTranslatorInterface(.names), walkerPorts = SGWalkerInterface(.names)
        let dcPorts = DCInitiatorInterface(.names), execPorts = ExecUnitInterface(.names)
        let enginePorts = CompletionEngineInterface(.names)
        let qps = 16
        let dc = m.instance("initiator", DCInitiator())
        let exec = m.instance("exec", ExecUnit())
        let walker = m.instance("walker", SGWalker())
        let translator = m.instance("translator", MKeyTranslator())
        let engine = m.instance("engine", CompletionEngine(ackTimeout: ackTimeout))

        // Host configuration and completions.
        translator.stream(translatorPorts.cfg).connect(from: m.inputStream(ports.cfg))
        m.outputStream(ports.cfgack).connect(from: translator.stream(translatorPorts.cfgack))
        engine.stream(enginePorts.qpReset).connect(from: m.inputStream(ports.qpReset))
        m.outputStream(ports.cqe).connect(from: engine.stream(enginePorts.cqe))

        // Requests: to the initiator, with the pd of a gathering WR queued for its list.
        let wr = m.inputStream(ports.wr)
        let w = wr.payload
        let wrGathers = m.wire("wr_gathers", ((w.opcode == WQEOpcode.send) | (w.opcode == WQEOpcode.rdmaWrite)) & (w.len != 0)
            & (w.len <= m.lit(1 << 31, width: 32)))
        let pdIn = m.wireStream("pd_in", RecordLayout(["pd": 24]))
        let pds = pdIn.queue("pds", depth: 8)
        let dcWr = dc.stream(dcPorts.wr)
        dcWr.valid.drive(wr.valid & (!wrGathers | pdIn.ready))
        for f in dcWr.layout.fields { dcWr.payload[f.name].drive(w[f.name]) }
        pdIn.valid.drive(wr.valid & wrGathers & dcWr.ready)
        pdIn.payload.pd.drive(w.pd)
        wr.ready.drive(dcWr.ready & (!wrGathers | pdIn.ready))
        exec.stream(execPorts.wr).connect(from: dc.stream(dcPorts.xwr))

        // SG lists: tagged with a list number, walked, translated, gathered.
        let sge = m.inputStream(ports.sge)
        let listNumber = m.register("list_number", width: 8, reset: 0)
        let walkerSge = walker.stream(walkerPorts.sge)
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
        exec.stream(execPorts.gseg).connect(from: gatherSegments.readyCut("gseg_cut").stage("gseg_stage"))
        GatherGlue.build(m, chunks: walker.stream(walkerPorts.chunk).readyCut("chunk_cut"), pds: pds,
                         requests: translator.stream(translatorPorts.req), segments: translator.stream(translatorPorts.seg),
                         gseg: gatherSegments)

        // Payload: pieces to host reads, responses to txd.
        let pkt = exec.stream(execPorts.pkt)
        PayloadPath.build(m, pieces: exec.stream(execPorts.dma), dmaReq: m.outputStream(ports.dmaReq), dmaRsp: m.inputStream(ports.dmaRsp),
                          txd: m.outputStream(ports.txd), claim: m.wire("payload_claimed", pkt.fire & (pkt.payload.len != 0)))

        // Network out: control first, then DATA headers, through one register stage.
        let ctl = dc.stream(dcPorts.ctl)
        let header = m.quietStream("header", TxHeader.self)
        m.outputStream(ports.tx).connect(from: header.stage("tx_out"))
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
        let rx = m.inputStream(ports.rx)
        let ack = engine.stream(enginePorts.ack)
        let connack = dc.stream(dcPorts.connack)
        let isAck = rx.payload.kind == RxKind.ack
        ack.valid.drive(rx.valid & isAck)
        ack.payload.drive(Record(layout: ack.layout, values: [rx.payload.qp, rx.payload.psn, rx.payload.syndrome]))
        connack.valid.drive(rx.valid & !isAck)
        connack.payload.drive(Record(layout: connack.layout, values: [rx.payload.qp, rx.payload.session]))
        rx.ready.drive(mux(isAck, ack.ready, connack.ready))

        // Records and levels.
        engine.stream(enginePorts.post).connect(from: exec.stream(execPorts.post).readyCut("post_cut"))
        engine.stream(enginePorts.lerr).connect(from: exec.stream(execPorts.lerr).readyCut("lerr_cut"))
        exec[execPorts.pmtu.name].drive(m.input(ports.pmtu, width: 3))
        dc[dcPorts.qpFullHandshake.name].drive(m.input(ports.qpFullHandshake, width: qps))
        let qpError = engine[enginePorts.qpError.name], qpBusy = engine[enginePorts.qpBusy.name]
        exec[execPorts.qpError.name].drive(qpError)
        dc[dcPorts.qpError.name].drive(qpError)
        dc[dcPorts.qpBusy.name].drive(qpBusy)
        dc[dcPorts.qpActive.name].drive(exec[execPorts.qpActive.name])
        m.output(ports.qpBusy, width: qps).drive(qpBusy)
        m.output(ports.qpError, width: qps).drive(qpError)
    }
}
