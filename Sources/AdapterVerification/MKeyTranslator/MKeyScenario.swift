import AdapterModel
import LoomCosim

/// Random key tables and requests for `mkey_translator`: direct keys, indirect keys over
/// KLM runs (skipped zero-byte entries, runs shorter than the key), keys nested two and three
/// levels deep (past `MAX_INDIRECTION`), bad configuration beats, invalidations and rewrites.
public struct MKeyScenario {
    public struct Mix {
        public var rounds = 3
        public var requestsPerRound = 300
        public var badRequestPercent = 15
        public var zeroLengthPercent = 3
        public var readyPercent = 70
        public var validPercent = 80
        public init() {}
    }

    var rng: SeededRandom
    let mix: Mix
    var reference = MKeyReference()
    let pd: UInt32 = 0x42
    var tags: [UInt8] = Array(repeating: 0, count: 64)
    /// Keys (as 32-bit values) of each nesting level: 0 direct, 1 indirect over direct, ...
    var levels: [[UInt32]] = [[], [], [], []]
    /// The logical region of each configured key.
    var spans: [UInt32: (start: UInt64, length: UInt64)] = [:]

    public init(seed: UInt64, mix: Mix = Mix()) {
        rng = SeededRandom(seed: seed)
        self.mix = mix
    }

    func key(_ index: Int) -> UInt32 { UInt32(index) << 8 | UInt32(tags[index]) }

    /// Builds the whole test: configuration and request phases.
    public mutating func phases() -> [MKeyStimulus.Phase] {
        var out: [MKeyStimulus.Phase] = []
        for round in 0..<mix.rounds {
            let configs = round == 0 ? initialTable() : changes()
            for c in configs { _ = reference.configure(c) }
            out.append(.configure(configs))
            out.append(.requests((0..<mix.requestsPerRound).map { requestAt($0) }))
        }
        return out
    }

    /// 24 direct keys, then 256 KLM slots and indirect keys of levels 1 to 3.
    mutating func initialTable() -> [MKeyConfig] {
        var configs: [MKeyConfig] = []
        levels = [[], [], [], []]
        for i in 0..<24 {
            tags[i] = UInt8(rng.below(256))
            let start = UInt64(i) << 20
            configs.append(.direct(index: UInt32(i), tag: tags[i], pd: pd, access: rng.chance(80) ? 0x1f : UInt8(rng.below(32)),
                                   start: start, length: 1 << 16, phys: rng.next() & 0xffff_ffff_f000))
            levels[0].append(key(i))
            spans[key(i)] = (start, 1 << 16)
        }
        // Indirect keys: 8 over direct keys, 6 over those, 4 over those (too deep for MAX 2).
        var slot = 0
        var index = 24
        for (level, count) in [(1, 8), (2, 6), (3, 4)] {
            for _ in 0..<count {
                let entries = 1 + Int(rng.below(6))
                var total: UInt64 = 0
                for _ in 0..<entries {
                    let bytes = rng.chance(10) ? 0 : UInt32(1 + rng.below(300))
                    let below = levels[level - 1]
                    var target = below[Int(rng.below(UInt64(below.count)))]
                    if rng.chance(4) { target ^= 0x1 }  // a wrong tag deep inside: BAD_KEY on the walk
                    let region = spans[target] ?? (start: 0, length: 1)
                    // Mostly inside the target; when the piece does not fit, the walk fails OUT_OF_RANGE.
                    let room = region.length > UInt64(bytes) ? region.length - UInt64(bytes) : 1
                    let addr = region.start + rng.below(room + 1)
                    configs.append(.klm(slot: UInt32(slot), bytes: bytes, key: target, addr: addr))
                    total += UInt64(bytes)
                    slot += 1
                }
                tags[index] = UInt8(rng.below(256))
                // Usually the exact sum; sometimes longer than the entries cover.
                let length = rng.chance(85) ? max(total, 1) : total + 64
                configs.append(.indirect(index: UInt32(index), tag: tags[index], pd: pd, start: 0, length: length,
                                         klmFirst: UInt16(slot - entries), klmCount: UInt16(entries)))
                levels[level].append(key(index))
                spans[key(index)] = (0, length)
                index += 1
            }
        }
        // Fill the rest of the pool so no slot is read unwritten.
        while slot < 256 {
            configs.append(.klm(slot: UInt32(slot), bytes: 16, key: levels[0][0], addr: 0))
            slot += 1
        }
        configs += refusedConfigs()
        return configs
    }

    /// Beats the hardware must refuse, each with its status.
    mutating func refusedConfigs() -> [MKeyConfig] {
        var bad: [MKeyConfig] = []
        bad.append(MKeyConfig(op: 3, index: 0))                                                         // 3 bad op
        bad.append(.direct(index: 64, tag: 0, pd: pd, start: 0, length: 1, phys: 0))                  // 1 index
        bad.append(.klm(slot: 256, bytes: 1, key: 0, addr: 0))                                          // 1 slot
        bad.append(.indirect(index: 63, tag: 0, pd: pd, start: 0, length: 1, klmFirst: 250, klmCount: 7))  // 2 run
        bad.append(.indirect(index: 63, tag: 0, pd: pd, start: 0, length: 1, klmFirst: 0, klmCount: 0))    // 2 empty run
        bad.append(.direct(index: 63, tag: 0, pd: pd, start: UInt64.max - 3, length: 8, phys: 0))      // 4 region wraps
        bad.append(.direct(index: 63, tag: 0, pd: pd, start: 0, length: 8, phys: UInt64.max - 3))      // 4 phys wraps
        bad.append(.klm(slot: 5, bytes: 16, key: 0, addr: UInt64.max - 7))                             // 4 KLM wraps
        return bad.shuffled(using: &rng)
    }

    /// Between rounds: invalidate some keys, rewrite some tags, refuse some beats.
    mutating func changes() -> [MKeyConfig] {
        var configs: [MKeyConfig] = []
        for _ in 0..<4 {
            let i = Int(rng.below(24))
            configs.append(.invalidate(index: UInt32(i)))
            if rng.chance(60) {
                tags[i] = UInt8(rng.below(256))
                configs.append(.direct(index: UInt32(i), tag: tags[i], pd: pd, start: UInt64(i) << 20, length: 1 << 16, phys: rng.next() & 0xffff_f000))
            }
        }
        configs.append(.invalidate(index: 63))  // already invalid: still acknowledged 0
        return configs + refusedConfigs()
    }

    /// A request: mostly to valid keys and within range; sometimes wrong in one way.
    mutating func requestAt(_ n: Int) -> MKeyRequest {
        let level = Int(rng.below(4))
        var k = levels[level][Int(rng.below(UInt64(levels[level].count)))]
        let index = Int(k >> 8)
        let entry = reference.keys[index]
        let start = entry?.start ?? 0, length = entry?.length ?? 1
        var va = start + rng.below(max(length, 1))
        var len = UInt32(min(length - (va - start), 1 + rng.below(level == 0 ? 4096 : 600)))
        var access = UInt8(rng.below(5))
        var pdValue = pd
        if rng.chance(mix.zeroLengthPercent) { len = 0 }
        if rng.chance(mix.badRequestPercent) {
            switch rng.below(6) {
            case 0: k ^= 0x80                               // wrong tag
            case 1: k = UInt32(64 + rng.below(1000)) << 8   // index out of range
            case 2: pdValue ^= 1                            // PD mismatch
            case 3: access = UInt8(5 + rng.below(3))        // no such access
            case 4: va = start + length - UInt64(len) + 1   // past the end
            default: va = start &- 1                        // before the start
            }
        }
        return MKeyRequest(id: UInt8(n & 0xff), key: k, va: va, len: len, access: access, pd: pdValue)
    }
}
