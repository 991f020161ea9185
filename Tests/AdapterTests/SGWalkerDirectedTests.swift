import Adapter
import AdapterModel
import AdapterVerification
import Foundation
import Loom
import LoomCosim
import Testing

/// SPEC 2 rules and SPEC 5 vectors for `sg_walker`: each runs the RTL in lockstep with the
/// cycle model and the reference, then checks the chunks against values written from SPEC.md.
@Suite(.serialized) struct SGWalkerDirectedTests {
    /// Runs operations; returns the chunks received, grouped per operation.
    func run(_ ops: [[SGEntry]], chunkReadyPercent: Int = 100, sgeValidPercent: Int = 100,
             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [[SGChunk]] {
        var stimulus: SGStimulus?
        let runner = LockstepRunner(cycleLimit: 50_000, watchdogCycles: 2_000)
        let r = try runner.run(test: "sg-directed", seed: 1, reproduce: "swift test --filter SGWalkerDirectedTests") {
            let parts = try AdapterTests.sgDirected(ops, chunkReadyPercent: chunkReadyPercent, sgeValidPercent: sgeValidPercent)
            stimulus = parts.stimulus as? SGStimulus
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        return stimulus?.received ?? []
    }

    func op(_ entries: [SGEntry], id: UInt8 = 7) -> [SGEntry] {
        var e = entries
        for k in e.indices { e[k].id = id }
        e[e.count - 1].last = true
        return e
    }

    func pieces(_ chunks: [SGChunk]) -> [String] { chunks.map { "\($0.key):\(String($0.va, radix: 16))+\($0.len)" } }

    let buf: UInt64 = 0x10_0000

    @Test func vectorInterleavedRepeatBlock() throws {
        // Two one-level members {buf, elem 8, stride0 10} and {buf+64, elem 8, stride0 10}, count0 3.
        let got = try run([op([.pattern(key: 5, base: buf, elem: 8, count0: 3, stride0: 10, group: true),
                               .pattern(key: 5, base: buf + 64, elem: 8, count0: 3, stride0: 10)])])
        #expect(pieces(got[0]) == ["5:100000+8", "5:100040+8", "5:10000a+8", "5:10004a+8", "5:100014+8", "5:100054+8"])
        #expect(got[0].map(\.last) == [false, false, false, false, false, true])
    }

    @Test func vectorMatrixColumn() throws {
        let m: UInt64 = 0x2000
        let got = try run([op([.pattern(key: 1, base: m + 4, elem: 4, count0: 4, stride0: 16)])])
        #expect(pieces(got[0]) == ["1:2004+4", "1:2014+4", "1:2024+4", "1:2034+4"])
    }

    @Test func vectorSubBlockOfA3DArray() throws {
        let a: UInt64 = 0x9000
        let got = try run([op([.pattern(key: 1, base: a + 1, elem: 2, count0: 2, stride0: 4, count1: 2, stride1: 12)])])
        #expect(pieces(got[0]) == ["1:9001+2", "1:9005+2", "1:900d+2", "1:9011+2"])
    }

    /// The first `cycles` cycles of one operation on the default walker (MAX_VISITS = 2^24),
    /// the RTL and the cycle model compared every cycle: enough to see how an entry with
    /// millions of visits starts without running them all.
    func firstChunks(_ entry: SGEntry, cycles: Int = 40, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [SGChunk] {
        let rtl = try VerilatedModel(try elaborate(SGWalker()))
        let model = try SGWalkerCycleModel(rtl.layout)
        let ports = try SGPorts(rtl.layout.packed()), rst = try rtl.layout.resetSlot()
        let inputs = UnsafeMutablePointer<UInt64>.allocate(capacity: rtl.layout.inputWords)
        let rtlOut = UnsafeMutablePointer<UInt64>.allocate(capacity: rtl.layout.outputWords)
        let modelOut = UnsafeMutablePointer<UInt64>.allocate(capacity: rtl.layout.outputWords)
        defer { inputs.deallocate(); rtlOut.deallocate(); modelOut.deallocate() }
        inputs.initialize(repeating: 0, count: rtl.layout.inputWords)
        var chunks: [SGChunk] = []
        var offered = true
        var rng = SeededRandom(seed: 1)
        for cycle in -2..<cycles {
            inputs[rst] = cycle < 0 ? 1 : 0
            ports.sge.offer(cycle >= 0 && offered ? entry : nil, into: inputs, &rng)
            inputs[ports.chunk.ready] = 1
            rtl.cycle(inputs, rtlOut)
            model.cycle(inputs, modelOut)
            #expect((0..<rtl.layout.outputWords).allSatisfy { rtlOut[$0] == modelOut[$0] }, "RTL and cycle model differ at cycle \(cycle)", sourceLocation: sourceLocation)
            guard cycle >= 0 else { continue }
            if offered && rtlOut[ports.sge.ready] & 1 == 1 { offered = false }
            if ports.chunk.isValid(rtlOut) { chunks.append(ports.chunk.read(rtlOut)) }
        }
        return chunks
    }

    @Test func exactlyMaxVisitsIsLegal() throws {
        // SPEC 2.3: malformed when count0 * count1 is *more than* MAX_VISITS; 4096 * 4096 = 2^24 is not.
        var exactly = try firstChunks(.pattern(key: 2, base: 0x4000, elem: 8, count0: 4096, stride0: 16, count1: 4096, stride1: 65536, id: 3, last: true))
        #expect(!exactly.isEmpty)
        #expect(exactly.allSatisfy { $0.status == ChunkStatus.ok.rawValue })
        exactly = Array(exactly.prefix(3))
        #expect(pieces(exactly) == ["2:4000+8", "2:4010+8", "2:4020+8"])
        let over = try firstChunks(.pattern(key: 2, base: 0x4000, elem: 8, count0: 4097, stride0: 16, count1: 4096, stride1: 65536, id: 3, last: true))
        #expect(over == [SGChunk.malformed(id: 3)])
    }

    @Test func contiguousPatternIsOneChunk() throws {
        let got = try run([op([.pattern(key: 3, base: 0x100, elem: 8, count0: 4, stride0: 8)])])
        #expect(pieces(got[0]) == ["3:100+32"])
    }

    @Test func interleaveOfAdjacentMembersCoalescesCompletely() throws {
        // mlx5 interleaved layout with members side by side: one run of 2*8*count0 bytes.
        let got = try run([op([.pattern(key: 3, base: 0x100, elem: 8, count0: 5, stride0: 16, group: true),
                               .pattern(key: 3, base: 0x108, elem: 8, count0: 5, stride0: 16)])])
        #expect(pieces(got[0]) == ["3:100+80"])
    }

    @Test func plainEntriesCoalesceOnlyWhenContiguousAndSameKey() throws {
        let got = try run([op([.plain(key: 1, addr: 0x1000, len: 0x10), .plain(key: 1, addr: 0x1010, len: 0x20),
                               .plain(key: 2, addr: 0x1030, len: 8), .plain(key: 2, addr: 0x1040, len: 8)])])
        #expect(pieces(got[0]) == ["1:1000+48", "2:1030+8", "2:1040+8"])
    }

    @Test func anEndOfExactly2To64JoinsNothing() throws {
        let got = try run([op([.plain(key: 1, addr: UInt64.max - 15, len: 16), .plain(key: 1, addr: 0, len: 16)])])
        #expect(pieces(got[0]) == ["1:fffffffffffffff0+16", "1:0+16"])
    }

    @Test func lengthsStayBelow2To32() throws {
        let got = try run([op([.plain(key: 1, addr: 0, len: 0xffff_fff0), .plain(key: 1, addr: 0xffff_fff0, len: 15),
                               .plain(key: 1, addr: 0xffff_ffff, len: 1)])])
        #expect(pieces(got[0]) == ["1:0+4294967295", "1:ffffffff+1"])
    }

    @Test func operationsAreSeparateAndKeepTheirIds() throws {
        let got = try run([op([.plain(key: 1, addr: 0, len: 8)], id: 1), op([.plain(key: 1, addr: 8, len: 8)], id: 2)])
        #expect(got.map { $0.map(\.id) } == [[1], [2]])
        #expect(pieces(got[1]) == ["1:8+8"])  // never joined across operations
    }

    @Test(arguments: [
        ("kind 2", [SGEntry(kind: 2, key: 1, addr: 0, len: 4)]),
        ("PLAIN len 0", [.plain(key: 1, addr: 0, len: 0)]),
        ("PLAIN with group", [SGEntry(kind: 0, group: true, key: 1, addr: 0, len: 4), .plain(key: 1, addr: 4, len: 4)]),
        ("elem 0", [.pattern(key: 1, base: 0, elem: 0, count0: 2, stride0: 4)]),
        ("count0 0", [.pattern(key: 1, base: 0, elem: 4, count0: 0, stride0: 4)]),
        ("count1 0", [.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 4, count1: 0, stride1: 8)]),
        ("too many visits", [.pattern(key: 1, base: 0, elem: 1, count0: 4097, stride0: 1, count1: 4096, stride1: 4097)]),
        ("counts differ in a group", [.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 8, group: true), .pattern(key: 1, base: 4, elem: 4, count0: 3, stride0: 8)]),
        ("five members", (0..<5).map { k in .pattern(key: 1, base: UInt64(k) * 4, elem: 4, count0: 2, stride0: 20, group: k < 4) }),
        ("group open at last", [.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 8, group: true)]),
        ("group continued by PLAIN", [.pattern(key: 1, base: 0, elem: 4, count0: 2, stride0: 8, group: true), .plain(key: 1, addr: 0, len: 4)]),
        ("PLAIN past 2^64", [.plain(key: 1, addr: UInt64.max, len: 2)]),
        ("PATTERN past 2^64", [.pattern(key: 1, base: UInt64.max - 100, elem: 8, count0: 4, stride0: 32)]),
    ] as [(String, [SGEntry])])
    func malformedEndsTheOperationWithOneErrorBeat(name: String, entries: [SGEntry]) throws {
        // A good operation before and after: the error stays inside its own operation.
        let got = try run([op([.plain(key: 1, addr: 0x40, len: 8)], id: 1), op(entries, id: 2), op([.plain(key: 1, addr: 0x80, len: 8)], id: 3)])
        #expect(got.count == 3, "\(name)")
        #expect(got[1].last == SGChunk.malformed(id: 2), "\(name)")
        #expect(pieces(got[2]) == ["1:80+8"], "\(name)")
    }

    @Test func errorAfterGoodEntriesConsumesTheRest() throws {
        let got = try run([op([.plain(key: 1, addr: 0, len: 8), .plain(key: 2, addr: 0, len: 8), .plain(key: 1, addr: 0, len: 0),
                               .plain(key: 1, addr: 0x100, len: 8), .plain(key: 1, addr: 0x200, len: 8)], id: 4),
                           op([.plain(key: 9, addr: 0x300, len: 8)], id: 5)])
        #expect(got.count == 2)
        #expect(got[0].last == SGChunk.malformed(id: 4))
        #expect(got[0].count <= 3)  // chunks before the error may precede it
        #expect(pieces(got[1]) == ["9:300+8"])
    }

    @Test func boundaryAddressesThatAreStillValid() throws {
        // Highest byte exactly 2^64 - 1 is allowed, for PLAIN and PATTERN.
        let got = try run([op([.plain(key: 1, addr: UInt64.max - 7, len: 8)]),
                           op([.pattern(key: 1, base: UInt64.max - 63, elem: 4, count0: 2, stride0: 60)])])
        #expect(pieces(got[0]) == ["1:fffffffffffffff8+8"])
        #expect(pieces(got[1]) == ["1:ffffffffffffffc0+4", "1:fffffffffffffffc+4"])
    }

    @Test func randomBackPressureDoesNotChangeTheChunks() throws {
        let ops = (0..<20).map { k in op([.pattern(key: 1, base: 0x1000 * UInt64(k), elem: 8, count0: 3, stride0: 24, group: true),
                                          .pattern(key: 1, base: 0x1000 * UInt64(k) + 8, elem: 8, count0: 3, stride0: 24, group: true),
                                          .pattern(key: 2, base: 0x1000 * UInt64(k) + 16, elem: 8, count0: 3, stride0: 24)], id: UInt8(k)) }
        let calm = try run(ops)
        let stormy = try run(ops, chunkReadyPercent: 30, sgeValidPercent: 40)
        #expect(calm == stormy)
        #expect(calm[0].count == 6)  // key 1 runs (16 bytes) alternate with key 2 elements
    }
}
