import Adapter
import AdapterModel
import AdapterVerification
import Foundation
import LoomCosim
import Testing

/// `exec_unit` (SPEC 4.1): one test per rule and per section 5 vector, in lockstep with the
/// cycle model and scored by `ExecReference`; the expected beats are written here from
/// SPEC.md.
@Suite(.serialized) struct ExecUnitDirectedTests {
    typealias Message = ExecStimulus.Message
    typealias Setup = ExecStimulus.Setup

    func request(_ opcode: WQEOpcode, len: UInt32, qp: UInt8 = 0, wqe: UInt16 = 0, status: UInt8 = 0) -> ExecRequest {
        ExecRequest(WorkRequest(qp: qp, wqe: wqe, opcode: opcode, len: len, raddr: 0xFEED_0000, rkey: 0x77, dct: 0x42, dcKey: 0x1234), session: 0x99, status: status)
    }

    func segment(_ addr: UInt64, _ len: UInt32, last: Bool = false, status: UInt8 = 0) -> GatherSegment {
        GatherSegment(addr: addr, len: len, last: last, status: status)
    }

    func run(_ messages: [Message], _ setup: Setup = Setup(), scored: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ExecStimulus {
        var stimulus: ExecStimulus?
        let r = try LockstepRunner(cycleLimit: 50_000, watchdogCycles: 5_000).run(test: "exec-directed", seed: 1, reproduce: "swift test --filter ExecUnitDirectedTests") {
            let parts = try AdapterTests.execDirected(messages, setup: setup)
            stimulus = parts.stimulus as? ExecStimulus
            stimulus?.scoresAgainstReference = scored
            return parts
        }
        #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
        return try #require(stimulus)
    }

    func summary(_ headers: [(cycle: Int, beat: PacketHeader)]) -> [[UInt32]] {
        headers.map { [UInt32($0.beat.opcode), $0.beat.psn, UInt32($0.beat.len), $0.beat.rethLen] }
    }

    // Section 5.

    @Test func section5Sequence() throws {
        let (a, b, c, d): (UInt64, UInt64, UInt64, UInt64) = (0xA000, 0xB000, 0xC000, 0xD000)
        let s = try run([
            Message(request(.rdmaWrite, len: 0, wqe: 0)),
            Message(request(.rdmaRead, len: 0, wqe: 1)),
            Message(request(.rdmaWrite, len: 3072, wqe: 2), segments: [segment(a, 3072, last: true)]),
            Message(request(.rdmaRead, len: 5000, wqe: 3)),
            Message(request(.send, len: 1500, wqe: 4), segments: [segment(b, 1000), segment(c, 500, last: true)]),
            Message(request(.send, len: 3000, wqe: 5), segments: [segment(d, 1024), segment(0xE000, 2000, last: true, status: 4)]),
            Message(request(.rdmaRead, len: 0, wqe: 6)),
        ])
        #expect(summary(s.headers) == [[0x0a, 0, 0, 0], [0x0c, 1, 0, 0], [0x06, 2, 1024, 3072], [0x07, 3, 1024, 0], [0x08, 4, 1024, 0],
                                       [0x0c, 5, 0, 5000], [0x00, 10, 1024, 0], [0x02, 11, 476, 0], [0x00, 12, 1024, 0], [0x0c, 15, 0, 0]])
        #expect(s.records.map(\.beat.psn) == [0, 1, 4, 9, 11, 14, 15])
        #expect(s.records.map(\.beat.status) == [0, 0, 0, 0, 0, 0, 0])
        #expect(s.pieces.map(\.beat) == [PayloadPiece(addr: a, len: 1024, last: true), PayloadPiece(addr: a + 1024, len: 1024, last: true),
                                         PayloadPiece(addr: a + 2048, len: 1024, last: true), PayloadPiece(addr: b, len: 1000, last: false),
                                         PayloadPiece(addr: c, len: 24, last: true), PayloadPiece(addr: c + 24, len: 476, last: true),
                                         PayloadPiece(addr: d, len: 1024, last: true)])
        #expect(s.lateErrors.map(\.beat) == [LocalError(qp: 0, syndrome: 4)])
        // The record of the failing SEND was posted before its packet, the lerr after it.
        #expect(s.records[5].cycle < s.headers[8].cycle && s.headers[8].cycle < s.lateErrors[0].cycle)
    }

    @Test func readsOf2To31BytesAtPmtu256WrapThePsn() throws {
        var setup = Setup()
        setup.pmtuCode = 1
        let s = try run([Message(request(.rdmaWrite, len: 0)), Message(request(.rdmaRead, len: 1 << 31)), Message(request(.rdmaRead, len: 1 << 31)),
                         Message(request(.rdmaWrite, len: 0))], setup)
        #expect(s.headers.map(\.beat.psn) == [0, 1, 1 + (1 << 23), 1])
        #expect(s.records.map(\.beat.psn) == [0, 1 << 23, 0, 1])
    }

    // Rules.

    @Test func rule3ZeroLengthAndExactMultiples() throws {
        var setup = Setup()
        setup.pmtuCode = 2   // 512 bytes
        let s = try run([Message(request(.send, len: 0)), Message(request(.send, len: 1024), segments: [segment(0x100, 1024, last: true)]),
                         Message(request(.rdmaWrite, len: 512), segments: [segment(0x900, 512, last: true)])], setup)
        #expect(summary(s.headers) == [[0x04, 0, 0, 0], [0x00, 1, 512, 0], [0x02, 2, 512, 0], [0x0a, 3, 512, 512]])
        #expect(s.headers.allSatisfy { $0.beat.dct == 0x42 && $0.beat.dcKey == 0x1234 && $0.beat.session == 0x99 && $0.beat.qp == 0 })
    }

    @Test func rule4CanonicalCutAcrossSegmentsAndPackets() throws {
        var setup = Setup()
        setup.pmtuCode = 1   // 256 bytes
        let s = try run([Message(request(.send, len: 600), segments: [segment(0x1000, 100), segment(0x2000, 300), segment(0x3000, 200, last: true)])], setup)
        #expect(s.pieces.map(\.beat) == [PayloadPiece(addr: 0x1000, len: 100, last: false), PayloadPiece(addr: 0x2000, len: 156, last: true),
                                         PayloadPiece(addr: 0x2000 + 156, len: 144, last: false), PayloadPiece(addr: 0x3000, len: 112, last: true),
                                         PayloadPiece(addr: 0x3000 + 112, len: 88, last: true)])
        #expect(s.headers.map(\.beat.len) == [256, 256, 88])
    }

    @Test func rule5BadSegmentInTheFirstPacketFailsTheRecord() throws {
        let s = try run([Message(request(.rdmaWrite, len: 2000), segments: [segment(0x1000, 500), segment(0x2000, 1500, last: true, status: 0x04)]),
                         Message(request(.rdmaRead, len: 8, wqe: 1))])
        #expect(s.records.map(\.beat.status) == [0x04, 0])
        #expect(s.headers.map(\.beat.opcode) == [0x0c])
        #expect(s.pieces.map(\.beat) == [PayloadPiece(addr: 0x1000, len: 500, last: false), .abortBeat])
        #expect(s.lateErrors.isEmpty)
        #expect(s.headers[0].beat.psn == 2, "the failed WRITE took n = 2 PSNs")
    }

    @Test func rule5ListEndingShortSendsThePacketsBefore() throws {
        let s = try run([Message(request(.send, len: 3000), segments: [segment(0x1000, 1024), segment(0x2000, 500, last: true)])])
        #expect(s.headers.map(\.beat.psn) == [0])
        #expect(s.pieces.map(\.beat) == [PayloadPiece(addr: 0x1000, len: 1024, last: true), PayloadPiece(addr: 0x2000, len: 500, last: false), .abortBeat])
        #expect(s.lateErrors.map(\.beat) == [LocalError(qp: 0, syndrome: 0x01)])
        #expect(s.pieces[2].cycle > s.headers[0].cycle, "the abort after the sent header")
    }

    @Test func rule5ListRunningPastLenLosesTheLastPacket() throws {
        let s = try run([Message(request(.rdmaWrite, len: 1500), segments: [segment(0x1000, 1600, last: true)]),
                         Message(request(.rdmaWrite, len: 100, wqe: 1), segments: [segment(0x5000, 100), segment(0x6000, 4, last: true)]),
                         Message(request(.rdmaWrite, len: 100, wqe: 2), segments: [segment(0x7000, 100), segment(0x8000, 4, last: true, status: 0x04)])])
        // 1: packet 0 sent, packet 1 dropped. 2: the segment reaching len is not `last`: its
        // one packet holds the failure point. 3: a bad status past len: every packet is sent.
        #expect(s.headers.map(\.beat.psn) == [0, 3])
        #expect(s.records.map(\.beat.status) == [0, 0x01, 0])
        #expect(s.lateErrors.map(\.beat.syndrome) == [0x01, 0x04])
        #expect(s.pieces.map(\.beat).filter(\.abort).count == 2)
    }

    @Test func rule4GatherBeatsOfFailedMessagesAreConsumed() throws {
        // Pre-failed, QP >= QPS and too-long messages: their segments go, the next message's stay.
        let s = try run([Message(request(.send, len: 10, status: 0x04), segments: [segment(0x10, 10, last: true)]),
                         Message(request(.send, len: 10, qp: 16), segments: [segment(0x20, 4), segment(0x30, 6, last: true)]),
                         Message(request(.rdmaWrite, len: (1 << 31) + 5)),
                         Message(ExecRequest(WorkRequest(qp: 0, wqe: 3, len: 5, dct: 0, dcKey: 0)).replacingOpcode(0x11)),
                         Message(request(.send, len: 10, wqe: 4), segments: [segment(0x40, 10, last: true)])])
        #expect(s.records.map(\.beat.status) == [0x04, 0x02, 0x01, 0x02, 0])
        #expect(s.records.map(\.beat.psn) == [0, 0, 1, 2, 3])
        #expect(s.pieces.map(\.beat) == [PayloadPiece(addr: 0x40, len: 10, last: true)])
        #expect(s.headers.map(\.beat.psn) == [3])
    }

    @Test func zeroLengthSegmentsAreSkippedOrEndTheListShort() throws {
        // Bad input (segments have len >= 1): a zero-length segment gives no piece; as the
        // last one the list ends short at byte 50, inside the first packet.
        let s = try run([Message(request(.send, len: 100), segments: [segment(0x1000, 50), segment(0x2000, 0), segment(0x3000, 50, last: true)]),
                         Message(request(.send, len: 100, wqe: 1), segments: [segment(0x4000, 50), segment(0x5000, 0, last: true)])])
        #expect(s.pieces.map(\.beat) == [PayloadPiece(addr: 0x1000, len: 50, last: false), PayloadPiece(addr: 0x3000, len: 50, last: true),
                                         PayloadPiece(addr: 0x4000, len: 50, last: false), .abortBeat])
        #expect(s.records.map(\.beat.status) == [0, 0x01])
        #expect(s.headers.count == 1)
    }

    @Test func rule8QpErrorMidMessageStopsItsPackets() throws {
        var setup = Setup()
        setup.pmtuCode = 1
        setup.dmaReadyPercent = 100
        setup.pktReadyPercent = 100
        // A 10-packet WRITE on QP 2; qp_error[2] pulses while its pieces are being cut.
        setup.errorPulses = [(qp: 2, rise: 8, fall: 10)]
        let s = try run([Message(request(.rdmaWrite, len: 2560, qp: 2), segments: [segment(0x1000, 2560, last: true)]),
                         Message(request(.rdmaWrite, len: 16, qp: 2, wqe: 1), segments: [segment(0x9000, 16, last: true)])], setup)
        let sent = s.headers.filter { $0.beat.qp == 2 }
        #expect(!sent.isEmpty && sent.count < 10, "\(sent.count) packets")
        #expect(sent.allSatisfy { $0.cycle <= 9 }, "no header first offered after the cycle with qp_error")
        #expect(s.pieces.last?.beat == .abortBeat)
        #expect(s.lateErrors.isEmpty)
        // The second WRITE was in the unit while qp_error was 1: its record says flush.
        #expect(s.records.map(\.beat.status) == [0, 0x05])
    }

    @Test func rule9QpActiveFromAcceptanceThroughThePost() throws {
        var setup = Setup()
        setup.postReadyPercent = 30
        let s = try run([Message(request(.rdmaRead, len: 8, qp: 5))], setup)
        let post = try #require(s.records.first).cycle
        let activeCycles = s.active.indices.filter { s.active[$0] >> 5 & 1 == 1 }
        #expect(activeCycles.last == post)
        #expect(activeCycles == Array(activeCycles.first!...post))
        #expect(s.active.allSatisfy { $0 & ~(1 << 5) == 0 })
    }

    @Test func backPressureOnEveryStreamLosesNothing() throws {
        var setup = Setup()
        (setup.dmaReadyPercent, setup.pktReadyPercent, setup.postReadyPercent, setup.lerrReadyPercent) = (20, 25, 30, 15)
        (setup.wrValidPercent, setup.gsegValidPercent) = (40, 40)
        var messages: [Message] = []
        for k in 0..<40 {
            let len = UInt32(k * 97 % 3000)
            messages.append(Message(request(k % 3 == 0 ? .rdmaRead : .send, len: len, qp: UInt8(k % 5), wqe: UInt16(k)),
                                    segments: k % 3 == 0 || len == 0 ? [] : [segment(UInt64(k) << 20, len / 2), segment(UInt64(k) << 24, len - len / 2, last: true)]))
        }
        let s = try run(messages, setup)
        #expect(s.records.count == 40)
    }
}

extension ExecRequest {
    func replacingOpcode(_ code: UInt8) -> ExecRequest { var m = self; m.request.opcode = code; return m }
}
