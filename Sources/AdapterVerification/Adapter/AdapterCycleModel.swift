import AdapterModel
import LoomCosim

/// The `adapter`'s ports placed in the packed word arrays.
public typealias AdapterPorts = AdapterInterface<PackedWords>

/// A cycle model of the `adapter`: the five blocks' cycle models wired as the RTL wires them,
/// with models of the glue (`Adapter`, `GatherGlue`, `PayloadPath`) as documented there.
/// Each cycle it reads every block's registered outputs, computes the glue's readies in the
/// order the combinational paths run (engine, exec unit, initiator, translator, walker), then
/// steps every block once and the glue's registers.
public final class AdapterCycleModel: CycleModel {
    /// A first-in first-out queue as `Stream.queue` builds it (registered both ways).
    struct Queue<T> {
        let depth: Int
        var items: [T] = []
        var ready: Bool { items.count < depth }
        var head: T? { items.first }
    }

    let ports: AdapterPorts
    let rst: Int
    // The state below is read and written only by `cycle` and `resetGlue`, never lent out
    // across a call: a dynamic exclusivity check on every access would cost the hot loop
    // for nothing.
    @exclusivity(unchecked) var engine = CompletionEngineModel(ackTimeout: 65536)
    @exclusivity(unchecked) var exec = ExecUnitModel()
    @exclusivity(unchecked) var initiator = DCInitiatorModel()
    @exclusivity(unchecked) var translator = MKeyTranslatorModel()
    @exclusivity(unchecked) var walker = SGWalkerModel()
    // Glue state.
    @exclusivity(unchecked) var pds = Queue<UInt32>(depth: 8)
    @exclusivity(unchecked) var listNumber: UInt8 = 0
    @exclusivity(unchecked) var pending = Queue<(listLast: Bool, malformed: Bool)>(depth: 8)
    @exclusivity(unchecked) var notes = Queue<(len: UInt16, last: Bool, abort: Bool)>(depth: 16)
    @exclusivity(unchecked) var abortClaims = Queue<UInt16>(depth: 4)
    @exclusivity(unchecked) var readValid = false, read = HostRead()
    @exclusivity(unchecked) var claimsTotal: UInt16 = 0, readTotal: UInt16 = 0
    @exclusivity(unchecked) var buffer = [UInt64](repeating: 0, count: 4096)
    @exclusivity(unchecked) var acc: UInt64 = 0, fill = 0, pieceLeft: UInt16 = 0, pieceStarted = false, flushPending = false
    @exclusivity(unchecked) var writePoint = 0, packetStart = 0, readPoint = 0
    @exclusivity(unchecked) var slotStart = [Int](repeating: 0, count: 8), slotWords = [Int](repeating: 0, count: 8)
    @exclusivity(unchecked) var slotHead = 0, slotTail = 0, slotCount = 0
    @exclusivity(unchecked) var reading = false, readLeft = 0, fetchValid = false, fetchLast = false, packetWord: UInt64 = 0
    @exclusivity(unchecked) var txdValid = false, txd = DataBeat()
    @exclusivity(unchecked) var txValid = false, tx = TxHeader()
    @exclusivity(unchecked) var postCut = ReadyCut(skid: CompletionPost()), lerrCut = ReadyCut(skid: LocalError())
    @exclusivity(unchecked) var chunkCut = ReadyCut(skid: SGChunk()), gsegCut = ReadyCut(skid: GatherSegment())
    @exclusivity(unchecked) var gsegStage = Stage(beat: GatherSegment())

    public init(_ layout: PortLayout) throws {
        ports = try AdapterPorts(layout.packed(qps: AdapterConfiguration.qps))
        rst = try layout.resetSlot()
    }

    func resetGlue() {
        pds.items = []; listNumber = 0; pending.items = []; notes.items = []; abortClaims.items = []
        readValid = false; read = HostRead(); claimsTotal = 0; readTotal = 0
        acc = 0; fill = 0; pieceLeft = 0; pieceStarted = false; flushPending = false
        writePoint = 0; packetStart = 0; readPoint = 0; slotHead = 0; slotTail = 0; slotCount = 0
        reading = false; readLeft = 0; fetchValid = false; fetchLast = false
        txdValid = false; txd = DataBeat(); txValid = false; tx = TxHeader()
        postCut.skidValid = false; lerrCut.skidValid = false; chunkCut.skidValid = false; gsegCut.skidValid = false; gsegStage.valid = false
    }

    public func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
        let p = ports
        let rst = w[self.rst] & 1 == 1
        let ce = engine.registered(), ex = exec.registered(), dc = initiator.registered(), tr = translator.registered(), wk = walker.registered()
        // Outputs from registers.
        p.cfgack.drive(tr.cfgackValid, tr.cfgack, into: o)
        p.dmaReq.drive(readValid, read, into: o)
        p.tx.drive(txValid, tx, into: o)
        p.txd.drive(txdValid, txd, into: o)
        p.cqe.drive(ce.cqeValid, ce.cqe, into: o)
        p.qpBusy.write(ce.qpBusy, into: o)
        p.qpError.write(ce.qpError, into: o)

        let rxValid = p.rx.isValid(w), rx = p.rx.read(w)
        let isAck = rx.kind == RxKind.ack.rawValue
        let txTakes = !txValid || p.tx.isReady(w)

        // The engine.
        var ci = CompletionEngineModel.Inputs()
        ci.rst = rst
        (ci.postValid, ci.post) = postCut.out(ex.postValid, ex.post)
        (ci.lerrValid, ci.lerr) = lerrCut.out(ex.lerrValid, ex.lerr)
        ci.ackValid = rxValid && isAck
        ci.ack = CompletionAck(qp: rx.qp, psn: rx.psn, syndrome: rx.syndrome)
        ci.qpResetValid = p.qpReset.isValid(w)
        ci.qpReset = p.qpReset.read(w)
        ci.cqeReady = p.cqe.isReady(w)
        let ceOut = engine.cycle(ci)

        // Gather glue: the next gseg beat from the pending note and the translator's segment.
        var gsegValid = false, gseg = GatherSegment()
        if let note = pending.head {
            if note.malformed {
                gsegValid = true
                gseg = GatherSegment(addr: 0, len: 0, last: true, status: Syndrome.localQpOp.rawValue)
            } else if tr.segValid {
                gsegValid = true
                gseg = GatherSegment(addr: tr.seg.addr, len: tr.seg.len, last: tr.seg.last && note.listLast,
                                     status: tr.seg.status != 0 ? Syndrome.localProt.rawValue : 0)
            }
        }
        // Payload path: what the exec unit's dma beat needs.
        let d = ex.dma
        let readTakes = !readValid || p.dmaReq.isReady(w)
        let pieceGoes = ex.dmaValid && notes.ready && (d.abort ? abortClaims.ready : readTakes)

        // The exec unit.
        var xi = ExecUnitModel.Inputs()
        xi.rst = rst
        (xi.wrValid, xi.wr) = (dc.xwrValid, dc.xwr)
        (xi.gsegValid, xi.gseg) = (gsegStage.valid, gsegStage.beat)
        xi.dmaReady = notes.ready && (d.abort ? abortClaims.ready : readTakes)
        xi.pktReady = txTakes && !dc.ctlValid
        xi.postReady = postCut.inReady
        xi.lerrReady = lerrCut.inReady
        xi.pmtu = UInt8(p.pmtu.value(w))
        xi.qpError = ce.qpError
        let exOut = exec.cycle(xi)

        // The initiator, behind the pd queue.
        let hw = p.wr.read(w)
        let wrValid = p.wr.isValid(w)
        let r = hw.request
        let gathers = (r.opcode == WQEOpcode.send.rawValue || r.opcode == WQEOpcode.rdmaWrite.rawValue) && r.len != 0 && r.len <= 1 << 31
        var di = DCInitiatorModel.Inputs()
        di.rst = rst
        di.wrValid = wrValid && (!gathers || pds.ready)
        di.wr = r
        di.connackValid = rxValid && !isAck
        di.connack = ConnectAck(qp: rx.qp, session: rx.session)
        di.xwrReady = exOut.wrReady
        di.ctlReady = txTakes
        di.qpFullHandshake = p.qpFullHandshake.bits(w, count: AdapterConfiguration.qps)
        di.qpBusy = ce.qpBusy
        di.qpError = ce.qpError
        di.qpActive = ex.qpActive
        let dcOut = initiator.cycle(di)
        p.wr.answer(dcOut.wrReady && (!gathers || pds.ready), into: o)
        let pdPush = wrValid && gathers && dcOut.wrReady

        // The translator, fed by the gather glue.
        let (chunkValid, chunk) = chunkCut.out(wk.chunkValid, wk.chunk)
        let malformed = chunk.status != ChunkStatus.ok.rawValue
        var ti = MKeyTranslatorModel.Inputs()
        ti.rst = rst
        ti.cfgValid = p.cfg.isValid(w)
        ti.cfg = p.cfg.read(w)
        ti.cfgackReady = p.cfgack.isReady(w)
        ti.reqValid = chunkValid && pds.head != nil && pending.ready && !malformed
        ti.req = MKeyRequest(id: chunk.id, key: chunk.key, va: chunk.va, len: chunk.len, access: Access.localRead.rawValue, pd: pds.head ?? 0)
        ti.segReady = pending.head.map { !$0.malformed } ?? false && gsegCut.inReady
        let trOut = translator.cycle(ti)
        p.cfg.answer(trOut.cfgReady, into: o)
        let chunkGoes = chunkValid && pds.head != nil && pending.ready && (malformed || trOut.reqReady)

        // The walker.
        var si = SGWalkerModel.Inputs()
        si.rst = rst
        si.sgeValid = p.sge.isValid(w)
        si.sge = p.sge.read(w).entry
        si.sge.id = listNumber
        si.chunkReady = chunkCut.inReady
        let wkOut = walker.cycle(si)
        p.sge.answer(wkOut.sgeReady, into: o)
        p.rx.answer(isAck ? ceOut.ackReady : dcOut.connackReady, into: o)
        p.qpReset.answer(ceOut.qpResetReady, into: o)

        // Payload path: the assembler.
        let rspValid = p.dmaRsp.isValid(w), rsp = p.dmaRsp.read(w)
        let room = (writePoint - readPoint) & 4095 != 4095
        let slotRoom = slotCount != 8
        var aborting = false, packing = false, flushing = false
        var dropped = 0
        var writeWord: UInt64?
        var finishes = false
        var take = 0, total = 0, combinedLow: UInt64 = 0, combinedHigh: UInt64 = 0, pieceDone = false, packetEnds = false, left = 0
        if let note = notes.head {
            if note.abort && !flushPending {
                aborting = true
                dropped = Int((readTotal &+ UInt16(slotCount) &- (abortClaims.head ?? 0)) & 15)
            } else if !note.abort && !flushPending {
                left = pieceStarted ? Int(pieceLeft) : Int(note.len)
                take = min(left, 8)
                pieceDone = left <= 8
                packetEnds = pieceDone && note.last
                if rspValid && room && (!packetEnds || slotRoom) {
                    packing = true
                    let fresh = take == 8 ? rsp.data : rsp.data & ((1 << UInt64(8 * take)) - 1)
                    total = fill + take
                    combinedLow = acc | (fill == 0 ? fresh : fresh << UInt64(8 * fill))
                    combinedHigh = fill == 0 ? 0 : fresh >> UInt64(64 - 8 * fill)
                    let fullWord = total >= 8
                    let writesPartial = packetEnds && !fullWord
                    if fullWord || writesPartial { writeWord = combinedLow }
                    finishes = packetEnds && (((fullWord ? total - 8 : total) == 0) || writesPartial)
                }
            }
        }
        if flushPending && room && slotRoom {
            flushing = true
            writeWord = acc
            finishes = true
        }
        p.dmaRsp.answer(packing, into: o)

        // The reader.
        let outTakes = !txdValid || p.txd.isReady(w)
        let wordsLeft = reading ? readLeft : slotWords[slotHead]
        let headClaimed = reading || (claimsTotal != readTotal && (abortClaims.head.map { $0 != readTotal } ?? true))
        let issue = slotCount != 0 && headClaimed && (!fetchValid || outTakes)
        let lastWord = wordsLeft == 1
        let claim = ex.pktValid && xi.pktReady && ex.pkt.len != 0

        // The tx stage: control first.
        var header: TxHeader?
        if dc.ctlValid {
            var h = TxHeader()
            h.kind = dc.ctl.kind == ControlKind.connect.rawValue ? TxKind.connect.rawValue : TxKind.disconnect.rawValue
            (h.packet.qp, h.packet.dct, h.packet.dcKey, h.packet.session) = (dc.ctl.qp, dc.ctl.dct, dc.ctl.dcKey, dc.ctl.session)
            header = h
        } else if ex.pktValid {
            var h = TxHeader()
            h.kind = TxKind.data.rawValue
            h.packet = ex.pkt
            header = h
        }

        if rst {
            resetGlue()
            return
        }

        // --- Clock edge: the glue's registers. ---
        if txTakes {
            txValid = header != nil
            if let header { tx = header }
        }
        // Queues.
        if pdPush { pds.items.append(hw.pd) }
        if chunkGoes {
            if chunk.last { pds.items.removeFirst() }
            pending.items.append((chunk.last, malformed))
        }
        if let note = pending.head, gsegValid && gsegCut.inReady && (note.malformed || tr.seg.last) { pending.items.removeFirst() }
        postCut.step(ex.postValid, ex.post, consumerReady: ceOut.postReady)
        lerrCut.step(ex.lerrValid, ex.lerr, consumerReady: ceOut.lerrReady)
        let stageAccepts = gsegStage.accepts(consumerReady: exOut.gsegReady)
        let cutOut = gsegCut.out(gsegValid, gseg)
        gsegCut.step(gsegValid, gseg, consumerReady: stageAccepts)
        gsegStage.step(cutOut.valid, cutOut.beat, consumerReady: exOut.gsegReady)
        chunkCut.step(wk.chunkValid, wk.chunk, consumerReady: chunkGoes)
        if si.sgeValid && wkOut.sgeReady && p.sge.read(w).entry.last { listNumber &+= 1 }
        // Reads and notes.
        let notePopped = aborting || (packing && pieceDone)
        if notePopped { notes.items.removeFirst() }
        if aborting { abortClaims.items.removeFirst() }
        if pieceGoes {
            notes.items.append((d.len, d.last, d.abort))
            if d.abort { abortClaims.items.append(claimsTotal &+ (claim ? 1 : 0)) }
        }
        if readTakes {
            readValid = pieceGoes && !d.abort
            if readValid { read = HostRead(addr: d.addr, len: d.len) }
        }
        // The txd stage takes the word read last cycle; then the reader reads, before the
        // writer writes (a read of a word written this cycle sees the old one).
        if outTakes {
            txdValid = fetchValid
            if fetchValid { txd = DataBeat(data: packetWord, last: fetchLast) }
        }
        if issue { packetWord = buffer[readPoint] }
        if let word = writeWord { buffer[writePoint] = word }
        let afterWrite = (writePoint + 1) & 4095
        let keptTail = (slotTail - dropped) & 7
        let rewind = dropped != 0 ? slotStart[keptTail] : packetStart
        if finishes {
            slotStart[slotTail] = packetStart
            slotWords[slotTail] = (afterWrite - packetStart) & 1023
        }
        if aborting {
            acc = 0; fill = 0; pieceStarted = false
            writePoint = rewind; packetStart = rewind
        } else if flushing {
            acc = 0; fill = 0; flushPending = false
            writePoint = afterWrite; packetStart = afterWrite
        } else if packing {
            let fullWord = total >= 8
            let writesPartial = packetEnds && !fullWord
            let rest = fullWord ? total - 8 : total
            acc = writesPartial ? 0 : (fullWord ? combinedHigh : combinedLow)
            fill = writesPartial ? 0 : rest
            flushPending = packetEnds && fullWord && rest != 0
            pieceLeft = UInt16(left - take)
            pieceStarted = !pieceDone
            if writeWord != nil { writePoint = afterWrite }
            if finishes { packetStart = afterWrite }
        }
        slotTail = aborting ? keptTail : (finishes ? (slotTail + 1) & 7 : slotTail)
        let popped = issue && lastWord
        if popped { slotHead = (slotHead + 1) & 7 }
        slotCount = (aborting ? slotCount - dropped : slotCount) + (finishes ? 1 : 0) - (popped ? 1 : 0)
        if issue {
            readPoint = (readPoint + 1) & 4095
            readLeft = wordsLeft - 1
            reading = !lastWord
            fetchLast = lastWord
        }
        fetchValid = issue || (fetchValid && !outTakes)
        if claim { claimsTotal &+= 1 }
        if popped { readTotal &+= 1 }
    }
}
