import Adapter
import AdapterModel
import Loom
import LoomCosim

/// Throughput and latency of `mkey_translator` on the Verilated RTL (SPEC 1.5).
public enum MKeyThroughput {
    public struct Figures {
        public var directRequestsPerCycle = 0.0
        public var directFirstSegmentLatency = 0
        public var indirectSegmentsPerCycle = 0.0
        public var skippedEntriesPerCycle = 0.0
        public var latencyByLevel: [Int] = []
    }

    final class Driver {
        let rtl: VerilatedModel
        var i: [UInt64]
        let p: MKeyPorts
        init(_ rtl: VerilatedModel) throws {
            self.rtl = rtl
            p = try MKeyPorts(rtl.layout.packed())
            i = Array(repeating: 0, count: rtl.layout.inputWords)
            rtl.reset(cycles: 2)
            i[p.seg.ready] = 1
            i[p.cfgack.ready] = 1
        }
        func configure(_ c: MKeyConfig) {
            p.cfg.write(c, into: &i)
            i[p.cfg.valid] = 1
            while rtl.cycle(i)[p.cfg.ready] != 1 {}
            i[p.cfg.valid] = 0
            _ = rtl.cycle(i)
        }
        func set(_ r: MKeyRequest) { p.req.write(r, into: &i) }
        /// Sends one request; returns (cycles from its transfer to the first seg, to the last seg, segments).
        func time(_ r: MKeyRequest) -> (first: Int, last: Int, segments: Int) {
            set(r)
            i[p.req.valid] = 1
            var t = 0
            while rtl.cycle(i)[p.req.ready] != 1 { t += 1 }
            i[p.req.valid] = 0
            var first = -1, segments = 0, n = 0
            while n < 100_000 {
                n += 1
                let o = rtl.cycle(i)
                if o[p.seg.valid] == 1 {
                    if first < 0 { first = n }
                    segments += 1
                    if p.seg.read(o).last { return (first, n, segments) }
                }
            }
            return (first, n, segments)
        }
    }

    public static func measure(compiler: ModelCompiler = ModelCompiler()) throws -> Figures {
        let rtl = try VerilatedModel(try elaborate(MKeyTranslator()), seed: 1, compiler: compiler)
        let d = try Driver(rtl)
        var f = Figures()
        let pd: UInt32 = 1
        func key(_ i: UInt32) -> UInt32 { i << 8 | 0x5a }
        d.configure(.direct(index: 1, tag: 0x5a, pd: pd, start: 0, length: 1 << 30, phys: 1 << 40))
        // 200 KLM entries of 8 bytes, scattered.
        for k in 0..<200 { d.configure(.klm(slot: UInt32(k), bytes: 8, key: key(1), addr: UInt64(k) * 4096)) }
        d.configure(.indirect(index: 2, tag: 0x5a, pd: pd, start: 0, length: 1600, klmFirst: 0, klmCount: 200))
        // Level 2 and 3 keys over single entries, for the cost of nesting.
        d.configure(.klm(slot: 200, bytes: 8, key: key(2), addr: 0))
        d.configure(.indirect(index: 3, tag: 0x5a, pd: pd, start: 0, length: 8, klmFirst: 200, klmCount: 1))
        d.configure(.klm(slot: 201, bytes: 8, key: key(1), addr: 0))
        d.configure(.indirect(index: 4, tag: 0x5a, pd: pd, start: 0, length: 8, klmFirst: 201, klmCount: 1))

        // Direct keys: back-to-back requests.
        let n = 20_000
        d.set(MKeyRequest(key: key(1), va: 64, len: 128, pd: pd))
        d.i[d.p.req.valid] = 1
        var accepted = 0
        for _ in 0..<n { if rtl.cycle(d.i)[d.p.req.ready] == 1 { accepted += 1 } }
        d.i[d.p.req.valid] = 0
        for _ in 0..<10 { _ = rtl.cycle(d.i) }
        f.directRequestsPerCycle = Double(accepted) / Double(n)
        f.directFirstSegmentLatency = d.time(MKeyRequest(key: key(1), va: 64, len: 128, pd: pd)).first
        // Indirect: 200 segments in one request.
        let walk = d.time(MKeyRequest(key: key(2), va: 0, len: 1600, pd: pd))
        f.indirectSegmentsPerCycle = Double(walk.segments) / Double(walk.last - walk.first + 1)
        f.latencyByLevel = [d.time(MKeyRequest(key: key(4), va: 0, len: 8, pd: pd)).first,
                            d.time(MKeyRequest(key: key(3), va: 0, len: 8, pd: pd)).first]
        // Skipping: the first 180 entries are skipped before the first piece; the cycles
        // beyond a one-entry walk's latency are the skipping.
        let skip = d.time(MKeyRequest(key: key(2), va: 180 * 8, len: 8, pd: pd))
        f.skippedEntriesPerCycle = 180.0 / Double(skip.first - f.latencyByLevel[0])
        return f
    }
}
