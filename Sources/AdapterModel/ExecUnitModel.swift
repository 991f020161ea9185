import LoomInterface

/// Cycle-accurate model of `exec_unit`'s ports: SPEC 4.1 with the microarchitecture
/// documented on the DSL block:
/// - a **planner** register takes a `wr` beat, computes `n` and the PSNs, and moves the
///   message on to the **cutter** (one message at a time) when the cutter frees;
/// - the cutter posts the record, cuts gather segments into pieces (one per cycle), decides
///   which packets are sent and pushes their headers into a two-entry **header queue**;
///   a failed message stays until its `lerr` is loaded;
/// - the queue's head goes to `pkt` once its record and its last piece have transferred;
/// - an **abort** beat is loaded once no header can still claim the pieces cut last.
/// Each output stream leaves from one register.
public struct ExecUnitModel: ClockedModel {
    public struct Inputs: ModelInputs {
        public var rst = false
        public var wrValid = false
        public var wr = ExecRequest()
        public var gsegValid = false
        public var gseg = GatherSegment()
        public var dmaReady = false, pktReady = false, postReady = false, lerrReady = false
        public var pmtu: UInt8 = 0
        public var qpError: [Bool] = []
        public init() {}
    }

    public struct Outputs {
        public var wrReady = false, gsegReady = false
        public var dmaValid = false, dma = PayloadPiece()
        public var pktValid = false, pkt = PacketHeader()
        public var postValid = false, post = CompletionPost()
        public var lerrValid = false, lerr = LocalError()
        public var qpActive: [Bool] = []
    }

    /// A message between `wr` and the end of its work in the cutter.
    struct Message {
        var m = ExecRequest()
        var psn: UInt32 = 0
        var n: UInt32 = 1
        var preStatus: UInt8 = 0
        var gathers = false
        var sends = false
        var killed = false
        var tag = 0
    }

    /// The cutter's progress through its message.
    struct Progress {
        var cut: UInt64 = 0, segOffset: UInt64 = 0, packetFill: UInt64 = 0, packetsCut: UInt32 = 0
        var listDone = false, clean = false
        var failed = false, failSyndrome: UInt8 = 0, failPacket: UInt32 = 0
        var recordDone = false, recordOk = false
        var headersPushed: UInt32 = 0, headerBytesLeft: UInt64 = 0
        var lerrDone = false
    }

    struct Entry {
        var header = PacketHeader()
        var needsPiece = false
        var packet: UInt32 = 0
        var tag = 0
        var killed = false
    }

    public let qps: Int
    var psn: [UInt32], posting: [Int]
    /// `qp_active`: `posting[q] != 0`, kept beside the counts so that no cycle builds it anew.
    var active: [Bool]
    var plan: Message?
    var cur: Message?, progress = Progress()
    var queue: [Entry] = []
    var nextTag = 0
    /// Pieces were cut that no released header claims yet; `ownedByCurrent`: by the cutter's
    /// current message (which may still claim them).
    var unclaimed = false, ownedByCurrent = false
    var lastCut = (tag: 0, packet: UInt32(0))
    // Output registers.
    var dmaValid = false, dma = PayloadPiece(), dmaTag = 0, dmaPacket: UInt32 = 0
    var pktValid = false, pkt = PacketHeader()
    var postValid = false, post = CompletionPost(), postTag = 0
    var lerrValid = false, lerr = LocalError()

    public init(qps: Int = 16) {
        self.qps = qps
        psn = Array(repeating: 0, count: qps)
        posting = Array(repeating: 0, count: qps)
        active = Array(repeating: false, count: qps)
    }

    mutating func resetState() {
        psn = Array(repeating: 0, count: qps)
        posting = Array(repeating: 0, count: qps)
        active = Array(repeating: false, count: qps)
        plan = nil; cur = nil; progress = Progress(); queue = []; nextTag = 0
        unclaimed = false; ownedByCurrent = false; lastCut = (0, 0)
        dmaValid = false; pktValid = false; postValid = false; lerrValid = false
    }

    public mutating func cycle(_ i: Inputs) -> Outputs {
        var o = Outputs()
        (o.dmaValid, o.dma, o.pktValid, o.pkt) = (dmaValid, dma, pktValid, pkt)
        (o.postValid, o.post, o.lerrValid, o.lerr) = (postValid, post, lerrValid, lerr)
        o.qpActive = active
        if i.rst {
            resetState()
            o.qpActive = active
            return o
        }
        let pmtu = UInt64(PathMTU.bytes(code: i.pmtu & 7))
        let dmaTakes = !dmaValid || i.dmaReady, pktTakes = !pktValid || i.pktReady
        let postTakes = !postValid || i.postReady, lerrTakes = !lerrValid || i.lerrReady
        func errorNow(_ qp: UInt8) -> Bool { Int(qp) < qps && i.qpError[Int(qp)] }

        // Header queue: the head leaves (released to pkt, or dropped when killed).
        var release = false, drop = false, claimed = false
        if let head = queue.first {
            if head.killed || errorNow(head.header.qp) {
                drop = true
            } else {
                let recordGone = !(postValid && postTag == head.tag && !i.postReady)
                let pieceGone = !head.needsPiece || !(dmaValid && !dma.abort && dmaTag == head.tag && dmaPacket == head.packet && !i.dmaReady)
                release = recordGone && pieceGone && pktTakes
                claimed = release && head.needsPiece && lastCut.tag == head.tag && lastCut.packet == head.packet
            }
        }
        let unclaimedNow = unclaimed && !claimed

        // The cutter.
        var gsegReady = false, pieceLoad: PayloadPiece?, recordLoad: CompletionPost?, push: Entry?, lerrLoad: LocalError?
        var curDone = cur == nil
        var mayClaim = false
        var pieceEndsPacket = false
        if let c = cur {
            let w = c.m.request
            let qpIndex = Int(w.qp)
            let inRange = qpIndex < qps
            let killedNow = c.killed || errorNow(w.qp)
            let len = UInt64(w.len)
            var nx = progress
            // Registers only: could this message still push a header that claims pieces?
            let regFinal = progress.failed ? progress.failPacket : c.n
            mayClaim = c.gathers && c.sends && !c.killed && !((progress.failed || progress.clean) && progress.headersPushed == regFinal)
            if c.gathers && !progress.listDone && i.gsegValid {
                let seg = i.gseg
                let dead = progress.failed || killedNow || !c.sends || progress.cut == len
                if dead {
                    gsegReady = true
                    if !progress.failed && !killedNow && c.sends && seg.status != 0 {
                        (nx.failed, nx.failPacket, nx.failSyndrome) = (true, c.n, seg.status)
                    }
                } else if seg.status != 0 {
                    gsegReady = true
                    (nx.failed, nx.failPacket, nx.failSyndrome) = (true, progress.packetsCut, seg.status)
                } else if UInt64(seg.len) == progress.segOffset {
                    // A zero-length segment: consumed without a piece; as the last one it ends the list short.
                    gsegReady = true
                    if seg.last { (nx.failed, nx.failPacket, nx.failSyndrome) = (true, progress.packetsCut, Syndrome.localLength.rawValue) }
                } else {
                    let segLeft = UInt64(seg.len) - progress.segOffset
                    let packetLeft = min(pmtu - progress.packetFill, len - progress.cut)
                    let pieceLen = min(segLeft, packetLeft)
                    let gate = !unclaimedNow || ownedByCurrent
                    // At most one finished packet waits for its header push.
                    let lead = progress.packetsCut - progress.headersPushed <= 1
                    if dmaTakes && gate && lead {
                        let endsSeg = pieceLen == segLeft, endsPacket = pieceLen == packetLeft
                        let newCut = progress.cut + pieceLen
                        let msgEnds = newCut == len
                        pieceLoad = PayloadPiece(addr: seg.addr &+ progress.segOffset, len: UInt16(pieceLen), last: endsPacket)
                        pieceEndsPacket = endsPacket
                        gsegReady = endsSeg || msgEnds
                        nx.cut = newCut
                        nx.segOffset = endsSeg ? 0 : progress.segOffset + pieceLen
                        nx.packetFill = endsPacket ? 0 : progress.packetFill + pieceLen
                        nx.packetsCut = progress.packetsCut + (endsPacket ? 1 : 0)
                        if endsSeg && seg.last && !msgEnds {
                            (nx.failed, nx.failPacket, nx.failSyndrome) = (true, nx.packetsCut, Syndrome.localLength.rawValue)
                        }
                        if msgEnds && endsSeg && seg.last { nx.clean = true }
                    }
                }
                if gsegReady && seg.last {
                    nx.listDone = true
                    // The list ended past len (or at len without `last` earlier): failure at len - 1.
                    if !nx.failed && !nx.clean && !killedNow && c.sends && nx.cut == len {
                        (nx.failed, nx.failPacket, nx.failSyndrome) = (true, c.n - 1, Syndrome.localLength.rawValue)
                    }
                }
            }
            let resolved = !c.sends || !c.gathers || nx.failed || nx.clean
            let final: UInt32 = !c.sends ? 0 : !c.gathers ? 1 : nx.failed ? nx.failPacket : c.n
            let sendable: UInt32 = killedNow ? progress.headersPushed
                : !c.sends ? 0 : !c.gathers ? 1 : resolved ? final : (nx.packetsCut == c.n ? c.n - 1 : nx.packetsCut)
            // The record.
            if !progress.recordDone {
                let status: UInt8?
                if !inRange { status = Syndrome.localQpOp.rawValue }
                else if killedNow { status = Syndrome.flush.rawValue }
                else if c.preStatus != 0 { status = c.preStatus }
                else if !c.gathers || sendable >= 1 { status = 0 }
                else if resolved && final == 0 { status = nx.failSyndrome }
                else { status = nil }
                let lerrBlocks = lerrValid && !i.lerrReady && lerr.qp == w.qp
                if let status, postTakes && !lerrBlocks {
                    let recordPsn = inRange ? (c.psn &+ c.n &- 1) & 0xff_ffff : 0
                    recordLoad = CompletionPost(qp: w.qp, wqe: w.wqe, opcode: w.opcode, signaled: w.signaled, psn: recordPsn, bytes: w.len, status: status)
                    nx.recordDone = true
                    nx.recordOk = status == 0
                }
            }
            // The next header.
            let room = queue.count - (drop || release ? 1 : 0) < 2
            if !killedNow && nx.recordDone && progress.headersPushed < sendable && room {
                let k = progress.headersPushed
                let op = WQEOpcode(rawValue: w.opcode)
                var h = PacketHeader()
                (h.qp, h.psn, h.dct, h.dcKey, h.session) = (w.qp, (c.psn &+ k) & 0xff_ffff, w.dct, w.dcKey, c.m.session)
                if op == .rdmaRead {
                    h.opcode = PacketOpcode.readRequest.rawValue
                    (h.rethVa, h.rethRkey, h.rethLen) = (w.raddr, w.rkey, w.len)
                } else {
                    let write = op == .rdmaWrite
                    let only: PacketOpcode = write ? .writeOnly : .sendOnly, first: PacketOpcode = write ? .writeFirst : .sendFirst
                    let last: PacketOpcode = write ? .writeLast : .sendLast, middle: PacketOpcode = write ? .writeMiddle : .sendMiddle
                    h.opcode = (c.n == 1 ? only : k == 0 ? first : k == c.n - 1 ? last : middle).rawValue
                    h.len = UInt16(min(pmtu, progress.headerBytesLeft))
                    if write && k == 0 { (h.rethVa, h.rethRkey, h.rethLen) = (w.raddr, w.rkey, w.len) }
                }
                push = Entry(header: h, needsPiece: c.gathers, packet: k, tag: c.tag)
                nx.headersPushed = k + 1
                nx.headerBytesLeft = progress.headerBytesLeft - min(pmtu, progress.headerBytesLeft)
            }
            // The local error after the post (rule 7).
            let wantsLerr = nx.failed && nx.recordOk && !killedNow
            if wantsLerr && !progress.lerrDone && queue.isEmpty && push == nil && nx.headersPushed == final && pktTakes
                && progress.recordDone && !(postValid && postTag == c.tag && !i.postReady) && lerrTakes {
                lerrLoad = LocalError(qp: w.qp, syndrome: nx.failSyndrome)
                nx.lerrDone = true
            }
            curDone = nx.recordDone && (!c.gathers || nx.listDone)
                && (killedNow || resolved && nx.headersPushed == final)
                && (!wantsLerr || nx.lerrDone)
            progress = nx
            if killedNow { cur!.killed = true }
        }

        // The abort beat.
        var abortLoad = false
        if unclaimedNow && !queue.contains(where: { $0.needsPiece }) && !(ownedByCurrent && mayClaim)
            && (!pktValid || i.pktReady) && !release && dmaTakes && pieceLoad == nil {
            abortLoad = true
        }

        // The planner and the move into the cutter.
        let cutterTakes = curDone
        if var p = plan, errorNow(p.m.request.qp) { p.killed = true; plan = p }
        let planTakes = plan == nil || cutterTakes
        o.wrReady = i.wrValid && planTakes
        o.gsegReady = gsegReady

        // --- Clock edge. ---
        if let head = queue.first, drop || release {
            if release { pkt = head.header }
            queue.removeFirst()
        }
        if pktTakes { pktValid = release }
        for k in queue.indices where errorNow(queue[k].header.qp) { queue[k].killed = true }
        if let push { queue.append(push) }

        if dmaTakes {
            dmaValid = pieceLoad != nil || abortLoad
            if let piece = pieceLoad {
                dma = piece
                dmaTag = cur!.tag
                dmaPacket = progress.packetsCut - (pieceEndsPacket ? 1 : 0)
                lastCut = (cur!.tag, dmaPacket)
            } else if abortLoad {
                dma = PayloadPiece.abortBeat
            }
        }
        if pieceLoad != nil {
            unclaimed = true
            ownedByCurrent = true
        } else if claimed || abortLoad {
            unclaimed = false
        }
        if postValid && i.postReady && Int(post.qp) < qps {
            posting[Int(post.qp)] -= 1
            // Written only when it changes: `o.qpActive` still shares the array this cycle,
            // and each write would copy it.
            if posting[Int(post.qp)] == 0 { active[Int(post.qp)] = false }
        }
        if postTakes {
            postValid = recordLoad != nil
            if let r = recordLoad { post = r; postTag = cur!.tag }
        }
        if lerrTakes {
            lerrValid = lerrLoad != nil
            if let l = lerrLoad { lerr = l }
        }

        if cutterTakes {
            cur = nil
            ownedByCurrent = false
            if var p = plan {
                if errorNow(p.m.request.qp) { p.killed = true }
                p.tag = nextTag
                nextTag = (nextTag + 1) & 7
                cur = p
                progress = Progress()
                progress.headerBytesLeft = UInt64(p.m.request.len)
                plan = nil
            }
        }
        if o.wrReady {
            let m = i.wr
            let w = m.request
            let q = Int(w.qp)
            let op = WQEOpcode(rawValue: w.opcode)
            let lenOK = w.len <= 1 << 31
            var p = Message()
            p.m = m
            p.n = op == nil || !lenOK ? 1 : max(1, UInt32((UInt64(w.len) + pmtu - 1) / pmtu))
            p.gathers = (op == .send || op == .rdmaWrite) && w.len > 0 && lenOK
            p.preStatus = m.status != 0 ? m.status : op == nil ? Syndrome.localQpOp.rawValue : !lenOK ? Syndrome.localLength.rawValue : 0
            p.sends = q < qps && p.preStatus == 0
            if q < qps {
                p.psn = psn[q]
                psn[q] = (psn[q] + p.n) & 0xff_ffff
                posting[q] += 1
                if !active[q] { active[q] = true }
                p.killed = i.qpError[q]
            }
            plan = p
        }
        return o
    }
}
