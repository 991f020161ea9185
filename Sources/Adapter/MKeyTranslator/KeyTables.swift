import AdapterSpec
import Loom

/// The key table and the KLM pool, their configuration port, and the key checks.
struct KeyTables {
    /// A key entry; `phys` of a direct key and `{klm_first, klm_count}` of an indirect one share a
    /// field. The region's end (`start + length`, 65 bits) is stored, not its length, so the
    /// range check after the block RAM read is two compares with no adder before them.
    static let entryLayout = RecordLayout(["tag": 8, "pd": 24, "access": 5, "indirect": 1, "start": 64, "end": 65, "target": 64])
    static let klmLayout = RecordLayout(["bytes": 32, "key": 32, "addr": 64])

    let m: ModuleBuilder
    /// MKEYS entries and KLM_ENTRIES entries; each knows its depth and address width.
    let keys: Memory
    let klm: Memory
    let keyValid: [Bits]

    init(_ m: ModuleBuilder, _ block: MKeyTranslator) {
        self.m = m
        keys = m.memory("keys", depth: block.mkeys, width: Self.entryLayout.width)
        klm = m.memory("klm", depth: block.klmEntries, width: Self.klmLayout.width)
        keyValid = m.registers("key_valid", count: block.mkeys, width: 1)
    }

    /// Checks and applies each `cfg` beat; returns the stream of acknowledgements (one per
    /// beat, from a register stage).
    func configure(_ cfg: Stream) -> Stream {
        let c = cfg.payload
        let isWriteKey = c.op == ConfigOp.writeMkey, isWriteKlm = c.op == ConfigOp.writeKlm, isInvalidate = c.op == ConfigOp.invalidateMkey
        let indexLimit = mux(isWriteKlm, m.lit(UInt64(klm.depth), width: 24), m.lit(UInt64(keys.depth), width: 24))
        let runEnd = c.klm_first.zeroExtended(to: 17) + c.klm_count.zeroExtended(to: 17)
        let badRun = isWriteKey & c.indirect & ((c.klm_count == 0) | (runEnd > klm.depth))
        let regionEnd = c.start + c.length            // 65 bits
        let physEnd = c.phys + c.length
        let klmEnd = c.start + c.length[31, 0].zeroExtended(to: 64)
        let wraps = (isWriteKey & (regionEnd[64] & (regionEnd[63, 0] != 0)))
            | (isWriteKey & !c.indirect & (physEnd[64] & (physEnd[63, 0] != 0)))
            | (isWriteKlm & (klmEnd[64] & (klmEnd[63, 0] != 0)))
        let cfgStatus = m.wire("cfg_status", mux(!(isWriteKey | isWriteKlm | isInvalidate), m.lit(ConfigStatus.badOp, width: 8),
            mux(c.index >= indexLimit, m.lit(ConfigStatus.indexOutOfRange, width: 8),
            mux(badRun, m.lit(ConfigStatus.klmRunOutsidePool, width: 8),
            mux(wraps, m.lit(ConfigStatus.regionWraps, width: 8), m.lit(ConfigStatus.ok, width: 8))))))
        let cfgApplies = m.wire("cfg_applies", cfg.fire & (cfgStatus == ConfigStatus.ok))
        let target = mux(c.indirect, cat(m.lit(0, width: 32), c.klm_first, c.klm_count), c.phys)
        keys.write(c.index.truncated(to: keys.addressWidth), cat(c.tag, c.pd, c.access, c.indirect, c.start, regionEnd, target), enable: cfgApplies & isWriteKey)
        klm.write(c.index.truncated(to: klm.addressWidth), cat(c.length[31, 0], c.klm_key, c.start), enable: cfgApplies & isWriteKlm)
        for k in 0..<keys.depth {
            m.when(cfgApplies & (c.index == k)) {
                m.when(isWriteKey) { keyValid[k].drive(1) }
                m.when(isInvalidate) { keyValid[k].drive(0) }
            }
        }
        // Every cfg beat becomes one cfgack beat through an output stage.
        return cfg.map("cfg_result", ConfigAck.self) { _ in [cfgStatus] }.stage("cfgack_out")
    }

    /// A key looked up and checked.
    struct Lookup {
        let entry: Record
        /// 0 or the first failing check's code.
        let status: Bits
        let klmFirst: Bits
        let klmCount: Bits
    }

    /// Looks up `key` and runs the checks SPEC 1.2 and 1.5 name, in their order.
    func lookup(_ key: Bits, pd: Bits, access: Bits, va: Bits, len: Bits, checkPdAndAccess: Bool, depthFails: Bits?, name: String) -> Lookup {
        let index = key[31, 8]
        let entry = Self.entryLayout.unpack("\(name)_entry", keys.readAsync(index.truncated(to: keys.addressWidth)))
        let isValid = (index < keys.depth) & m.select(keyValid, index.truncated(to: keys.addressWidth)) & (entry.tag == key[7, 0])
        let accessBit = m.wire("\(name)_access_ok", (access <= Int(Access.atomic.rawValue)) & (entry.access >> access.zeroExtended(to: 5))[0])
        let vaEnd = va + len.zeroExtended(to: 64)                      // 65 bits
        let inRange = m.wire("\(name)_in_range", (va >= entry.start) & (vaEnd <= entry.end))
        var status = mux(!inRange, m.lit(TranslationStatus.outOfRange, width: 8), m.lit(TranslationStatus.ok, width: 8))
        if let depthFails { status = mux(inRange & entry.indirect & depthFails, m.lit(TranslationStatus.depthExceeded, width: 8), status) }
        if checkPdAndAccess {
            status = mux(!accessBit, m.lit(TranslationStatus.accessDenied, width: 8), status)
            status = mux(entry.pd != pd, m.lit(TranslationStatus.pdMismatch, width: 8), status)
        }
        status = mux(!isValid, m.lit(TranslationStatus.badKey, width: 8), status)
        return Lookup(entry: entry, status: m.wire("\(name)_status", status), klmFirst: entry.target[31, 16], klmCount: entry.target[15, 0])
    }
}
