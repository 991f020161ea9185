import AdapterModel
import LoomCosim

/// Random end-to-end traffic for the adapter bench: direct, indirect and nested indirect
/// keys; SG lists of PLAIN entries, patterns and interleaved groups whose bytes add up to the
/// WR's length; 16 DCIs (and a few WRs beyond) over several targets in both handshakes; and
/// occasional faults, one per WR: a bad memory key, a MALFORMED list, a list longer than the
/// message, a bad rkey, a dead target (full handshake only: a half-handshake one waits for
/// the 65536-cycle ACK timeout, which a directed test covers).
public struct AdapterScenario {
    public struct Mix {
        public var requests = 300
        /// 0: a PMTU code from 1 to 5 drawn from the seed.
        public var pmtuCode: UInt8 = 0
        public var maxPackets = 3
        public var faultPercent = 6
        public var readPercent = 20
        public var txReadyPercent = 75, txdReadyPercent = 75, cqeReadyPercent = 75, dmaReqReadyPercent = 80, dmaRspValidPercent = 80
        public var wrValidPercent = 80, sgeValidPercent = 80
        public var hostLatency = 1...20
        public var ackLatency = 2...60
        public var perPacketAckPercent = 40
        /// Stray `rx` beats for QPs `>= QPS` (`Setup.strayRxPercent`).
        public var strayRxPercent = 0
        public init() {}
    }

    static let pd: UInt32 = 7
    static let directKeys = 1...6
    var rng: SeededRandom
    var mix: Mix
    public private(set) var setup = AdapterStimulus.Setup()
    /// Per key: its length (indirect keys are zero-based).
    var keyLength: [UInt32: UInt64] = [:]
    var keyStart: [UInt32: UInt64] = [:]
    var nextRaddr: [UInt32: UInt64] = [:]

    static func key(_ index: Int) -> UInt32 { UInt32(index) << 8 | UInt32(index) }

    public init(seed: UInt64, mix: Mix) {
        rng = SeededRandom(seed: seed &* 6151 &+ 17)
        var mix = mix
        if mix.pmtuCode == 0 {
            mix.pmtuCode = UInt8(1 + rng.below(5))
            mix.maxPackets = max(1, mix.maxPackets * 256 / Int(PathMTU.bytes(code: mix.pmtuCode)))
        }
        self.mix = mix
        setup.pmtuCode = mix.pmtuCode
        (setup.txReadyPercent, setup.txdReadyPercent, setup.cqeReadyPercent) = (mix.txReadyPercent, mix.txdReadyPercent, mix.cqeReadyPercent)
        (setup.dmaReqReadyPercent, setup.dmaRspValidPercent) = (mix.dmaReqReadyPercent, mix.dmaRspValidPercent)
        (setup.wrValidPercent, setup.sgeValidPercent) = (mix.wrValidPercent, mix.sgeValidPercent)
        (setup.hostLatency, setup.ackLatency, setup.perPacketAckPercent) = (mix.hostLatency, mix.ackLatency, mix.perPacketAckPercent)
        setup.strayRxPercent = mix.strayRxPercent
        setup.fullHandshake = Set((0..<AdapterConfiguration.qps).filter { $0 % 3 == 1 }.map { UInt8($0) })
        for i in Self.directKeys {
            let start = UInt64(i) << 32
            setup.keys.append(MKeyConfig.direct(index: UInt32(i), tag: UInt8(i), pd: Self.pd, start: start, length: 1 << 20, phys: 0x8_0000_0000 + UInt64(i) << 24))
            keyStart[Self.key(i)] = start
            keyLength[Self.key(i)] = 1 << 20
        }
        // Indirect keys 10...12 over direct keys, 13 nested over 10 and 11.
        var slot: UInt32 = 0
        func indirect(_ index: Int, over members: [(key: UInt32, bytes: UInt32, addr: UInt64)]) {
            for m in members {
                setup.keys.append(MKeyConfig.klm(slot: slot, bytes: m.bytes, key: m.key, addr: m.addr))
                slot += 1
            }
            let length = members.reduce(UInt64(0)) { $0 + UInt64($1.bytes) }
            setup.keys.append(MKeyConfig.indirect(index: UInt32(index), tag: UInt8(index), pd: Self.pd, start: 0, length: length,
                                                  klmFirst: UInt16(slot) - UInt16(members.count), klmCount: UInt16(members.count)))
            keyStart[Self.key(index)] = 0
            keyLength[Self.key(index)] = length
        }
        for index in 10...12 {
            indirect(index, over: (0..<3).map { _ in
                let d = Self.key(Int(rng.below(6)) + 1)
                return (d, 64 + UInt32(rng.below(2000)), keyStart[d]! + rng.below(1 << 19))
            })
        }
        indirect(13, over: [(Self.key(10), UInt32(keyLength[Self.key(10)]!), 0), (Self.key(11), UInt32(keyLength[Self.key(11)]!), 0)])
        for t in 0..<6 {
            setup.targets.append(AdapterStimulus.TargetSetup(dct: 0x100 + UInt32(t), dcKey: 0xD0 + UInt64(t), rkey: 0x500 + UInt32(t), base: UInt64(t + 1) << 40, length: 1 << 30))
            nextRaddr[0x100 + UInt32(t)] = UInt64(t + 1) << 40
        }
    }

    mutating func pick(_ n: Int) -> Int { Int(rng.below(UInt64(n))) }

    /// A list whose entries gather exactly `len` bytes (len >= 1).
    mutating func list(_ len: UInt32) -> [SGEntry] {
        var entries: [SGEntry] = []
        var left = len
        while left > 0 {
            let part = entries.count >= 5 ? left : min(left, 1 + UInt32(rng.below(UInt64(left))))
            left -= part
            let indirectKeys = [10, 11, 12, 13].map(Self.key).filter { keyLength[$0]! >= UInt64(part) }
            switch pick(4) {
            case 0 where !indirectKeys.isEmpty:
                let k = indirectKeys[pick(indirectKeys.count)]
                entries.append(.plain(key: k, addr: rng.below(keyLength[k]! - UInt64(part) + 1), len: part))
            case 1 where part >= 8:
                // A pattern of count0 elements, then what is left as a PLAIN entry.
                let elem = UInt32(1 + pick(8)), count0 = part / elem, gap = UInt32(pick(16))
                let k = Self.key(pick(6) + 1)
                entries.append(.pattern(key: k, base: keyStart[k]! + rng.below(1 << 18), elem: elem, count0: count0, stride0: elem + gap))
                let rest = part - elem * count0
                if rest > 0 { let d = Self.key(pick(6) + 1); entries.append(.plain(key: d, addr: keyStart[d]! + rng.below(1 << 19), len: rest)) }
            case 2 where part >= 16 && part % 2 == 0:
                // Two interleaved members of count0 elements each.
                let elem = UInt32(1 + pick(4)), count0 = part / (2 * elem)
                let k = Self.key(pick(6) + 1), base = keyStart[k]! + rng.below(1 << 18)
                entries.append(.pattern(key: k, base: base, elem: elem, count0: count0, stride0: elem * 3, group: true))
                entries.append(.pattern(key: k, base: base + UInt64(elem), elem: elem, count0: count0, stride0: elem * 3))
                let rest = part - 2 * elem * count0
                if rest > 0 { entries.append(.plain(key: k, addr: base + (1 << 19), len: rest)) }
            default:
                let d = Self.key(pick(6) + 1)
                entries.append(.plain(key: d, addr: keyStart[d]! + rng.below(1 << 19), len: part))
            }
        }
        entries[entries.count - 1].last = true
        return entries
    }

    public mutating func work() -> [AdapterStimulus.Work] {
        let pmtu = PathMTU.bytes(code: mix.pmtuCode)
        var wqe = [UInt16](repeating: 0, count: 32)
        let qps = AdapterConfiguration.qps
        // One more than the QPs: a WR for QP `QPS` (out of range) has a target too.
        var target = (0...qps).map { q in 0x100 + UInt32(q % 6) }
        var out: [AdapterStimulus.Work] = []
        for _ in 0..<mix.requests {
            let qp = rng.chance(3) ? qps : pick(qps)
            if rng.chance(20) { target[qp] = 0x100 + UInt32(pick(6)) }
            let t = setup.targets[Int(target[qp] - 0x100)]
            let op: WQEOpcode = rng.chance(mix.readPercent) ? .rdmaRead : rng.chance(50) ? .rdmaWrite : .send
            var len: UInt32
            switch pick(5) {
            case 0: len = pmtu * UInt32(1 + pick(mix.maxPackets))
            case 1: len = UInt32(pick(9))
            default: len = 1 + UInt32(rng.below(UInt64(pmtu) * UInt64(mix.maxPackets)))
            }
            var raddr = nextRaddr[t.dct]!
            nextRaddr[t.dct]! += UInt64(len) + 64
            var request = WorkRequest(qp: UInt8(qp), wqe: wqe[qp], opcode: op, signaled: rng.chance(70), len: len, raddr: raddr, rkey: t.rkey, dct: t.dct, dcKey: t.dcKey)
            wqe[qp] &+= 1
            var entries = len > 0 && op != .rdmaRead ? list(len) : []
            if rng.chance(mix.faultPercent) {
                switch pick(5) {
                case 0 where !entries.isEmpty: entries[pick(entries.count)].key = Self.key(30)             // no such key: 0x04
                case 1 where !entries.isEmpty: entries[entries.count - 1].count0 = 0; entries[entries.count - 1].kind = SGKind.pattern.rawValue  // MALFORMED: 0x02
                case 2 where !entries.isEmpty: entries[entries.count - 1].len += 8                          // past len: 0x01
                case 3 where op != .send: request.rkey ^= 1                                                 // bad rkey: 0x13
                case 4 where setup.fullHandshake.contains(UInt8(qp)): request.dcKey ^= 0xFF                 // dead target: 0x15
                default: break
                }
            }
            if entries.last?.kind == SGKind.pattern.rawValue && entries.last?.count0 == 0 { raddr = 0 }
            out.append(AdapterStimulus.Work(HostRequest(request, pd: Self.pd), list: entries))
        }
        return out
    }
}
