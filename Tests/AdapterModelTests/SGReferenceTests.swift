import AdapterModel
import Testing

/// The SG reference alone against SPEC 5's vectors and SPEC 2's coalescing and error rules.
@Suite struct SGReferenceTests {
    let ref = SGReference()

    func ends(_ e: [SGEntry]) -> [SGEntry] {
        var e = e
        e[e.count - 1].last = true
        return e
    }

    func vas(_ o: SGReference.Outcome) -> [String] {
        guard case let .chunks(c) = o else { return ["malformed"] }
        return c.map { "\(String($0.va, radix: 16))+\($0.len)" }
    }

    @Test func vectors() {
        let buf: UInt64 = 0x1000
        #expect(vas(ref.run(ends([.pattern(key: 1, base: buf, elem: 8, count0: 3, stride0: 10, group: true),
                                  .pattern(key: 1, base: buf + 64, elem: 8, count0: 3, stride0: 10)])))
                == ["1000+8", "1040+8", "100a+8", "104a+8", "1014+8", "1054+8"])
        #expect(vas(ref.run(ends([.pattern(key: 1, base: 0x104, elem: 4, count0: 4, stride0: 16)]))) == ["104+4", "114+4", "124+4", "134+4"])
        #expect(vas(ref.run(ends([.pattern(key: 1, base: 0x201, elem: 2, count0: 2, stride0: 4, count1: 2, stride1: 12)])))
                == ["201+2", "205+2", "20d+2", "211+2"])
        #expect(vas(ref.run(ends([.pattern(key: 1, base: 0, elem: 8, count0: 4, stride0: 8)]))) == ["0+32"])
    }

    @Test func coalescingLimits() {
        #expect(vas(ref.run(ends([.plain(key: 1, addr: UInt64.max - 7, len: 8), .plain(key: 1, addr: 0, len: 8)]))) == ["fffffffffffffff8+8", "0+8"])
        #expect(vas(ref.run(ends([.plain(key: 1, addr: 0, len: UInt32.max), .plain(key: 1, addr: UInt64(UInt32.max), len: 1)]))) == ["0+4294967295", "ffffffff+1"])
        #expect(vas(ref.run(ends([.plain(key: 1, addr: 0, len: 4), .plain(key: 2, addr: 4, len: 4)]))) == ["0+4", "4+4"])
    }

    @Test func malformedCases() {
        let bad: [[SGEntry]] = [
            [SGEntry(kind: 3, key: 0, addr: 0, len: 1)],
            [.plain(key: 1, addr: 0, len: 0)],
            [.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, group: true)],
            [.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, group: true), .pattern(key: 1, base: 0, elem: 4, count0: 1, stride0: 4)],
            [.plain(key: 1, addr: UInt64.max, len: 2)],
        ]
        for b in bad {
            guard case .malformed = ref.run(ends(b)) else { Issue.record("not malformed: \(b)"); continue }
        }
        // A four-member group is fine; a fifth member is not.
        let four = (0..<4).map { k in SGEntry.pattern(key: 1, base: UInt64(k) * 4, elem: 4, count0: 2, stride0: 16, group: k < 3) }
        #expect(vas(ref.run(ends(four))) == ["0+32"])
    }
}
