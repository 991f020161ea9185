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

    func run(_ work: [Work], _ s: AdapterStimulus.Setup, second: AdapterTests.AdapterSecondModel = .cycleModel, cycleLimit: Int = 200_000, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> AdapterStimulus {
        var stimulus: AdapterStimulus?
        let r = try LockstepRunner(cycleLimit: cycleLimit, watchdogCycles: 150_000).run(test: "adapter-directed", seed: 1, reproduce: "swift test --filter AdapterEndToEndTests") {
            let parts = try AdapterTests.adapterDirected(work, setup: s, second: second)
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
                         Work(request(.send, wqe: 1, len: 48), list: interleaved)], setup(), second: .nativeSimulator)
        let bytes: (Int, Int) -> [UInt8] = { from, to in (from..<to).map { UInt8($0) } }
        #expect(s.targets[0x11]?.received[0] == [bytes(0, 8) + bytes(64, 72),
                                                  bytes(0, 8) + bytes(64, 72) + bytes(10, 18) + bytes(74, 82) + bytes(20, 28) + bytes(84, 92)])
        #expect(s.received[0] == [ok(0, 0, .send, 16), ok(0, 1, .send, 48)])
    }

    /// `count` bytes of a target's memory (nil where nothing was written).
    func memory(_ r: AdapterStimulus, _ dct: UInt32, at addr: UInt64, count: Int) -> [UInt8?] {
        let t = r.targets[dct]
        return (0..<count).map { (k: Int) -> UInt8? in t?.memory[addr + UInt64(k)] }
    }

    /// The host bytes at buf + from ..< buf + to (they are their offsets, mod 256).
    func ramp(_ from: Int, _ to: Int) -> [UInt8?] { (from..<to).map { (k: Int) -> UInt8? in UInt8(truncatingIfNeeded: k) } }

    /// A PLAIN list of `len` bytes of host memory at `buf + offset` through K1.
    func plain(_ len: UInt32, offset: UInt64 = 0) -> [SGEntry] { [SGEntry.plain(key: Self.k1, addr: Self.buf + offset, len: len, last: true)] }

    func kinds(_ s: AdapterStimulus, qp: UInt8) -> [String] {
        s.txLog.filter { $0.header.packet.qp == qp }.map { h in
            switch TxKind(rawValue: h.header.kind) {
            case .connect: "C\(String(h.header.packet.dct, radix: 16))"
            case .disconnect: "D\(String(h.header.packet.dct, radix: 16))"
            default: "data"
            }
        }
    }

    @Test func twoTargetsOnOneInitiatorHalfAndFullHandshake() throws {
        var s = setup()
        s.fullHandshake = [1]
        s.pmtuCode = 1
        for qp: UInt8 in [0, 1] {
            let work = [Work(request(.rdmaWrite, qp: qp, wqe: 0, len: 300, raddr: 0x10_0000 + 0x1000 * UInt64(qp)), list: plain(300)),
                        Work(request(.rdmaWrite, qp: qp, wqe: 1, len: 40, target: Self.other, raddr: 0x20_0000 + 0x1000 * UInt64(qp), rkey: 0x88), list: plain(40, offset: 500))]
            let r = try run(work, s)
            #expect(kinds(r, qp: qp) == ["C11", "data", "data", "D11", "C22", "data"], "QP \(qp)")
            #expect(r.received[qp] == [ok(qp, 0, .rdmaWrite, 300), ok(qp, 1, .rdmaWrite, 40)])
            #expect(memory(r, 0x11, at: 0x10_0000 + 0x1000 * UInt64(qp), count: 300) == ramp(0, 300))
            #expect(memory(r, 0x22, at: 0x20_0000 + 0x1000 * UInt64(qp), count: 40) == ramp(500, 540))
            if qp == 1 { #expect(r.txLog.filter { $0.header.kind == TxKind.data.rawValue }.allSatisfy { $0.header.packet.session != 0 }) }
        }
    }

    @Test func threeRequestsToOneTargetShareOneConnect() throws {
        let r = try run((0..<3).map { k in Work(request(.send, wqe: UInt16(k), len: 64), list: plain(64, offset: UInt64(k) * 64)) }, setup())
        #expect(kinds(r, qp: 0) == ["C11", "data", "data", "data"])
        #expect(r.received[0]?.count == 3)
    }

    @Test func aSwitchWaitsForAnOutstandingRead() throws {
        var s = setup()
        s.ackLatency = 300...300
        let r = try run([Work(request(.rdmaRead, wqe: 0, len: 4000)), Work(request(.rdmaWrite, wqe: 1, len: 8, target: Self.other, raddr: 0x20_0000, rkey: 0x88), list: plain(8))], s)
        let readDone = try #require(r.cqeCycles.first)
        let disconnect = try #require(r.txLog.first { $0.header.kind == TxKind.disconnect.rawValue })
        #expect(disconnect.cycle > readDone, "the DISCONNECT waited for the READ's ACK")
        #expect(r.received[0] == [ok(0, 0, .rdmaRead, 4000), ok(0, 1, .rdmaWrite, 8)])
    }

    @Test func badDcKeyHalfHandshakeTimesOutThenFlushesThenReconnects() throws {
        var s = setup()
        s.pauseOnFailure = false
        s.expectedCqes = [0: [error(0, 0, .rdmaWrite, 0x15), error(0, 1, .rdmaWrite, 0x05), error(0, 2, .rdmaWrite, 0x05), ok(0, 3, .send, 8)]]
        let bad = AdapterStimulus.TargetSetup(dct: 0x11, dcKey: 0xDEAD, rkey: 0x77, base: 0, length: 0)
        var work = (0..<3).map { k in Work(request(.rdmaWrite, wqe: UInt16(k), len: 8, target: bad), list: plain(8)) }
        work.append(Work(request(.send, wqe: 3, len: 8), list: plain(8), afterReset: true))
        let r = try run(work, s, cycleLimit: 400_000)
        #expect(r.received[0] == s.expectedCqes![0])
        let firstPost = try #require(r.wrCycles.first)
        #expect(r.cqeCycles[0] - firstPost >= 65536 && r.cqeCycles[0] - firstPost <= 131072 + 64, "0x15 after \(r.cqeCycles[0] - firstPost) cycles")
        #expect(kinds(r, qp: 0).filter { $0.hasPrefix("C") } == ["C11", "C11"], "a new connection after qp_reset")
        #expect(r.keyViolations == 1)
    }

    @Test func badDcKeyFullHandshakeRetriesThenFails() throws {
        var s = setup()
        s.fullHandshake = [2]
        let bad = AdapterStimulus.TargetSetup(dct: 0x22, dcKey: 0xDEAD, rkey: 0, base: 0, length: 0)
        let r = try run([Work(request(.send, qp: 2, wqe: 0, len: 8, target: bad), list: plain(8)), Work(request(.send, qp: 2, wqe: 1, len: 8), list: plain(8))],
                        s, cycleLimit: 100_000)
        #expect(kinds(r, qp: 2).prefix(4) == ["C22", "C22", "C22", "C22"], "1 + CONNECT_RETRIES CONNECTs")
        #expect(r.received[2] == [error(2, 0, .send, 0x15), ok(2, 1, .send, 8)])
        #expect(r.keyViolations == 4)
    }

    @Test func badRkeyFailsWith0x13AndFlushesOnlyItsQp() throws {
        var s = setup()
        s.pauseOnFailure = false
        s.expectedCqes = [0: [error(0, 0, .rdmaWrite, 0x13), error(0, 1, .rdmaWrite, 0x05)], 1: [ok(1, 2, .rdmaWrite, 8)]]
        let r = try run([Work(request(.rdmaWrite, qp: 0, wqe: 0, len: 8, rkey: 0x99), list: plain(8)),
                         Work(request(.rdmaWrite, qp: 0, wqe: 1, len: 8, raddr: 0x10_0100), list: plain(8)),
                         Work(request(.rdmaWrite, qp: 1, wqe: 2, len: 8, raddr: 0x10_0200), list: plain(8, offset: 16))], s)
        #expect(r.received[0] == s.expectedCqes![0] && r.received[1] == s.expectedCqes![1])
        #expect(memory(r, 0x11, at: 0x10_0200, count: 8) == ramp(16, 24))
    }

    @Test func selectiveSignaling() throws {
        let work: [Work] = (0..<8).map { (k: Int) -> Work in
            let raddr: UInt64 = 0x10_0000 + UInt64(k) * 16
            return Work(request(.rdmaWrite, wqe: UInt16(k), len: 16, raddr: raddr, signaled: k == 3 || k == 7), list: plain(16))
        }
        let r = try run(work, setup())
        #expect(r.received[0] == [ok(0, 3, .rdmaWrite, 16), ok(0, 7, .rdmaWrite, 16)])
    }

    @Test func poolExhaustionAndCqWrapLoseNothing() throws {
        var s = setup()
        s.ackLatency = 400...400
        s.cqeReadyPercent = 40
        // 150 signaled WRITEs over 4 QPs: more than the 64 records in flight, more than 64 CQ slots.
        let work: [Work] = (0..<150).map { (k: Int) -> Work in
            let raddr: UInt64 = 0x10_0000 + UInt64(k) * 32
            return Work(request(.rdmaWrite, qp: UInt8(k % 4), wqe: UInt16(k), len: 24, raddr: raddr), list: plain(24, offset: UInt64(k)))
        }
        let r = try run(work, s)
        #expect(r.received.values.reduce(0) { $0 + $1.count } == 150)
    }

    @Test func badInnerKeyOfAnIndirectKeyFailsWithLocalProt() throws {
        var s = setup()
        // L2: indirect over [{8, K1, buf}, {8, invalid key 0x505, 0}].
        s.keys += [MKeyConfig.klm(slot: 2, bytes: 8, key: Self.k1, addr: Self.buf), MKeyConfig.klm(slot: 3, bytes: 8, key: 0x505, addr: 0),
                   MKeyConfig.indirect(index: 3, tag: 3, pd: Self.pd, start: 0, length: 16, klmFirst: 2, klmCount: 2)]
        let r = try run([Work(request(.send, wqe: 0, len: 16), list: [SGEntry.plain(key: 0x303, addr: 0, len: 16, last: true)]),
                         Work(request(.send, wqe: 1, len: 8), list: plain(8))], s)
        #expect(r.received[0] == [error(0, 0, .send, 0x04), ok(0, 1, .send, 8)])
        #expect(r.targets[0x11]?.received[0] == [(0..<8).map { UInt8($0) }], "the failed SEND delivered nothing")
    }

    @Test func aWriteOfExactly2To31BytesTakesItsList() throws {
        // SPEC 4.3: a SEND or WRITE with 0 < len <= 2^31 has an SG list, 2^31 itself included.
        // Its one entry names an invalid key, so it fails at once (0x04); the next WR's list
        // must then be the next WR's.
        let r = try run([Work(request(.rdmaWrite, wqe: 0, len: 1 << 31), list: [SGEntry.plain(key: 0x505, addr: 0, len: 1 << 31, last: true)]),
                         Work(request(.send, wqe: 1, len: 8), list: plain(8))], setup())
        #expect(r.received[0] == [error(0, 0, .rdmaWrite, 0x04), ok(0, 1, .send, 8)])
    }

    @Test func badInnerKeyMidMessageFailsAfterItsFirstPacket() throws {
        var s = setup()
        s.pmtuCode = 1
        // L3: indirect over [{300, K1, buf}, {8, invalid key, 0}]: the SEND's first packet
        // (256 bytes) goes, the second holds the failure point.
        s.keys += [MKeyConfig.klm(slot: 2, bytes: 300, key: Self.k1, addr: Self.buf), MKeyConfig.klm(slot: 3, bytes: 8, key: 0x505, addr: 0),
                   MKeyConfig.indirect(index: 3, tag: 3, pd: Self.pd, start: 0, length: 308, klmFirst: 2, klmCount: 2)]
        let r = try run([Work(request(.send, wqe: 0, len: 308), list: [SGEntry.plain(key: 0x303, addr: 0, len: 308, last: true)]),
                         Work(request(.send, wqe: 1, len: 8), list: plain(8))], s)
        #expect(r.received[0] == [error(0, 0, .send, 0x04), ok(0, 1, .send, 8)])
        #expect(r.txLog.filter { $0.header.kind == TxKind.data.rawValue }.map(\.header.packet.opcode) == [0x00, 0x04], "SEND FIRST, then the next SEND")
        #expect(r.targets[0x11]?.received[0] == [(0..<8).map { UInt8($0) }], "the target never saw the failed SEND's end")
    }

    /// SPEC 3.2 rule 14 inside the adapter (`ACK_TIMEOUT` 65536, SPEC 4.3): a QP whose ACKs keep
    /// showing progress is never timed out, however long its list stays non-empty. One WRITE
    /// of 32 KiB from a slow host (a `dma_rsp` beat in 2% of the cycles) is on the wire for
    /// about 200,000 cycles, beyond 2·ACK_TIMEOUT; each of its 1 KiB packets is ACKed a few
    /// cycles after it leaves, about every 6,400 cycles.
    @Test func acksThatKeepShowingProgressOutlastTheAckTimeout() throws {
        var s = setup()
        s.hostData = [(Self.buf, (0..<32768).map { UInt8(truncatingIfNeeded: $0) })]
        s.dmaRspValidPercent = 2
        let r = try run([Work(request(.rdmaWrite, wqe: 0, len: 32768), list: plain(32768))], s, second: .none, cycleLimit: 400_000)
        #expect(r.received[0] == [ok(0, 0, .rdmaWrite, 32768)])
        #expect(memory(r, 0x11, at: 0x10_0000, count: 32768) == ramp(0, 32768))
        let packets = r.txLog.filter { $0.header.kind == TxKind.data.rawValue }.count
        #expect(packets == 32)
    }

    /// SPEC 3.2 rule 14 per QP inside the adapter: QPs 1 to 15 each send a WRITE that their
    /// target (a wrong DC key, half handshake) drops, so no ACK ever comes; each must fail
    /// with 0x15 within ACK_TIMEOUT to 2·ACK_TIMEOUT cycles of its WR, while QP 0's long
    /// WRITE from a slow host keeps showing progress on ACKs of its own until about cycle
    /// 200,000. One QP's progress restarts no other QP's count.
    @Test func eachQpTimesOutOnItsOwnWhileAnotherShowsProgress() throws {
        var s = setup()
        s.hostData = [(Self.buf, (0..<32768).map { UInt8(truncatingIfNeeded: $0) })]
        s.dmaRspValidPercent = 2
        s.pauseOnFailure = false
        let bad = AdapterStimulus.TargetSetup(dct: 0x22, dcKey: 0xDEAD, rkey: 0x88, base: 0, length: 0)
        var work = (1..<16).map { q in Work(request(.rdmaWrite, qp: UInt8(q), wqe: UInt16(q), len: 8, target: bad), list: plain(8)) }
        work.append(Work(request(.rdmaWrite, qp: 0, wqe: 0, len: 32768), list: plain(32768)))
        var expected: [UInt8: [CompletionEntry]] = [0: [ok(0, 0, .rdmaWrite, 32768)]]
        for q in UInt8(1)..<16 { expected[q] = [error(q, UInt16(q), .rdmaWrite, 0x15)] }
        s.expectedCqes = expected
        let r = try run(work, s, second: .none, cycleLimit: 600_000)
        for q in UInt8(1)..<16 {
            #expect(r.received[q] == expected[q], "QP \(q)")
            let wait = (r.receivedCycles[q]?.first ?? .max) - r.wrCycles[Int(q) - 1]
            // Up to a few thousand cycles more: the WR waits behind the other QPs' in the pipeline.
            #expect(wait >= 65536 && wait <= 131072 + 4096, "QP \(q): 0x15 after \(wait) cycles")
        }
        #expect(r.received[0] == expected[0])
        #expect(try #require(r.receivedCycles[0]?.first) > 131072 + 4096, "QP 0's WRITE outlasted the others' timeouts")
    }

    /// SPEC 3.2 rule 13 per QP inside the adapter: a local error fails the QP's most recently
    /// posted record, not its head. On every QP a SEND that goes whole (its ACK 400 cycles
    /// away) is followed by one whose second packet meets an invalid inner key (`lerr` 0x04)
    /// while the first is still waiting for its ACK.
    @Test func aLocalErrorFailsItsOwnRecordNotTheHeadOnEveryQp() throws {
        var s = setup()
        s.pmtuCode = 1
        s.ackLatency = 400...400
        s.keys += [MKeyConfig.klm(slot: 2, bytes: 300, key: Self.k1, addr: Self.buf), MKeyConfig.klm(slot: 3, bytes: 8, key: 0x505, addr: 0),
                   MKeyConfig.indirect(index: 3, tag: 3, pd: Self.pd, start: 0, length: 308, klmFirst: 2, klmCount: 2)]
        let work = (UInt8(0)..<16).flatMap { q in
            [Work(request(.send, qp: q, wqe: 2 * UInt16(q), len: 8), list: plain(8)),
             Work(request(.send, qp: q, wqe: 2 * UInt16(q) + 1, len: 308), list: [SGEntry.plain(key: 0x303, addr: 0, len: 308, last: true)])]
        }
        let r = try run(work, s, cycleLimit: 400_000)
        for q in UInt8(0)..<16 {
            #expect(r.received[q] == [ok(q, 2 * UInt16(q), .send, 8), error(q, 2 * UInt16(q) + 1, .send, 0x04)], "QP \(q)")
        }
    }

    @Test func aHostThatNeverAnswersEndsInAWatchdogReport() throws {
        var s = setup()
        s.dmaRspValidPercent = 0   // host memory takes the reads and never answers
        let r = try LockstepRunner(cycleLimit: 50_000, watchdogCycles: 2_000).run(test: "adapter-stuck", seed: 1, reproduce: "swift test --filter AdapterEndToEndTests") {
            try AdapterTests.adapterDirected([Work(request(.send, wqe: 0, len: 16), list: plain(16))], setup: s, second: .none)
        }
        #expect(r.outcome == .watchdog)
        #expect(r.message.hasPrefix("watchdog: nothing moved for 2000 cycles (a ready or valid never rose?); bench: posted 1/1 paused no awaitingErrorLow false CQEs 0/1 headers waiting 1 payload bytes 0 host queue 1"), "\(r.message)")
    }
}
