import Adapter
import AdapterSpec
import Loom
import LoomCosim

/// Throughput of `completion_engine` measured on the Verilated RTL (SPEC 3.4).
public enum CompletionThroughput {
    public struct Figures {
        public var cycles = 0
        public var postsPerCycle = 0.0
        public var acksPerCycle = 0.0
        public var cqesPerCycle = 0.0
        public var cumulativeRecords = 0
        public var cumulativeCycles = 0
        public var recordsPerCycle: Double { cumulativeCycles > 0 ? Double(cumulativeRecords) / Double(cumulativeCycles) : 0 }
    }

    public static func measure(cycles: Int = 100_000, compiler: ModelCompiler = ModelCompiler()) throws -> Figures {
        let rtl = try VerilatedModel(try elaborate(CompletionEngine()), seed: 1, compiler: compiler)
        let l = rtl.layout
        let p = try CompletionPorts(l.packed())
        var i = [UInt64](repeating: 0, count: l.inputWords)
        var f = Figures()
        f.cycles = cycles

        // Steady state: a post every cycle round-robin over 16 QPs, and an ACK for the post
        // made 8 cycles earlier; every record signaled, the host always ready.
        rtl.reset(cycles: 2)
        i[p.cqe.ready] = 1
        i[p.post.valid] = 1
        var nextPsn = [UInt64](repeating: 0, count: 16)
        var acceptedPosts: [(qp: UInt64, psn: UInt64)] = []
        var ackIndex = 0
        var posts = 0, acks = 0, cqes = 0
        var postQp: UInt64 = 0
        for _ in 0..<cycles {
            p.post.write(CompletionPost(qp: UInt8(postQp), wqe: 0, signaled: true, psn: UInt32(nextPsn[Int(postQp)])), into: &i)
            let haveAck = ackIndex + 8 <= acceptedPosts.count
            i[p.ack.valid] = haveAck ? 1 : 0
            if haveAck {
                p.ack.write(CompletionAck(qp: UInt8(acceptedPosts[ackIndex].qp), psn: UInt32(acceptedPosts[ackIndex].psn)), into: &i)
            }
            let o = rtl.cycle(i)
            if o[p.post.ready] == 1 {
                posts += 1
                acceptedPosts.append((postQp, nextPsn[Int(postQp)]))
                nextPsn[Int(postQp)] += 1
                postQp = (postQp + 1) % 16
            }
            if haveAck && o[p.ack.ready] == 1 { acks += 1; ackIndex += 1 }
            if o[p.cqe.valid] == 1 { cqes += 1 }
        }
        f.postsPerCycle = Double(posts) / Double(cycles)
        f.acksPerCycle = Double(acks) / Double(cycles)
        f.cqesPerCycle = Double(cqes) / Double(cycles)

        // One cumulative ACK over a full pool of 64 records on one QP.
        rtl.reset(cycles: 2)
        i = [UInt64](repeating: 0, count: l.inputWords)
        i[p.cqe.ready] = 1
        i[p.post.valid] = 1
        var filled = 0
        while filled < 64 {
            p.post.write(CompletionPost(qp: 0, wqe: 0, signaled: true, psn: UInt32(filled)), into: &i)
            if rtl.cycle(i)[p.post.ready] == 1 { filled += 1 }
        }
        i[p.post.valid] = 0
        _ = rtl.cycle(i)
        i[p.ack.valid] = 1
        p.ack.write(CompletionAck(qp: 0, psn: 63), into: &i)
        _ = rtl.cycle(i)  // the ACK transfers here
        i[p.ack.valid] = 0
        var n = 0
        while rtl.cycle(i).withUnsafeBufferPointer({ p.qpBusy.bit($0.baseAddress!, 0) }) && n < 10_000 { n += 1 }
        f.cumulativeRecords = 64
        f.cumulativeCycles = n
        return f
    }
}
