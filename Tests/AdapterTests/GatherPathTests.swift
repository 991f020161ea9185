import Adapter
import AdapterModel
import AdapterVerification
import Foundation
import Loom
import LoomCosim
import Testing

/// The walker feeding the translator, tested as one gather-address path: SG lists in,
/// physical segments out, against the two transaction-level references composed
/// (SGReference's chunks, each translated by MKeyReference). The native simulator of the
/// composed design runs in lockstep as the cycle model.
@Suite(.serialized) struct GatherPathTests {
    @Test(arguments: [UInt64(1), 2])
    func listsBecomeSegments(seed: UInt64) throws {
        let design = try elaborate(GatherPath())
        let runner = LockstepRunner(cycleLimit: 200_000, watchdogCycles: 5_000)
        var stimulus: GatherStimulus?
        let r = try runner.run(test: "gather-path", seed: seed, reproduce: "swift test --filter GatherPathTests") {
            let rtl = try VerilatedModel(design, seed: seed)
            let s = try GatherStimulus(rtl.layout, seed: seed)
            stimulus = s
            return .init(rtl: rtl, model: SimulatorModel(design), stimulus: s)
        }
        #expect(r.passed, "\(r.report)")
        #expect((stimulus?.responsesChecked ?? 0) > 200)
    }
}

/// Configures two direct keys and an indirect key over them, then sends random SG lists
/// (PLAIN runs, strided patterns, interleave groups) that stay inside those keys.
final class GatherStimulus: Stimulus {
    let keys: KeyTableHost
    let sge: StreamSource<SGEntry>, seg: StreamSink<MKeySegment>
    var rng: SeededRandom
    var mkeys = MKeyReference()
    let pd: UInt32 = 3
    let responses = InOrderScoreboard<[MKeySegment]>("responses")
    var current: [MKeySegment] = []
    var ops: [[SGEntry]] = []
    var released = false
    var responsesChecked: Int { responses.matched }
    var scoreFailures: [String] = []
    private(set) var progress = 0
    let coverage = Coverage()

    let pdSlot: LevelSlots

    init(_ layout: PortLayout, seed: UInt64) throws {
        rng = SeededRandom(seed: seed)
        pdSlot = try layout.levelInput(GatherPath.pd)
        // The path has some of each block's ports: each is placed on its own.
        let translator = MKeyTranslatorInterface(.names), walker = SGWalkerInterface(.names)
        keys = KeyTableHost(cfg: try layout.place(translator.cfg), cfgack: try layout.place(translator.cfgack), seeds: (seed &+ 1, seed &+ 3),
                            validPercent: 90, readyPercent: 80)
        sge = StreamSource(try layout.place(walker.sge), seed: seed &+ 2, validPercent: 80)
        seg = StreamSink(try layout.place(translator.seg), seed: seed &+ 4, readyPercent: 60)
        let k1: UInt32 = 1 << 8 | 1, k2: UInt32 = 2 << 8 | 2, k3: UInt32 = 3 << 8 | 3
        var table: [MKeyConfig] = [.direct(index: 1, tag: 1, pd: pd, start: 0, length: 1 << 20, phys: 0x1_0000_0000),
                                   .direct(index: 2, tag: 2, pd: pd, start: 0x100000, length: 1 << 20, phys: 0x2_0000_0000)]
        for s in 0..<8 { table.append(.klm(slot: UInt32(s), bytes: 512, key: s % 2 == 0 ? k1 : k2, addr: UInt64(s) * 0x2000 + (s % 2 == 0 ? 0 : 0x100000))) }
        table.append(.indirect(index: 3, tag: 3, pd: pd, start: 0, length: 8 * 512, klmFirst: 0, klmCount: 8))
        for c in table { #expect(mkeys.configure(c) == 0) }
        keys.send(table)
        // SG lists over the three keys.
        for n in 0..<150 {
            let keyChoice = [(k1, UInt64(0), UInt64(1 << 20)), (k2, UInt64(0x100000), UInt64(1 << 20)), (k3, UInt64(0), UInt64(4096))][Int(rng.below(3))]
            var op: [SGEntry] = []
            for _ in 0..<(1 + Int(rng.below(3))) {
                let room = keyChoice.2 - 256
                let base = keyChoice.1 + rng.below(room)
                switch rng.below(3) {
                case 0: op.append(.plain(key: keyChoice.0, addr: base, len: UInt32(1 + rng.below(200))))
                case 1: op.append(.pattern(key: keyChoice.0, base: base, elem: UInt32(1 + rng.below(16)), count0: UInt32(1 + rng.below(6)), stride0: 32))
                default:
                    op.append(.pattern(key: keyChoice.0, base: base, elem: 8, count0: 3, stride0: 16, group: true))
                    op.append(.pattern(key: keyChoice.0, base: base + 8, elem: 8, count0: 3, stride0: 16))
                }
            }
            for k in op.indices { op[k].id = UInt8(n & 0xff) }
            op[op.count - 1].last = true
            ops.append(op)
        }
    }

    /// Once every configuration is acknowledged, queue the lists and their expected answers.
    func release() {
        released = true
        for op in ops {
            guard case let .chunks(chunks) = SGReference().run(op) else { continue }
            for c in chunks {
                let request = MKeyRequest(id: c.id, key: c.key, va: c.va, len: c.len, access: 0, pd: pd)
                guard case let .segments(segs) = mkeys.translate(request) else {
                    scoreFailures.append("test bench: a chunk outside its key \(c)")
                    continue
                }
                responses.expect(segs)
            }
            for e in op { sge.send(e) }
        }
    }

    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        keys.drive(inputs); sge.drive(inputs); seg.drive(inputs)
        pdSlot.write(UInt64(pd), into: inputs)
    }

    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if keys.observe(cycle: cycle, outputs) {
            progress += 1
            if keys.isConfigured && !released { release() }
        }
        if sge.observe(outputs) != nil { progress += 1 }
        if let s = seg.observe(cycle: cycle, outputs) {
            progress += 1
            current.append(s)
            if s.last {
                responses.actual(current, cycle: cycle)
                current = []
            }
        }
    }

    var finished: Bool { released && responses.outstanding == 0 && sge.idle }
    var failures: [String] { keys.failures + seg.violations + scoreFailures + responses.failures }
    func finish() { responses.finish() }
}
