import Adapter
import AdapterModel
import Loom
import LoomCosim

/// `dc_initiator`'s performance on the Verilated RTL (SPEC 4.2 performance line).
public enum DCThroughput {
    public struct Figures {
        /// WRs forwarded per cycle to a connected target.
        public var connectedPerCycle: Double
        /// On a half-handshake switch: cycles from the drain becoming visible to the
        /// DISCONNECT transferring, from it to the CONNECT, and from that to the first WR.
        public var disconnectAfterDrain: Int, connectAfterDisconnect: Int, requestAfterConnect: Int
    }

    public static func measure(compiler: ModelCompiler = ModelCompiler()) throws -> Figures {
        let rtl = try VerilatedModel(try elaborate(DCInitiator()), seed: 1, compiler: compiler)
        let p = try DCPorts(rtl.layout.packed(qps: 16))
        rtl.reset(cycles: 2)
        var i = [UInt64](repeating: 0, count: rtl.layout.inputWords)
        i[p.xwr.ready] = 1
        i[p.ctl.ready] = 1
        let a = DCTarget(dct: 0x11, dcKey: 0xA), b = DCTarget(dct: 0x22, dcKey: 0xB)
        // 4000 WRs to one target (the first connects), then one to another target.
        var requests = (0..<4000).map { WorkRequest(qp: 0, wqe: UInt16($0), len: 64, dct: a.dct, dcKey: a.dcKey) }
        requests.append(WorkRequest(qp: 0, wqe: 9999, len: 64, dct: b.dct, dcKey: b.dcKey))
        var next = 0, cycle = 0, forwarded: [Int] = [], control: [(Int, ControlBeat)] = []
        var busyUntil = 0
        while forwarded.count < requests.count && cycle < 100_000 {
            i[p.wr.valid] = next < requests.count ? 1 : 0
            if next < requests.count { p.wr.write(requests[next], into: &i) }
            // The exec unit and engine are busy with QP 0 until 50 cycles after the last WR to a.
            p.qpActive.write(UInt64(cycle < busyUntil ? 1 : 0), into: i.withUnsafeMutableBufferPointer { $0.baseAddress! })
            let o = rtl.cycle(i)
            if next < requests.count && o[p.wr.ready] == 1 { next += 1 }
            if o[p.xwr.valid] == 1 { forwarded.append(cycle); busyUntil = cycle + 50 }
            if o[p.ctl.valid] == 1 { control.append((cycle, p.ctl.read(o))) }
            cycle += 1
        }
        let steady = forwarded[3999] - forwarded[0]
        let drainVisible = forwarded[3999] + 50
        let disconnect = control.first { $0.1.kind == ControlKind.disconnect.rawValue }?.0 ?? -1
        let connect = control.last { $0.1.kind == ControlKind.connect.rawValue }?.0 ?? -1
        return Figures(connectedPerCycle: Double(3999) / Double(steady), disconnectAfterDrain: disconnect - drainVisible,
                       connectAfterDisconnect: connect - disconnect, requestAfterConnect: forwarded[4000] - connect)
    }
}
