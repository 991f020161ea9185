import Adapter
import AdapterModel
import Foundation
import Loom
import LoomCosim

/// The adapter's performance on the Verilated RTL (SPEC 4.3 performance line), every ready
/// high and host memory answering every cycle.
public enum AdapterThroughput {
    public struct Figures {
        /// Payload bytes per cycle on one connection, by SG list.
        public var bytesPerCycle: [(name: String, value: Double)] = []
        /// Cycles from a WR (and its SG list) to its first `tx` beat, connected target.
        public var firstTxLatency = 0
        /// 64-byte SENDs per cycle.
        public var sendsPerCycle = 0.0
        /// Lockstep regression speed: cycles per second of a random run with the cycle model.
        public var regressionCyclesPerSecond = 0.0
        public var regressionCycles = 0
    }

    static let pd: UInt32 = 3
    static let target = AdapterStimulus.TargetSetup(dct: 0x31, dcKey: 0x77, rkey: 0x42, base: 1 << 40, length: 1 << 32)

    static func setup(pmtu: UInt8) -> AdapterStimulus.Setup {
        var s = AdapterStimulus.Setup()
        s.pmtuCode = pmtu
        s.hostLatency = 1...1
        s.ackLatency = 8...8
        s.perPacketAckPercent = 0
        s.targets = [target]
        // Key 1: direct over 16 MiB; key 2: indirect over four 1 KiB pieces of key 1.
        s.keys = [MKeyConfig.direct(index: 1, tag: 1, pd: pd, start: 0x1000_0000, length: 1 << 24, phys: 0x2000_0000)]
        s.keys += (0..<4).map { MKeyConfig.klm(slot: UInt32($0), bytes: 1024, key: 0x101, addr: 0x1000_0000 + UInt64($0) * 0x10000) }
        s.keys.append(MKeyConfig.indirect(index: 2, tag: 2, pd: pd, start: 0, length: 4096, klmFirst: 0, klmCount: 4))
        return s
    }

    static func write(_ k: Int, len: UInt32, list: [SGEntry]) -> AdapterStimulus.Work {
        AdapterStimulus.Work(HostRequest(WorkRequest(qp: 0, wqe: UInt16(truncatingIfNeeded: k), opcode: .rdmaWrite, signaled: false, len: len,
                                                     raddr: target.base + UInt64(k) * 8192, rkey: target.rkey, dct: target.dct, dcKey: target.dcKey), pd: pd), list: list)
    }

    static func run(_ work: [AdapterStimulus.Work], _ s: AdapterStimulus.Setup, compiler: ModelCompiler) throws -> (AdapterStimulus, RunResult) {
        var stimulus: AdapterStimulus?
        let r = try LockstepRunner(cycleLimit: 5_000_000, watchdogCycles: 20_000).run(test: "adapter-bench", seed: 1, reproduce: "loom bench adapter") {
            let parts = try AdapterTests.adapterDirected(work, setup: s, second: .none, compiler: compiler)
            stimulus = parts.stimulus as? AdapterStimulus
            return parts
        }
        guard r.passed, let stimulus else { throw CosimError.portMismatch("the adapter bench run failed: \(r.message)") }
        return (stimulus, r)
    }

    /// Payload bytes over the cycles from the first to the last `txd` beat.
    static func rate(_ s: AdapterStimulus, bytes: Int) -> Double {
        guard let first = s.txdCycles.first, let last = s.txdCycles.last, last > first else { return 0 }
        return Double(bytes) / Double(last - first + 1)
    }

    public static func measure(compiler: ModelCompiler = ModelCompiler()) throws -> Figures {
        var f = Figures()
        let count = 64
        let lists: [(String, [SGEntry])] = [
            ("one PLAIN segment", [SGEntry.plain(key: 0x101, addr: 0x1000_0000, len: 4096, last: true)]),
            ("interleaved pattern (2 x 256 x 8 B)", [SGEntry.pattern(key: 0x101, base: 0x1000_0000, elem: 8, count0: 256, stride0: 32, group: true),
                                                    SGEntry.pattern(key: 0x101, base: 0x1000_0010, elem: 8, count0: 256, stride0: 32, last: true)]),
            ("indirect key (4 x 1 KiB)", [SGEntry.plain(key: 0x202, addr: 0, len: 4096, last: true)]),
        ]
        for pmtu: UInt8 in [5, 3] {
            for (name, list) in lists {
                let (s, _) = try run((0..<count).map { write($0, len: 4096, list: list) }, setup(pmtu: pmtu), compiler: compiler)
                f.bytesPerCycle.append(("4 KiB WRITEs, PMTU \(PathMTU.bytes(code: pmtu)), \(name)", rate(s, bytes: count * 4096)))
            }
        }
        // Latency: a first WRITE connects; the second, posted once the first has completed, is timed.
        var s = setup(pmtu: 3)
        s.pauseOnFailure = true
        let plain = [SGEntry.plain(key: 0x101, addr: 0x1000_0000, len: 64, last: true)]
        var warm = write(0, len: 64, list: plain)
        warm.request.request.signaled = true
        let timed = AdapterStimulus.Work(write(1, len: 64, list: plain).request, list: plain, afterCqes: 1)
        let (l, _) = try run([warm, timed], s, compiler: compiler)
        let data = l.txLog.filter { $0.header.kind == TxKind.data.rawValue }
        if data.count == 2, l.wrCycles.count == 2 { f.firstTxLatency = data[1].cycle - max(l.wrCycles[1], l.lastSgeCycle[1]) }
        // 64-byte SENDs.
        let sends = (0..<2000).map { k in
            AdapterStimulus.Work(HostRequest(WorkRequest(qp: UInt8(k % 16), wqe: UInt16(k), opcode: .send, signaled: false, len: 64, dct: target.dct, dcKey: target.dcKey), pd: pd),
                                 list: [SGEntry.plain(key: 0x101, addr: 0x1000_0000 + UInt64(k) * 64, len: 64, last: true)])
        }
        let (m, _) = try run(sends, setup(pmtu: 3), compiler: compiler)
        let sendHeaders = m.txLog.filter { $0.header.kind == TxKind.data.rawValue }.map(\.cycle)
        if let first = sendHeaders.first, let last = sendHeaders.last { f.sendsPerCycle = Double(sendHeaders.count) / Double(last - first + 1) }
        // The random regression's speed.
        var runner = LockstepRunner(cycleLimit: 5_000_000, watchdogCycles: 20_000)
        runner.onProgress = nil
        let r = try runner.run(test: "adapter", seed: 1, reproduce: "loom sim adapter --seed 1") { try AdapterTests.adapterRandom(seed: 1, compiler: compiler) }
        f.regressionCycles = r.cycles
        f.regressionCyclesPerSecond = Double(r.cycles) / r.seconds
        return f
    }
}
