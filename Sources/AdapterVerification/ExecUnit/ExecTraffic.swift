import AdapterModel
import LoomCosim

/// Random messages for the `exec_unit` bench: every opcode, lengths around PMTU multiples,
/// random segment splits, and gather faults (a bad segment status, a list that ends short,
/// one that runs past `len`, and a bad status past `len`).
struct ExecTraffic {
    var rng: SeededRandom
    let mix: ExecStimulus.RandomMix
    let pmtu: UInt32
    var wqe: [UInt16]

    init(seed: UInt64, mix: ExecStimulus.RandomMix) {
        rng = SeededRandom(seed: seed &* 7919 &+ 3)
        self.mix = mix
        pmtu = PathMTU.bytes(code: mix.pmtuCode)
        wqe = Array(repeating: 0, count: 256)
    }

    mutating func pick(_ n: Int) -> Int { Int(rng.below(UInt64(n))) }

    mutating func next(index: Int) -> ExecStimulus.Message {
        let qp = UInt8(pick(mix.qpsUsed))
        var r = WorkRequest(qp: qp, wqe: wqe[Int(qp)], opcode: .send, signaled: rng.chance(60), len: 0, raddr: rng.next(), rkey: UInt32(truncatingIfNeeded: rng.next()),
                            dct: UInt32(truncatingIfNeeded: rng.next()) & 0xff_ffff, dcKey: rng.next())
        wqe[Int(qp)] &+= 1
        let roll = pick(100)
        r.opcode = (roll < mix.readPercent ? WQEOpcode.rdmaRead : roll < 60 ? .rdmaWrite : .send).rawValue
        if rng.chance(mix.badOpcodePercent) { r.opcode = [0x00, 0x11, 0xff, 0x09][pick(4)] }
        // Lengths: zero, exact multiples, one byte around them, anything up to maxPackets.
        let packets = UInt32(1 + pick(mix.maxPackets))
        switch pick(6) {
        case 0: r.len = packets * pmtu
        case 1: r.len = packets * pmtu + 1
        case 2: r.len = packets * pmtu - 1
        default: r.len = 1 + UInt32(rng.below(UInt64(packets * pmtu)))
        }
        if rng.chance(mix.zeroLengthPercent) { r.len = 0 }
        if rng.chance(mix.tooLongPercent) { r.len = (1 << 31) + 1 + UInt32(rng.below(1 << 30)) }
        let status: UInt8 = rng.chance(mix.preFailedPercent) ? [0x04, 0x01, 0x15][pick(3)] : 0
        let message = ExecRequest(r, session: UInt16(truncatingIfNeeded: rng.next()), status: status)
        guard ExecReference.gathers(message) else { return ExecStimulus.Message(message) }
        return ExecStimulus.Message(message, segments: segments(for: r.len))
    }

    /// A split of `len` bytes into segments, perhaps with a fault.
    mutating func segments(for len: UInt32) -> [GatherSegment] {
        var cuts: [UInt32] = []
        var left = len
        while left > 0 {
            let piece = cuts.count == 5 || rng.chance(40) ? left : 1 + UInt32(rng.below(UInt64(left)))
            cuts.append(piece)
            left -= piece
        }
        var segs = cuts.map { GatherSegment(addr: rng.next() >> 16, len: $0) }
        if rng.chance(mix.faultPercent) {
            switch pick(5) {
            case 0: segs[pick(segs.count)].status = [0x04, 0x02, 0x13][pick(3)]    // a translation error
            case 1:                                                                 // ends short
                if segs.count > 1 { segs.removeLast() } else { segs[0].len = max(1, segs[0].len / 2); if segs[0].len == len { segs[0].len += 1 } }
            case 2: segs[segs.count - 1].len += 1 + UInt32(pick(300))             // runs past len
            case 3: segs.append(GatherSegment(addr: rng.next() >> 16, len: 1 + UInt32(pick(100))))   // one more segment after len
            default: segs.append(GatherSegment(addr: rng.next() >> 16, len: 8, status: 0x04))        // a bad status past len
            }
        }
        segs[segs.count - 1].last = true
        return segs
    }

    /// Functional coverage of one message.
    static func cover(_ m: ExecStimulus.Message, outcome: ExecReference.Outcome, qps: Int, pmtu: UInt64, coverage: Coverage) {
        let r = m.request.request
        if Int(r.qp) >= qps { coverage.hit("QP >= QPS"); return }
        if m.request.status != 0 { coverage.hit("pre-failed") }
        switch WQEOpcode(rawValue: r.opcode) {
        case .send: coverage.hit("SEND")
        case .rdmaWrite: coverage.hit("WRITE")
        case .rdmaRead: coverage.hit("READ")
        case nil: coverage.hit("bad opcode")
        }
        if r.len > 1 << 31 { coverage.hit("len > 2^31") }
        if r.len == 0 { coverage.hit("zero length") }
        if outcome.headers.count > 1 { coverage.hit("multi-packet") }
        if r.len > 0 && UInt64(r.len) % pmtu == 0 && !outcome.headers.isEmpty { coverage.hit("exact PMTU multiple") }
        if m.segments.contains(where: { $0.status != 0 }) { coverage.hit("bad segment status") }
        let total = m.segments.reduce(UInt64(0)) { $0 + UInt64($1.len) }
        if !m.segments.isEmpty && total < UInt64(r.len) && !m.segments.contains(where: { $0.status != 0 }) { coverage.hit("list ends short") }
        if total > UInt64(r.len) { coverage.hit("list runs past len") }
        if m.request.status == 0 && outcome.headers.isEmpty && outcome.record.status != 0 && !m.segments.isEmpty { coverage.hit("failure in first packet") }
    }
}
