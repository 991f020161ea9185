import AdapterModel
import Testing

/// `ExecReference` against the section 5 vectors of SPEC 4.1, written out by hand.
@Suite struct ExecReferenceTests {
    func message(_ opcode: WQEOpcode, len: UInt32, qp: UInt8 = 0, status: UInt8 = 0) -> ExecRequest {
        ExecRequest(WorkRequest(qp: qp, wqe: 1, opcode: opcode, len: len, raddr: 0xABC0, rkey: 0x55, dct: 3, dcKey: 4), session: 9, status: status)
    }

    @Test func section5Sequence() {
        var ref = ExecReference()
        let (a, b, c, d): (UInt64, UInt64, UInt64, UInt64) = (0x10000, 0x20000, 0x30000, 0x40000)
        let w0 = ref.run(message(.rdmaWrite, len: 0), segments: [], pmtuCode: 3)
        #expect(w0.headers.map { [$0.opcode, UInt8($0.psn), UInt8($0.len), UInt8($0.rethLen)] } == [[0x0a, 0, 0, 0]] && w0.record.psn == 0)
        let r0 = ref.run(message(.rdmaRead, len: 0), segments: [], pmtuCode: 3)
        #expect(r0.headers.map(\.opcode) == [0x0c] && r0.headers[0].psn == 1 && r0.record.psn == 1)
        let w3 = ref.run(message(.rdmaWrite, len: 3072), segments: [GatherSegment(addr: a, len: 3072, last: true)], pmtuCode: 3)
        #expect(w3.pieces == [PayloadPiece(addr: a, len: 1024, last: true), PayloadPiece(addr: a + 1024, len: 1024, last: true), PayloadPiece(addr: a + 2048, len: 1024, last: true)])
        #expect(w3.headers.map(\.opcode) == [0x06, 0x07, 0x08] && w3.headers.map(\.psn) == [2, 3, 4])
        #expect(w3.headers.map(\.rethLen) == [3072, 0, 0] && w3.headers.map(\.len) == [1024, 1024, 1024] && w3.record.psn == 4)
        let r5 = ref.run(message(.rdmaRead, len: 5000), segments: [], pmtuCode: 3)
        #expect(r5.headers.count == 1 && r5.headers[0].psn == 5 && r5.headers[0].rethLen == 5000 && r5.record.psn == 9)
        let s15 = ref.run(message(.send, len: 1500), segments: [GatherSegment(addr: b, len: 1000), GatherSegment(addr: c, len: 500, last: true)], pmtuCode: 3)
        #expect(s15.pieces == [PayloadPiece(addr: b, len: 1000, last: false), PayloadPiece(addr: c, len: 24, last: true), PayloadPiece(addr: c + 24, len: 476, last: true)])
        #expect(s15.headers.map(\.opcode) == [0x00, 0x02] && s15.headers.map(\.psn) == [10, 11] && s15.headers.map(\.len) == [1024, 476])
        let s30 = ref.run(message(.send, len: 3000), segments: [GatherSegment(addr: d, len: 1024), GatherSegment(addr: 0, len: 100, last: true, status: 4)], pmtuCode: 3)
        #expect(s30.headers.map(\.psn) == [12] && s30.record.psn == 14 && s30.record.status == 0)
        #expect(s30.lerr == LocalError(qp: 0, syndrome: 4) && s30.droppable.isEmpty)
        #expect(ref.psn(of: 0) == 15)
    }

    @Test func readsOf2To31BytesWrapThePsn() {
        var ref = ExecReference()
        _ = ref.run(message(.rdmaWrite, len: 0), segments: [], pmtuCode: 1)
        let start = ref.psn(of: 0)
        let first = ref.run(message(.rdmaRead, len: 1 << 31), segments: [], pmtuCode: 1)
        #expect(first.record.psn == start + (1 << 23) - 1)
        _ = ref.run(message(.rdmaRead, len: 1 << 31), segments: [], pmtuCode: 1)
        #expect(ref.psn(of: 0) == start)
    }

    @Test func localFailuresSendNothing() {
        var ref = ExecReference()
        let bad = ref.run(ExecRequest(WorkRequest(qp: 2, wqe: 0, len: 10, dct: 0, dcKey: 0)).withOpcode(0x11), segments: [], pmtuCode: 3)
        #expect(bad.record.status == 0x02 && bad.headers.isEmpty && bad.record.psn == 0)
        let long = ref.run(message(.rdmaRead, len: (1 << 31) + 1, qp: 2), segments: [], pmtuCode: 3)
        #expect(long.record.status == 0x01 && long.headers.isEmpty && long.record.psn == 1)
        let out = ref.run(message(.send, len: 10, qp: 16), segments: [GatherSegment(addr: 0, len: 10, last: true)], pmtuCode: 3)
        #expect(out.record.status == 0x02 && out.record.psn == 0 && out.pieces.isEmpty)
        // A failure point inside the first packet: the record carries it, nothing is sent.
        let short = ref.run(message(.rdmaWrite, len: 2000, qp: 3), segments: [GatherSegment(addr: 0x100, len: 300, last: true)], pmtuCode: 3)
        #expect(short.record.status == 0x01 && short.headers.isEmpty && short.droppable == [PayloadPiece(addr: 0x100, len: 300, last: false)])
        // Segments past len: the failure point is len - 1, in the last packet.
        let over = ref.run(message(.rdmaWrite, len: 2000, qp: 4), segments: [GatherSegment(addr: 0x100, len: 2100, last: true)], pmtuCode: 3)
        #expect(over.headers.count == 1 && over.lerr?.syndrome == 0x01 && over.droppable == [PayloadPiece(addr: 0x500, len: 976, last: true)])
    }
}

extension ExecRequest {
    func withOpcode(_ code: UInt8) -> ExecRequest { var m = self; m.request.opcode = code; return m }
}
