import Adapter
import AdapterModel
import Loom
import LoomCosim

/// Throughput of `exec_unit` on the Verilated RTL (SPEC 4.1 performance line): every input
/// offered back to back and every output always ready, messages spread over the QPs.
public enum ExecThroughput {
    public struct Figure {
        public var name: String
        public var messages: Int, pieces: Int, headers: Int, cycles: Int
        public var messagesPerCycle: Double { Double(messages) / Double(cycles) }
        public var piecesPerCycle: Double { Double(pieces) / Double(cycles) }
        public var headersPerCycle: Double { Double(headers) / Double(cycles) }
    }

    /// Cycles from the first `wr` offered to the last beat out.
    static func measure(_ name: String, _ messages: [ExecStimulus.Message], pmtuCode: UInt8, rtl: VerilatedModel) throws -> Figure {
        let p = try ExecPorts(rtl.layout.packed(qps: 16))
        rtl.reset(cycles: 2)
        var i = [UInt64](repeating: 0, count: rtl.layout.inputWords)
        for r in [p.dma.ready, p.pkt.ready, p.post.ready, p.lerr.ready] { i[r] = 1 }
        i[p.pmtu.offset] = UInt64(pmtuCode)
        let segments = messages.flatMap(\.segments)
        var nextWr = 0, nextSeg = 0, records = 0, pieces = 0, headers = 0, cycles = 0, idle = 0
        while (records < messages.count || idle < 4) && cycles < 10_000_000 {
            i[p.wr.valid] = nextWr < messages.count ? 1 : 0
            if nextWr < messages.count { p.wr.write(messages[nextWr].request, into: &i) }
            i[p.gseg.valid] = nextSeg < segments.count ? 1 : 0
            if nextSeg < segments.count { p.gseg.write(segments[nextSeg], into: &i) }
            let o = rtl.cycle(i)
            cycles += 1
            if nextWr < messages.count && o[p.wr.ready] == 1 { nextWr += 1 }
            if nextSeg < segments.count && o[p.gseg.ready] == 1 { nextSeg += 1 }
            var moved = false
            if o[p.post.valid] == 1 { records += 1; moved = true }
            if o[p.dma.valid] == 1 { pieces += 1; moved = true }
            if o[p.pkt.valid] == 1 { headers += 1; moved = true }
            idle = records == messages.count && !moved ? idle + 1 : 0
        }
        return Figure(name: name, messages: messages.count, pieces: pieces, headers: headers, cycles: cycles - idle)
    }

    public static func measure(compiler: ModelCompiler = ModelCompiler()) throws -> [Figure] {
        let rtl = try VerilatedModel(try elaborate(ExecUnit()), seed: 1, compiler: compiler)
        func message(_ k: Int, _ op: WQEOpcode, len: UInt32, segments: [GatherSegment] = []) -> ExecStimulus.Message {
            ExecStimulus.Message(ExecRequest(WorkRequest(qp: UInt8(k % 16), wqe: UInt16(truncatingIfNeeded: k), opcode: op, len: len, raddr: UInt64(k) << 12, rkey: 1,
                                                         dct: 5, dcKey: 6)), segments: segments)
        }
        let reads = (0..<4000).map { message($0, .rdmaRead, len: 4096) }
        let empty = (0..<4000).map { message($0, $0 % 2 == 0 ? .send : .rdmaWrite, len: 0) }
        let onePiece = (0..<4000).map { message($0, .send, len: 64, segments: [GatherSegment(addr: UInt64($0) << 8, len: 64, last: true)]) }
        let mixed = (0..<4000).map { k in k % 3 == 0 ? message(k, .rdmaRead, len: 100) : message(k, .rdmaWrite, len: 200, segments: [GatherSegment(addr: UInt64(k) << 9, len: 200, last: true)]) }
        // 16 KiB WRITEs at PMTU 256 from one segment: one piece per packet.
        let long = (0..<64).map { message($0, .rdmaWrite, len: 16384, segments: [GatherSegment(addr: UInt64($0) << 20, len: 16384, last: true)]) }
        // 4 KiB SENDs at PMTU 1024 from 100-byte segments: many pieces per packet.
        let scattered = (0..<64).map { k in
            message(k, .send, len: 4000, segments: (0..<40).map { GatherSegment(addr: UInt64(k) << 20 | UInt64($0) << 10, len: 100, last: $0 == 39) })
        }
        return try [measure("READ requests (no gather)", reads, pmtuCode: 3, rtl: rtl),
                    measure("zero-length SEND/WRITE", empty, pmtuCode: 3, rtl: rtl),
                    measure("one-piece one-packet SEND", onePiece, pmtuCode: 3, rtl: rtl),
                    measure("READ and one-piece WRITE mixed", mixed, pmtuCode: 3, rtl: rtl),
                    measure("16 KiB WRITE at PMTU 256", long, pmtuCode: 1, rtl: rtl),
                    measure("4000 B SEND from 100 B segments", scattered, pmtuCode: 3, rtl: rtl)]
    }
}
