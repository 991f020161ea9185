import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// SPEC 1 rules and SPEC 5 vectors for `mkey_translator`: each runs the RTL in lockstep with
/// the cycle model and the reference, then checks segments against values from SPEC.md.
@Suite(.serialized) struct MKeyTranslatorDirectedTests {
    let pd: UInt32 = 7

    func run(_ phases: [MKeyStimulus.Phase], maxIndirection: Int = 2, imaicl: Bool = true, readyPercent: Int = 100,
             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (acks: [UInt8], responses: [[MKeySegment]]) {
        let runner = LockstepRunner(cycleLimit: 50_000, watchdogCycles: 2_000)
        var stimulus: MKeyStimulus?
        let r = try runner.run(test: "mkey-directed", seed: 1, reproduce: "swift test --filter MKeyTranslatorDirectedTests") {
            let parts = try AdapterTests.mkeyDirected(phases, readyPercent: readyPercent, maxIndirection: maxIndirection, imaicl: imaicl)
            stimulus = parts.stimulus as? MKeyStimulus
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        return (stimulus?.acks ?? [], stimulus?.responses ?? [])
    }

    func key(_ index: UInt32, _ tag: UInt8) -> UInt32 { index << 8 | UInt32(tag) }
    func pieces(_ segs: [MKeySegment]) -> [String] { segs.map { $0.status != 0 ? "ERR\($0.status)" : "\(String($0.addr, radix: 16))+\($0.len)" } }

    // SPEC 1.1: each of the MKEYS slots is a key of its own.

    @Test func everyKeySlotIsWrittenReadAndInvalidatedOnItsOwn() throws {
        // Each slot gets its own tag and physical base; each key then translates to its own
        // base, and invalidating one slot fails that key only.
        let slots = (0..<64).map { UInt32($0) }
        let writes = slots.map { i in MKeyConfig.direct(index: i, tag: UInt8(i + 1), pd: pd, start: 0x1000, length: 0x1000, phys: 0x100_0000 * UInt64(i + 1)) }
        func request(_ i: UInt32, id: UInt8) -> MKeyRequest { MKeyRequest(id: id, key: key(i, UInt8(i + 1)), va: 0x1000, len: 8, pd: pd) }
        var phases: [MKeyStimulus.Phase] = [.configure(writes), .requests(slots.map { request($0, id: UInt8($0)) })]
        // Invalidate the even slots, then ask every slot again.
        phases += [.configure(slots.filter { $0 % 2 == 0 }.map { MKeyConfig.invalidate(index: $0) }), .requests(slots.map { request($0, id: UInt8($0)) })]
        // Invalidate the odd ones too, write slot 0 again, ask again: only slot 0 answers.
        phases += [.configure(slots.filter { $0 % 2 == 1 }.map { MKeyConfig.invalidate(index: $0) } + [writes[0]]), .requests(slots.map { request($0, id: UInt8($0)) })]
        let out = try run(phases)
        #expect(out.acks == Array(repeating: 0, count: 64 + 32 + 33))
        try #require(out.responses.count == 192)
        func base(_ i: Int) -> String { "\(String(0x100_0000 * (i + 1), radix: 16))+8" }
        for i in 0..<64 {
            #expect(pieces(out.responses[i]) == [base(i)], "slot \(i)")
            #expect(pieces(out.responses[64 + i]) == (i % 2 == 0 ? ["ERR1"] : [base(i)]), "slot \(i) after invalidating the even ones")
            #expect(pieces(out.responses[128 + i]) == (i == 0 ? [base(i)] : ["ERR1"]), "slot \(i) after invalidating all and writing slot 0")
        }
    }

    @Test func keyIndexExactlyMkeysIsInvalidAtTheTopAndInside() throws {
        // Index 64 (= MKEYS) names no slot: it must not alias slot 0, whose tag it carries.
        let configs: [MKeyConfig] = [
            .direct(index: 0, tag: 9, pd: pd, start: 0, length: 0x1000, phys: 0x5000),
            .klm(slot: 0, bytes: 16, key: key(64, 9), addr: 0),
            .indirect(index: 1, tag: 1, pd: pd, start: 0, length: 16, klmFirst: 0, klmCount: 1),
        ]
        let out = try run([.configure(configs), .requests([
            MKeyRequest(id: 1, key: key(64, 9), va: 0, len: 8, pd: pd),
            MKeyRequest(id: 2, key: key(0, 9), va: 0, len: 8, pd: pd),
            MKeyRequest(id: 3, key: key(1, 1), va: 0, len: 8, pd: pd),
        ])])
        try #require(out.responses.count == 3)
        #expect(pieces(out.responses[0]) == ["ERR1"])
        #expect(pieces(out.responses[1]) == ["5000+8"])
        #expect(pieces(out.responses[2]) == ["ERR1"])
    }

    @Test func innerKeyValidityIsLookedUpSlotBySlot() throws {
        // One indirect key (slot 63) whose single KLM entry is pointed at each other slot in
        // turn; the odd slots are valid direct keys, the even ones were never written.
        let directs = (0..<63).filter { $0 % 2 == 1 }.map { i in
            MKeyConfig.direct(index: UInt32(i), tag: 7, pd: pd, start: 0, length: 0x1000, phys: 0x10_0000 * UInt64(i))
        }
        var phases: [MKeyStimulus.Phase] = [.configure(directs + [.indirect(index: 63, tag: 3, pd: pd, start: 0, length: 8, klmFirst: 0, klmCount: 1)])]
        for i in 0..<63 {
            phases += [.configure([.klm(slot: 0, bytes: 8, key: key(UInt32(i), 7), addr: 0x10)]),
                       .requests([MKeyRequest(id: UInt8(i), key: key(63, 3), va: 0, len: 8, pd: pd)])]
        }
        let out = try run(phases)
        try #require(out.responses.count == 63)
        for i in 0..<63 {
            #expect(pieces(out.responses[i]) == (i % 2 == 1 ? ["\(String(0x10_0000 * i + 0x10, radix: 16))+8"] : ["ERR1"]), "inner slot \(i)")
        }
    }

    // SPEC 5: rdma-core list layout.
    var listLayout: [MKeyConfig] {
        let buf: UInt64 = 0x40_0000
        return [
            .direct(index: 1, tag: 0x11, pd: pd, start: buf, length: 0x1000, phys: buf),
            .klm(slot: 0, bytes: 8, key: key(1, 0x11), addr: buf + 0),
            .klm(slot: 1, bytes: 8, key: key(1, 0x11), addr: buf + 64),
            .indirect(index: 2, tag: 0x22, pd: pd, start: 0, length: 16, klmFirst: 0, klmCount: 2),
        ]
    }

    @Test func vectorRdmaCoreListLayout() throws {
        let l = key(2, 0x22)
        let out = try run([.configure(listLayout), .requests([
            MKeyRequest(id: 1, key: l, va: 0, len: 16, pd: pd),
            MKeyRequest(id: 2, key: l, va: 4, len: 8, pd: pd),
            MKeyRequest(id: 3, key: l, va: 0, len: 100, pd: pd),
        ])])
        #expect(out.acks == [0, 0, 0, 0])
        #expect(pieces(out.responses[0]) == ["400000+8", "400040+8"])
        #expect(pieces(out.responses[1]) == ["400004+4", "400040+4"])
        #expect(pieces(out.responses[2]) == ["ERR4"])
        #expect(out.responses[0].map(\.last) == [false, true])
    }

    var nested: [MKeyConfig] {
        [
            .direct(index: 1, tag: 1, pd: pd, start: 0, length: 0x4000, phys: 0),            // K1
            .klm(slot: 0, bytes: 8, key: key(1, 1), addr: 0x1000),
            .klm(slot: 1, bytes: 8, key: key(1, 1), addr: 0x2040),
            .indirect(index: 2, tag: 2, pd: pd, start: 0, length: 16, klmFirst: 0, klmCount: 2),  // I
            .klm(slot: 2, bytes: 16, key: key(2, 2), addr: 0),
            .klm(slot: 3, bytes: 8, key: key(1, 1), addr: 0x3000),
            .indirect(index: 3, tag: 3, pd: pd, start: 0, length: 24, klmFirst: 2, klmCount: 2),  // O
        ]
    }

    @Test func vectorNestedKeys() throws {
        let out = try run([.configure(nested), .requests([MKeyRequest(id: 9, key: key(3, 3), va: 12, len: 8, pd: pd)])])
        #expect(pieces(out.responses[0]) == ["2044+4", "3000+4"])
    }

    @Test func vectorNestedKeysFailWithMaxIndirectionOne() throws {
        let out = try run([.configure(nested), .requests([MKeyRequest(id: 9, key: key(3, 3), va: 12, len: 8, pd: pd),
                                                          MKeyRequest(id: 10, key: key(2, 2), va: 0, len: 16, pd: pd)])], maxIndirection: 1)
        #expect(pieces(out.responses[0]) == ["ERR5"])
        #expect(pieces(out.responses[1]) == ["1000+8", "2040+8"])  // one level is fine
    }

    @Test func topKeyChecksInTheirOrder() throws {
        let k = key(1, 0x11)
        var limited = MKeyConfig.direct(index: 4, tag: 4, pd: pd, access: 0b00001, start: 0x100, length: 0x100, phys: 0x9000)
        limited.access = 0b00001   // LOCAL_READ only
        let out = try run([.configure(listLayout + [limited]), .requests([
            MKeyRequest(id: 1, key: key(1, 0x12), va: 0x40_0000, len: 4, pd: pd),           // tag mismatch
            MKeyRequest(id: 2, key: key(40, 0), va: 0, len: 4, pd: pd),                      // invalid entry
            MKeyRequest(id: 3, key: key(200, 0), va: 0, len: 4, pd: pd),                     // index out of range
            MKeyRequest(id: 4, key: k, va: 0x40_0000, len: 4, access: 7, pd: pd + 1),        // PD before access
            MKeyRequest(id: 5, key: key(4, 4), va: 0x100, len: 4, access: 1, pd: pd),        // access bit clear
            MKeyRequest(id: 6, key: k, va: 0x40_0000, len: 4, access: 5, pd: pd),            // access value > 4
            MKeyRequest(id: 7, key: key(4, 4), va: 0x1fe, len: 4, access: 0, pd: pd),        // past the end
            MKeyRequest(id: 8, key: key(4, 4), va: 0xff, len: 1, access: 0, pd: pd),         // before the start
            MKeyRequest(id: 9, key: key(4, 4), va: 0x1fc, len: 4, access: 0, pd: pd),        // ends exactly at the end
            MKeyRequest(id: 10, key: key(4, 4), va: 0x200, len: 0, access: 0, pd: pd),       // zero length at the end
            MKeyRequest(id: 11, key: key(4, 4), va: 0x201, len: 0, access: 0, pd: pd),       // zero length past it
        ])])
        #expect(out.responses.map(pieces) == [["ERR1"], ["ERR1"], ["ERR1"], ["ERR2"], ["ERR3"], ["ERR3"], ["ERR4"], ["ERR4"], ["90fc+4"], ["0+0"], ["ERR4"]])
        #expect(out.responses.map { $0.map(\.id) } == (1...11).map { [UInt8($0)] })  // in request order
    }

    @Test func innerKeyChecksWithAndWithoutImaicl() throws {
        // The inner key has another PD and no REMOTE_WRITE: ignored with IMAICL = 1, refused with 0.
        let tables: [MKeyConfig] = [
            .direct(index: 1, tag: 1, pd: pd + 5, access: 0b00001, start: 0, length: 0x1000, phys: 0x8000),
            .klm(slot: 0, bytes: 32, key: key(1, 1), addr: 0x10),
            .indirect(index: 2, tag: 2, pd: pd, start: 0, length: 32, klmFirst: 0, klmCount: 1),
        ]
        let request = MKeyRequest(id: 1, key: key(2, 2), va: 0, len: 32, access: 3, pd: pd)
        #expect(pieces(try run([.configure(tables), .requests([request])], imaicl: true).responses[0]) == ["8010+32"])
        #expect(pieces(try run([.configure(tables), .requests([request])], imaicl: false).responses[0]) == ["ERR2"])
        var samePd = tables
        samePd[0].pd = pd
        #expect(pieces(try run([.configure(samePd), .requests([request])], imaicl: false).responses[0]) == ["ERR3"])
    }

    @Test func walkSkipsZeroByteEntriesAndRunsOutOfEntries() throws {
        let tables: [MKeyConfig] = [
            .direct(index: 1, tag: 1, pd: pd, start: 0, length: 0x1000, phys: 0x5000),
            .klm(slot: 0, bytes: 0, key: 0xdead_beef, addr: 0),       // skipped without looking at its key
            .klm(slot: 1, bytes: 8, key: key(1, 1), addr: 0x100),
            .klm(slot: 2, bytes: 8, key: key(1, 1), addr: 0x200),
            .indirect(index: 2, tag: 2, pd: pd, start: 0, length: 32, klmFirst: 0, klmCount: 3),  // length claims 32, entries cover 16
            .klm(slot: 3, bytes: 8, key: key(9, 9), addr: 0),         // a key that does not exist
            .indirect(index: 3, tag: 3, pd: pd, start: 0, length: 8, klmFirst: 3, klmCount: 1),
            .klm(slot: 4, bytes: 8, key: key(1, 1), addr: 0xffc),     // piece sticks out of K1
            .indirect(index: 4, tag: 4, pd: pd, start: 0, length: 8, klmFirst: 4, klmCount: 1),
        ]
        let out = try run([.configure(tables), .requests([
            MKeyRequest(id: 1, key: key(2, 2), va: 0, len: 16, pd: pd),
            MKeyRequest(id: 2, key: key(2, 2), va: 4, len: 20, pd: pd),
            MKeyRequest(id: 3, key: key(3, 3), va: 0, len: 8, pd: pd),
            MKeyRequest(id: 4, key: key(4, 4), va: 0, len: 8, pd: pd),
        ])])
        #expect(pieces(out.responses[0]) == ["5100+8", "5200+8"])
        #expect(out.responses[1].last?.status == TranslationStatus.outOfRange.rawValue)   // segments before it may precede
        #expect(pieces(out.responses[2]) == ["ERR1"])
        #expect(pieces(out.responses[3]) == ["ERR4"])
    }

    @Test func configurationStatusesAndOrdering() throws {
        let out = try run([
            .configure([
                MKeyConfig(op: 3, index: 0),                                                          // bad op
                .direct(index: 64, tag: 0, pd: pd, start: 0, length: 1, phys: 0),                   // index
                .klm(slot: 256, bytes: 1, key: 0, addr: 0),                                           // slot
                .indirect(index: 5, tag: 0, pd: pd, start: 0, length: 1, klmFirst: 200, klmCount: 57),  // run
                .indirect(index: 5, tag: 0, pd: pd, start: 0, length: 1, klmFirst: 0, klmCount: 0),     // empty run
                .direct(index: 5, tag: 0, pd: pd, start: 2, length: UInt64.max, phys: 0),           // region wraps (start + length = 2^64 + 1)
                .direct(index: 5, tag: 0, pd: pd, start: 0, length: 16, phys: UInt64.max - 7),       // phys wraps
                .klm(slot: 0, bytes: 9, key: 0, addr: UInt64.max - 7),                                // KLM wraps
                .direct(index: 5, tag: 5, pd: pd, start: 0, length: 16, phys: UInt64.max - 15),      // exactly fits: OK
                MKeyConfig(op: 3, index: 999),                                                        // op checked before index
                .invalidate(index: 6),                                                                // already invalid: OK
                .direct(index: 5, tag: 9, pd: pd, start: UInt64.max - 3, length: 8, phys: 0),        // refused (4): key 5 unchanged
            ]),
            .requests([MKeyRequest(id: 1, key: key(5, 5), va: 0, len: 16, pd: pd)]),
            .configure([.invalidate(index: 5)]),
            .requests([MKeyRequest(id: 2, key: key(5, 5), va: 0, len: 16, pd: pd)]),   // sees the invalidation
        ])
        #expect(out.acks == [3, 1, 1, 2, 2, 4, 4, 4, 0, 3, 0, 4, 0])
        #expect(pieces(out.responses[0]) == ["fffffffffffffff0+16"])
        #expect(pieces(out.responses[1]) == ["ERR1"])
    }

    @Test func backPressureKeepsEverything() throws {
        let reqs = (0..<60).map { MKeyRequest(id: UInt8($0), key: $0 % 2 == 0 ? key(3, 3) : key(1, 1), va: 12, len: 8, pd: pd) }
        let calm = try run([.configure(nested), .requests(reqs)])
        let stormy = try run([.configure(nested), .requests(reqs)], readyPercent: 20)
        #expect(calm.responses == stormy.responses)
        #expect(calm.responses.count == 60)
    }
}
