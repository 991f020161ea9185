import Adapter
import AdapterModel
import Loom
import LoomCosim

/// Throughput of `sg_walker` on the Verilated RTL (SPEC 2.5): chunks out per cycle and
/// visits per cycle for plain, strided and interleaved lists, the host always ready.
public enum SGThroughput {
    public struct Figure {
        public var name: String
        public var visits: Int
        public var chunks: Int
        public var cycles: Int
        public var chunksPerCycle: Double { Double(chunks) / Double(cycles) }
        public var visitsPerCycle: Double { Double(visits) / Double(cycles) }
    }

    /// Streams `operations` back to back and counts cycles from the first entry to the last chunk.
    static func measure(_ name: String, _ operations: [[SGEntry]], rtl: VerilatedModel) throws -> Figure {
        let p = try SGPorts(rtl.layout.packed())
        rtl.reset(cycles: 2)
        var i = [UInt64](repeating: 0, count: rtl.layout.inputWords)
        i[p.chunk.ready] = 1
        let entries = operations.flatMap { $0 }
        var next = 0, chunks = 0, cycles = 0, lastOps = 0
        let visits = entries.reduce(0) { $0 + ($1.kind == SGKind.pattern.rawValue ? Int($1.count0) * Int($1.count1) : 1) }
        while lastOps < operations.count && cycles < 10_000_000 {
            if next < entries.count {
                i[p.sge.valid] = 1
                p.sge.write(entries[next], into: &i)
            } else {
                i[p.sge.valid] = 0
            }
            let o = rtl.cycle(i)
            cycles += 1
            if next < entries.count && o[p.sge.ready] == 1 { next += 1 }
            if o[p.chunk.valid] == 1 {
                chunks += 1
                if p.chunk.read(o).last { lastOps += 1 }
            }
        }
        return Figure(name: name, visits: visits, chunks: chunks, cycles: cycles)
    }

    public static func measure(compiler: ModelCompiler = ModelCompiler()) throws -> [Figure] {
        let rtl = try VerilatedModel(try elaborate(SGWalker()), seed: 1, compiler: compiler)
        func lastMarked(_ e: [SGEntry], id: UInt8) -> [SGEntry] {
            var e = e
            for k in e.indices { e[k].id = id }
            e[e.count - 1].last = true
            return e
        }
        // Plain: 64 entries per operation, none contiguous.
        var plain: [[SGEntry]] = []
        for op in 0..<64 {
            let entries: [SGEntry] = (0..<64).map { (k: Int) -> SGEntry in SGEntry.plain(key: 1, addr: UInt64(op * 64 + k) * 0x100, len: 64) }
            plain.append(lastMarked(entries, id: UInt8(op & 0xff)))
        }
        // Plain, one entry per operation.
        let single: [[SGEntry]] = (0..<2000).map { (k: Int) -> [SGEntry] in lastMarked([SGEntry.plain(key: 1, addr: UInt64(k) * 0x100, len: 64)], id: UInt8(k & 0xff)) }
        // Strided: 4096 elements of 8 bytes with a gap (a matrix column).
        let strided = [lastMarked([SGEntry.pattern(key: 1, base: 0, elem: 8, count0: 64, stride0: 4096, count1: 64, stride1: 64 * 4096)], id: 0)]
        // Interleaved (rdma-core): two members of 8-byte elements, stride 10.
        let interleaved = [lastMarked([SGEntry.pattern(key: 1, base: 0, elem: 8, count0: 2048, stride0: 10, group: true),
                                       SGEntry.pattern(key: 1, base: 0x100000, elem: 8, count0: 2048, stride0: 10)], id: 0)]
        // Contiguous: every visit joins one run (visits per cycle into the coalescer).
        let contiguous = [lastMarked([SGEntry.pattern(key: 1, base: 0, elem: 8, count0: 4096, stride0: 8)], id: 0)]
        return try [measure("plain, 64 entries per list", plain, rtl: rtl), measure("plain, 1 entry per list", single, rtl: rtl),
                measure("strided 2-level pattern", strided, rtl: rtl), measure("interleaved 2 members x 8 B", interleaved, rtl: rtl),
                measure("contiguous pattern (coalesced)", contiguous, rtl: rtl)]
    }
}
