import Adapter
import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// The `adapter` end to end (SPEC 4.3): host memory, DC targets and the host around the RTL,
/// with the expected CQEs and target bytes written here from SPEC.md.
@Suite(.serialized) struct AdapterEndToEndTests {
    typealias Work = AdapterStimulus.Work
    static let buf: UInt64 = 0x4000_0000
    static let pd: UInt32 = 5
    static let k1: UInt32 = 0x101, list: UInt32 = 0x202
    static let good = AdapterStimulus.TargetSetup(dct: 0x11, dcKey: 0xAAAA, rkey: 0x77, base: 0x10_0000, length: 0x10_0000)
    static let other = AdapterStimulus.TargetSetup(dct: 0x22, dcKey: 0xBBBB, rkey: 0x88, base: 0x20_0000, length: 0x10_0000)

    /// SPEC section 5's rdma-core layout: K1 direct (`start = phys = buf`), L indirect and
    /// zero-based over `[{8, K1, buf+0}, {8, K1, buf+64}]`; host bytes at buf are 0, 1, 2, ...
    func setup() -> AdapterStimulus.Setup {
        var s = AdapterStimulus.Setup()
        s.keys = [MKeyConfig.direct(index: 1, tag: 1, pd: Self.pd, start: Self.buf, length: 0x10000, phys: Self.buf),
                  MKeyConfig.klm(slot: 0, bytes: 8, key: Self.k1, addr: Self.buf), MKeyConfig.klm(slot: 1, bytes: 8, key: Self.k1, addr: Self.buf + 64),
                  MKeyConfig.indirect(index: 2, tag: 2, pd: Self.pd, start: 0, length: 16, klmFirst: 0, klmCount: 2)]
        s.targets = [Self.good, Self.other]
        s.hostData = [(Self.buf, (0..<4096).map { UInt8(truncatingIfNeeded: $0) })]
        return s
    }

    func request(_ op: WQEOpcode, qp: UInt8 = 0, wqe: UInt16, len: UInt32, target: AdapterStimulus.TargetSetup = good, raddr: UInt64 = 0x10_0000,
                 rkey: UInt32 = 0x77, signaled: Bool = true) -> HostRequest {
        HostRequest(WorkRequest(qp: qp, wqe: wqe, opcode: op, signaled: signaled, len: len, raddr: raddr, rkey: rkey, dct: target.dct, dcKey: target.dcKey), pd: Self.pd)
    }

    func run(_ work: [Work], _ s: AdapterStimulus.Setup, lockstep: Bool = true, cycleLimit: Int = 200_000, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> AdapterStimulus {
        var stimulus: AdapterStimulus?
        let r = try LockstepRunner(cycleLimit: cycleLimit, watchdogCycles: 150_000).run(test: "adapter-directed", seed: 1, reproduce: "swift test --filter AdapterEndToEndTests") {
            let parts = try AdapterTests.adapterDirected(work, setup: s, lockstep: lockstep)
            stimulus = parts.stimulus as? AdapterStimulus
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        return try #require(stimulus)
    }

    func ok(_ qp: UInt8, _ wqe: UInt16, _ op: WQEOpcode, _ bytes: UInt32) -> CompletionEntry {
        CompletionEntry(qp: qp, wqe: wqe, opcode: CQEOpcode.req.rawValue, wqeOpcode: op.rawValue, syndrome: 0, bytes: bytes)
    }

    func error(_ qp: UInt8, _ wqe: UInt16, _ op: WQEOpcode, _ syndrome: UInt8) -> CompletionEntry {
        CompletionEntry(qp: qp, wqe: wqe, opcode: CQEOpcode.reqErr.rawValue, wqeOpcode: op.rawValue, syndrome: syndrome, bytes: 0)
    }

    @Test func section5IndirectKeyAndInterleavedPatternDeliverTheirBytes() throws {
        let interleaved = [SGEntry.pattern(key: Self.k1, base: Self.buf, elem: 8, count0: 3, stride0: 10, group: true),
                           SGEntry.pattern(key: Self.k1, base: Self.buf + 64, elem: 8, count0: 3, stride0: 10, last: true)]
        let s = try run([Work(request(.send, wqe: 0, len: 16), list: [SGEntry.plain(key: Self.list, addr: 0, len: 16, last: true)]),
                         Work(request(.send, wqe: 1, len: 48), list: interleaved)], setup())
        let bytes: (Int, Int) -> [UInt8] = { from, to in (from..<to).map { UInt8($0) } }
        #expect(s.targets[0x11]?.received[0] == [bytes(0, 8) + bytes(64, 72),
                                                  bytes(0, 8) + bytes(64, 72) + bytes(10, 18) + bytes(74, 82) + bytes(20, 28) + bytes(84, 92)])
        #expect(s.received[0] == [ok(0, 0, .send, 16), ok(0, 1, .send, 48)])
    }
}
