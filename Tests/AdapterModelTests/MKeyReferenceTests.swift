import AdapterModel
import Testing

/// The translator's reference alone, against SPEC 5's key vectors.
@Suite struct MKeyReferenceTests {
    func key(_ i: UInt32, _ t: UInt8) -> UInt32 { i << 8 | UInt32(t) }

    @Test func listLayoutAndNesting() {
        var r = MKeyReference()
        let buf: UInt64 = 0x10000
        for c in [MKeyConfig.direct(index: 1, tag: 1, pd: 1, start: buf, length: 0x1000, phys: buf),
                  .klm(slot: 0, bytes: 8, key: key(1, 1), addr: buf), .klm(slot: 1, bytes: 8, key: key(1, 1), addr: buf + 64),
                  .indirect(index: 2, tag: 2, pd: 1, start: 0, length: 16, klmFirst: 0, klmCount: 2)] {
            #expect(r.configure(c) == 0)
        }
        #expect(r.translate(MKeyRequest(key: key(2, 2), va: 4, len: 8, pd: 1))
                == .segments([MKeySegment(id: 0, addr: buf + 4, len: 4, last: false), MKeySegment(id: 0, addr: buf + 64, len: 4, last: true)]))
        #expect(r.translate(MKeyRequest(key: key(2, 2), va: 0, len: 100, pd: 1)) == .error(before: [], status: TranslationStatus.outOfRange.rawValue))
        #expect(r.nesting(key(2, 2)) == 1)
    }

    @Test func configurationChecks() {
        var r = MKeyReference()
        #expect(r.configure(MKeyConfig(op: 3, index: 1000)) == 3)
        #expect(r.configure(.direct(index: 64, tag: 0, pd: 0, start: 0, length: 1, phys: 0)) == 1)
        #expect(r.configure(.indirect(index: 1, tag: 0, pd: 0, start: 0, length: 1, klmFirst: 255, klmCount: 2)) == 2)
        #expect(r.configure(.direct(index: 1, tag: 0, pd: 0, start: UInt64.max, length: 2, phys: 0)) == 4)
        #expect(r.configure(.direct(index: 1, tag: 0, pd: 0, start: UInt64.max, length: 1, phys: 0)) == 0)
        #expect(r.configure(.invalidate(index: 9)) == 0)
    }
}
