import Examples
import Loom
import LoomCosim
import LoomSim
import Testing

/// Queue, skid buffer and arbiter behaviour under random valid and random back-pressure,
/// checked against the stream contract and a Swift reference queue.
@Suite struct StreamLibraryTests {
    @Test(arguments: [(4, false, false), (1, false, false), (1, true, false), (3, false, true), (2, true, true), (5, false, false)])
    func queueKeepsOrderUnderBackPressure(depth: Int, pipe: Bool, flow: Bool) throws {
        let sim = try simulate(Queue(width: 12, depth: depth, pipe: pipe, flow: flow))
        let result = pump(sim, input: "enq", output: "deq", count: 500, seed: UInt64(depth * 4 + (pipe ? 2 : 0) + (flow ? 1 : 0)))
        #expect(result.received.count == 500)
        #expect(Array(result.sent.prefix(500)) == result.received)
    }

    @Test func queueCountsAndFillsToDepth() throws {
        let sim = try simulate(Queue(width: 8, depth: 3))
        sim.poke("enq_valid", 1)
        for i in 0..<5 {
            sim.poke("enq_bits", UInt64(i))
            #expect(sim.peek("enq_ready") == (i < 3 ? 1 : 0))
            sim.step()
        }
        #expect(sim.peek("count") == 3)
        #expect(sim.peek("deq_bits") == 0)
    }

    @Test func pipeQueueOfDepthOneSustainsOneBeatPerCycle() throws {
        let sim = try simulate(Queue(width: 8, depth: 1, pipe: true))
        sim.poke("enq_valid", 1)
        sim.poke("deq_ready", 1)
        var received = 0
        for i in 0..<100 {
            sim.poke("enq_bits", UInt64(i & 0xff))
            if sim.peek("deq_valid") == 1 { received += 1 }
            #expect(sim.peek("enq_ready") == 1)
            sim.step()
        }
        #expect(received == 99)
    }

    @Test func flowQueuePassesThroughWhenEmpty() throws {
        let sim = try simulate(Queue(width: 8, depth: 2, flow: true))
        sim.poke("enq_valid", 1)
        sim.poke("enq_bits", 77)
        sim.poke("deq_ready", 1)
        #expect(sim.peek("deq_valid") == 1)
        #expect(sim.peek("deq_bits") == 77)
        sim.step()
        #expect(sim.peek("count") == 0)
    }

    @Test func skidBufferIsLosslessAndRegistersReady() throws {
        let sim = try simulate(SkidBuffer(width: 16))
        let result = pump(sim, input: "in", output: "out", count: 800, seed: 11, readyPercent: 50)
        #expect(Array(result.sent.prefix(800)) == result.received)
        // Full throughput with ready always high.
        let fast = try simulate(SkidBuffer(width: 16))
        let r2 = pump(fast, input: "in", output: "out", count: 300, seed: 12, readyPercent: 100)
        #expect(r2.received == Array(r2.sent.prefix(300)))
    }

    @Test func bufferedStreamExampleKeepsOrder() throws {
        let sim = try simulate(BufferedStream())
        var rng = SeededRandom(seed: 5)
        var expected: [UInt64] = [], got: [UInt64] = []
        var valid = false, data: UInt64 = 0
        for _ in 0..<3000 {
            if !valid && rng.next() % 2 == 0 { valid = true; data = rng.next() & 0xff }
            sim.poke("in_valid", valid ? 1 : 0)
            sim.poke("in_data", data)
            sim.poke("in_tag", data & 3)
            let ready: UInt64 = rng.next() % 3 == 0 ? 0 : 1
            sim.poke("out_ready", ready)
            if sim.peek("out_valid") == 1 && ready == 1 {
                got.append(sim.peek("out_data"))
                #expect(sim.peek("out_tag") == sim.peek("out_data") & 3)
            }
            if valid && sim.peek("in_ready") == 1 { expected.append(data); valid = false }
            sim.step()
        }
        #expect(got.count > 1000)
        #expect(got == Array(expected.prefix(got.count)))
    }

    @Test func roundRobinArbiterIsFairAndLossless() throws {
        let sim = try simulate(ArbiterExample())
        // All three always valid: grants rotate 0, 1, 2, 0, ...
        for i in 0..<3 { sim.poke("req\(i)_valid", 1); sim.poke("req\(i)_data", UInt64(10 + i)) }
        sim.poke("grant_ready", 1)
        var order: [UInt64] = []
        for _ in 0..<9 {
            order.append(sim.peek("grant_source"))
            #expect(sim.peek("grant_data") == 10 + sim.peek("grant_source"))
            sim.step()
        }
        #expect(order == [0, 1, 2, 0, 1, 2, 0, 1, 2])
        // Only inputs 0 and 2 valid: they alternate, input 1 is skipped.
        sim.poke("req1_valid", 0)
        order = []
        for _ in 0..<4 { order.append(sim.peek("grant_source")); sim.step() }
        #expect(Set(order) == [0, 2])
        #expect(order[0] != order[1] && order[1] != order[2])
        // No grant without ready: nothing moves.
        sim.poke("grant_ready", 0)
        let before = sim.peek("grant_source")
        sim.step()
        #expect(sim.peek("grant_source") == before)
        #expect(sim.peek("req0_ready") == 0 && sim.peek("req2_ready") == 0)
    }
}
