import Adapter
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
        func s(_ n: String) -> Int { l.slot(n).offset }
        var i = [UInt64](repeating: 0, count: l.inputWords)
        var f = Figures()
        f.cycles = cycles

        // Steady state: a post every cycle round-robin over 16 QPs, and an ACK for the post
        // made 8 cycles earlier; every record signaled, the host always ready.
        rtl.reset(cycles: 2)
        i[s("cqe_ready")] = 1
        i[s("post_valid")] = 1
        i[s("post_signaled")] = 1
        var nextPsn = [UInt64](repeating: 0, count: 16)
        var acceptedPosts: [(qp: UInt64, psn: UInt64)] = []
        var ackIndex = 0
        var posts = 0, acks = 0, cqes = 0
        var postQp: UInt64 = 0
        for _ in 0..<cycles {
            i[s("post_qp")] = postQp
            i[s("post_psn")] = nextPsn[Int(postQp)]
            let haveAck = ackIndex + 8 <= acceptedPosts.count
            i[s("ack_valid")] = haveAck ? 1 : 0
            if haveAck {
                i[s("ack_qp")] = acceptedPosts[ackIndex].qp
                i[s("ack_psn")] = acceptedPosts[ackIndex].psn
            }
            let o = rtl.cycle(i)
            if o[s("post_ready")] == 1 {
                posts += 1
                acceptedPosts.append((postQp, nextPsn[Int(postQp)]))
                nextPsn[Int(postQp)] += 1
                postQp = (postQp + 1) % 16
            }
            if haveAck && o[s("ack_ready")] == 1 { acks += 1; ackIndex += 1 }
            if o[s("cqe_valid")] == 1 { cqes += 1 }
        }
        f.postsPerCycle = Double(posts) / Double(cycles)
        f.acksPerCycle = Double(acks) / Double(cycles)
        f.cqesPerCycle = Double(cqes) / Double(cycles)

        // One cumulative ACK over a full pool of 64 records on one QP.
        rtl.reset(cycles: 2)
        i = [UInt64](repeating: 0, count: l.inputWords)
        i[s("cqe_ready")] = 1
        i[s("post_valid")] = 1
        i[s("post_signaled")] = 1
        var filled = 0
        while filled < 64 {
            i[s("post_psn")] = UInt64(filled)
            if rtl.cycle(i)[s("post_ready")] == 1 { filled += 1 }
        }
        i[s("post_valid")] = 0
        _ = rtl.cycle(i)
        i[s("ack_valid")] = 1
        i[s("ack_psn")] = 63
        _ = rtl.cycle(i)  // the ACK transfers here
        i[s("ack_valid")] = 0
        var n = 0
        while rtl.cycle(i)[s("qp_busy")] & 1 == 1 && n < 10_000 { n += 1 }
        f.cumulativeRecords = 64
        f.cumulativeCycles = n
        return f
    }
}
