import AdapterModel
import LoomCosim

/// The network of DC targets around the adapter bench (issue 10's network model):
/// - each target has a DCT number, a DC key, one memory region `(rkey, base, length)` for
///   WRITEs, and per QP a receive buffer of complete SEND messages;
/// - a CONNECT with the target's key opens a connection (answered with a CONNECT-ACK and a
///   session when the QP uses the full handshake); with another key everything on that
///   connection is dropped and counted as a key violation;
/// - DATA packets are checked for consecutive PSNs, WRITE data placed at the RETH address,
///   SEND data kept per message and delivered at its LAST/ONLY packet; a bad rkey or range
///   is NAKed with 0x13 (and the QP's later packets ignored until its next CONNECT);
/// - ACKs come after a random latency, coalesced (the latest PSN) or one per packet; a READ
///   REQUEST is answered by an ACK of its last PSN;
/// - a DISCONNECT that finds packets not yet acknowledged is a violation.
public final class DCNetwork {
    /// The adapter's `QPS`: a beat for a QP at or above it is stray.
    static let qps = UInt8(AdapterConfiguration.qps)
    public struct Region { var rkey: UInt32; var base: UInt64; var length: UInt64 }
    public final class Target {
        public let dct: UInt32, dcKey: UInt64, region: Region
        public internal(set) var memory: [UInt64: UInt8] = [:]
        /// Complete SEND messages, per QP.
        public internal(set) var received: [UInt8: [[UInt8]]] = [:]
        init(dct: UInt32, dcKey: UInt64, region: Region) { (self.dct, self.dcKey, self.region) = (dct, dcKey, region) }
    }
    struct Connection {
        var target: Target?          // nil: bad key, everything dropped
        var session: UInt16 = 0
        var nextPsn: UInt32?
        var latestPsn: UInt32?       // received, not yet acknowledged
        var nakked = false
        var sendBuffer: [UInt8] = []
        var writeAddr: UInt64 = 0
        var writeOK = false
    }

    public let targets: [UInt32: Target]
    let pmtu: UInt32
    let fullHandshake: (UInt8) -> Bool
    var rng: SeededRandom
    let ackLatency: ClosedRange<Int>
    let perPacketAckPercent: Int
    let strayPercent: Int
    var connections: [UInt8: Connection] = [:]
    /// Beats for `rx`, each due at a cycle; ACKs of one QP stay in order.
    var pending: [(due: Int, beat: RxBeat)] = []
    var ackDue: [UInt8: Int] = [:]
    var offered: RxBeat?
    private(set) var violations: [String] = []
    public private(set) var keyViolations = 0

    init(targets: [Target], pmtu: UInt32, fullHandshake: @escaping (UInt8) -> Bool, seed: UInt64, ackLatency: ClosedRange<Int>, perPacketAckPercent: Int,
         strayPercent: Int = 0) {
        self.targets = Dictionary(uniqueKeysWithValues: targets.map { ($0.dct, $0) })
        (self.pmtu, self.fullHandshake) = (pmtu, fullHandshake)
        rng = SeededRandom(seed: seed)
        (self.ackLatency, self.perPacketAckPercent, self.strayPercent) = (ackLatency, perPacketAckPercent, strayPercent)
    }

    func latency() -> Int { ackLatency.lowerBound + Int(rng.below(UInt64(ackLatency.count))) }

    /// A header with its payload (empty when `len` is 0).
    func deliver(_ h: TxHeader, payload: [UInt8], cycle: Int) {
        let p = h.packet
        switch TxKind(rawValue: h.kind) {
        case .connect:
            guard let t = targets[p.dct], t.dcKey == p.dcKey else {
                keyViolations += 1
                connections[p.qp] = Connection(target: nil)
                return
            }
            let session = UInt16(truncatingIfNeeded: UInt64(p.qp) &* 0x9E37 ^ UInt64(p.dct) &* 0x3B1) | 1
            // PSNs are checked within a connection: failed messages take PSNs without packets.
            var c = Connection(target: t)
            c.session = fullHandshake(p.qp) ? session : 0
            connections[p.qp] = c
            if fullHandshake(p.qp) { pending.append((cycle + latency(), RxBeat.connectAck(qp: p.qp, session: session))) }
        case .disconnect:
            if let c = connections[p.qp], c.target != nil, c.latestPsn != nil {
                violations.append("cycle \(cycle): DISCONNECT of QP \(p.qp) with packets not yet acknowledged")
            }
            connections[p.qp] = nil
        default:
            guard var c = connections[p.qp] else { return violations.append("cycle \(cycle): DATA of QP \(p.qp) without a connection") }
            guard let t = c.target, !c.nakked else { return }
            if p.dct != t.dct || p.dcKey != t.dcKey { violations.append("cycle \(cycle): DATA of QP \(p.qp) for 0x\(String(p.dct, radix: 16)) on a connection to 0x\(String(t.dct, radix: 16))") }
            if fullHandshake(p.qp) && p.session != c.session { violations.append("cycle \(cycle): DATA of QP \(p.qp) with session \(p.session), the connection's is \(c.session)") }
            if let expected = c.nextPsn, expected != p.psn { violations.append("cycle \(cycle): QP \(p.qp) PSN \(p.psn), expected \(expected)") }
            let op = PacketOpcode(rawValue: p.opcode)
            var lastPsn = p.psn
            switch op {
            case .readRequest:
                let n = max(1, (UInt64(p.rethLen) + UInt64(pmtu) - 1) / UInt64(pmtu))
                lastPsn = (p.psn &+ UInt32(n) &- 1) & 0xff_ffff
                if !inRegion(t, p.rethRkey, p.rethVa, UInt64(p.rethLen)) { return nak(&c, p, cycle: cycle) }
            case .writeFirst, .writeOnly:
                if !inRegion(t, p.rethRkey, p.rethVa, UInt64(p.rethLen)) { return nak(&c, p, cycle: cycle) }
                c.writeAddr = p.rethVa
                place(t, &c, payload)
            case .writeMiddle, .writeLast:
                place(t, &c, payload)
            case .sendFirst:
                c.sendBuffer = payload
            case .sendMiddle:
                c.sendBuffer += payload
            case .sendLast, .sendOnly:
                if op == .sendOnly { c.sendBuffer = [] }
                t.received[p.qp, default: []].append(c.sendBuffer + payload)
                c.sendBuffer = []
            case nil:
                violations.append("cycle \(cycle): unknown BTH opcode 0x\(String(p.opcode, radix: 16))")
            }
            c.nextPsn = (lastPsn &+ 1) & 0xff_ffff
            c.latestPsn = lastPsn
            connections[p.qp] = c
            if rng.chance(perPacketAckPercent) {
                pending.append((cycle + latency(), RxBeat.ack(qp: p.qp, psn: lastPsn)))
                connections[p.qp]!.latestPsn = nil
            } else if ackDue[p.qp] == nil {
                ackDue[p.qp] = cycle + latency()
            }
        }
    }

    func inRegion(_ t: Target, _ rkey: UInt32, _ va: UInt64, _ len: UInt64) -> Bool {
        rkey == t.region.rkey && va >= t.region.base && va &+ len <= t.region.base &+ t.region.length && va &+ len >= va
    }

    func place(_ t: Target, _ c: inout Connection, _ payload: [UInt8]) {
        for (k, b) in payload.enumerated() { t.memory[c.writeAddr &+ UInt64(k)] = b }
        c.writeAddr &+= UInt64(payload.count)
    }

    func nak(_ c: inout Connection, _ p: PacketHeader, cycle: Int) {
        c.nakked = true
        c.latestPsn = nil
        connections[p.qp] = c
        ackDue[p.qp] = nil
        pending.append((cycle + latency(), RxBeat.ack(qp: p.qp, psn: p.psn, syndrome: Syndrome.remoteAccess.rawValue)))
    }

    func drive(cycle: Int, rx: StreamSlots<RxBeat>, inputs: UnsafeMutablePointer<UInt64>) {
        // Coalesced ACKs that fall due: the latest PSN of the QP. In QP order: a dictionary's
        // own order changes from process to process, and a seed must replay the same run.
        for qp in ackDue.keys.sorted() where ackDue[qp]! <= cycle {
            ackDue[qp] = nil
            if let psn = connections[qp]?.latestPsn {
                pending.append((cycle, RxBeat.ack(qp: qp, psn: psn)))
                connections[qp]!.latestPsn = nil
            }
        }
        if offered == nil, let k = pending.firstIndex(where: { $0.due <= cycle }) { offered = pending.remove(at: k).beat }
        // No draw at all without strays, so the other tests' seeds replay as before.
        if offered == nil && strayPercent > 0 && rng.chance(strayPercent) {
            // Half of them at the boundary, QPS itself.
            let qp = rng.chance(50) ? Self.qps : Self.qps + UInt8(rng.below(UInt64(256 - Int(Self.qps))))
            offered = rng.chance(50) ? RxBeat.ack(qp: qp, psn: UInt32(truncatingIfNeeded: rng.next()), syndrome: rng.chance(50) ? 0 : UInt8(truncatingIfNeeded: rng.next()))
                : RxBeat.connectAck(qp: qp, session: UInt16(truncatingIfNeeded: rng.next()))
        }
        rx.offer(offered, into: inputs, &rng)
    }

    /// The beat `rx` took this cycle, if any.
    func observe(rx: StreamSlots<RxBeat>, outputs: UnsafePointer<UInt64>) -> RxBeat? {
        guard let beat = offered, outputs[rx.ready] & 1 == 1 else { return nil }
        offered = nil
        return beat
    }

    var quiet: Bool { pending.isEmpty && ackDue.isEmpty && offered == nil }
}
