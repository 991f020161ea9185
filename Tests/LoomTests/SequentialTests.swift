import Examples
import Loom
import LoomCosim
import LoomSim
import Testing

/// Registers, reset, enable, memories, when/switch priority, FSMs: through the simulator.
@Suite struct SequentialTests {
    @Test func counterCountsWrapsAndClears() throws {
        let sim = try simulate(Counter(width: 4))
        #expect(sim.peek("count") == 0)
        sim.poke("en", 1)
        for expected in 0..<20 {
            #expect(sim.peek("count") == UInt64(expected % 16))
            #expect(sim.peek("wrapped") == (expected % 16 == 15 ? 1 : 0))
            sim.step()
        }
        sim.poke("en", 0)
        sim.step(3)
        #expect(sim.peek("count") == 4)  // holds without enable
        sim.poke("clear", 1)
        sim.poke("en", 1)
        sim.step()
        #expect(sim.peek("count") == 0)  // clear has priority over enable
        sim.poke("clear", 0)
        sim.reset()
        #expect(sim.peek("count") == 0)
    }

    @Test func resetValueAndRegisterEnable() throws {
        let sim = try simulate(Probe { m in
            let d = m.input("d", width: 8)
            let en = m.input("en", width: 1)
            let r = m.register("r", width: 8, reset: 0xA5)
            m.when(en) { r.drive(d) }
            m.output("q", width: 8).drive(r)
        })
        #expect(sim.peek("q") == 0xA5)
        sim.poke("d", 7)
        sim.step()
        #expect(sim.peek("q") == 0xA5)
        sim.poke("en", 1)
        #expect(sim.peek("q") == 0xA5)  // registered: changes only at the edge
        sim.step()
        #expect(sim.peek("q") == 7)
        sim.poke("rst", 1)
        sim.step()
        #expect(sim.peek("q") == 0xA5)  // synchronous reset wins over enable
    }

    @Test func registerEnableParameterGatesEveryDrive() throws {
        let sim = try simulate(Probe { m in
            let d = m.input("d", width: 8)
            let en = m.input("en", width: 1)
            let hot = m.input("hot", width: 1)
            let r = m.register("r", width: 8, reset: 3, enable: en)
            r.drive(d)
            m.when(hot) { r.drive(d &+ 100) }
            m.output("q", width: 8).drive(r)
        })
        sim.poke("d", 7)
        sim.step()
        #expect(sim.peek("q") == 3)    // enable low: holds
        sim.poke("en", 1)
        sim.step()
        #expect(sim.peek("q") == 7)
        sim.poke("hot", 1)
        sim.step()
        #expect(sim.peek("q") == 107)  // the later drive wins, still gated
        sim.poke("en", 0)
        sim.poke("d", 9)
        sim.step()
        #expect(sim.peek("q") == 107)
    }

    @Test func whenElsewhenOtherwisePriorityAndLastAssignmentWins() throws {
        let sim = try simulate(Probe(name: "prio", isCombinational: true) { m in
            let a = m.input("a", width: 1)
            let b = m.input("b", width: 1)
            let y = m.output("y", width: 2)
            let z = m.output("z", width: 2)
            m.when(a) { y.drive(1) }.elsewhen(b) { y.drive(2) }.otherwise { y.drive(3) }
            z.drive(0)
            m.when(b) { z.drive(1) }
            m.when(a) { z.drive(2) }  // later assignment wins when both hold
        })
        for (a, b, y, z) in [(0, 0, 3, 0), (1, 0, 1, 2), (0, 1, 2, 1), (1, 1, 1, 2)] as [(UInt64, UInt64, UInt64, UInt64)] {
            sim.poke("a", a)
            sim.poke("b", b)
            #expect(sim.peek("y") == y)
            #expect(sim.peek("z") == z)
        }
    }

    @Test func sameValueInBothBranchesIsStillAnAssignment() throws {
        // Both branches drive 1: the register takes 1 whenever `go` is high, whatever `pick`.
        let sim = try simulate(Probe { m in
            let go = m.input("go", width: 1)
            let pick = m.input("pick", width: 1)
            let r = m.register("r", width: 1, reset: 0)
            m.when(go) {
                m.when(pick) { r.drive(1) }.otherwise { r.drive(1) }
            }
            m.output("q", width: 1).drive(r)
        })
        sim.poke("go", 1)
        sim.step()
        #expect(sim.peek("q") == 1)
    }

    @Test func switchTakesTheFirstMatchAndDefault() throws {
        let sim = try simulate(Probe(name: "sw", isCombinational: true) { m in
            let s = m.input("s", width: 3)
            let y = m.output("y", width: 4)
            m.switch(s) { c in
                c.case(1) { y.drive(10) }
                c.case(2) { y.drive(11) }
                c.case(2) { y.drive(12) }  // shadowed by the first case 2
                c.default { y.drive(15) }
            }
        })
        for (s, y) in [(0, 15), (1, 10), (2, 11), (7, 15)] as [(UInt64, UInt64)] {
            sim.poke("s", s)
            #expect(sim.peek("y") == y)
        }
    }

    @Test func memorySynchronousReadAndWrite() throws {
        let sim = try simulate(Probe(name: "ram") { m in
            let we = m.input("we", width: 1)
            let wa = m.input("wa", width: 3)
            let wd = m.input("wd", width: 8)
            let ra = m.input("ra", width: 3)
            let mem = m.memory("words", depth: 8, width: 8)
            mem.write(wa, wd, enable: we)
            m.output("rd", width: 8).drive(mem.read(ra))
        })
        sim.poke("we", 1)
        for i in 0..<8 {
            sim.poke("wa", UInt64(i))
            sim.poke("wd", UInt64(100 + i))
            sim.step()
        }
        sim.poke("we", 0)
        sim.poke("ra", 5)
        sim.step()
        #expect(sim.peek("rd") == 105)  // one cycle after the address
        // Read and write the same address in one cycle: the read returns the old word.
        sim.poke("we", 1)
        sim.poke("wa", 5)
        sim.poke("wd", 42)
        sim.step()
        #expect(sim.peek("rd") == 105)
        sim.poke("we", 0)
        sim.step()
        #expect(sim.peek("rd") == 42)
    }

    @Test func memoryReadEnableHoldsData() throws {
        let sim = try simulate(Probe(name: "ram2") { m in
            let ra = m.input("ra", width: 2)
            let re = m.input("re", width: 1)
            let mem = m.memory("words", depth: 4, width: 4)
            let a = m.register("a", width: 2, reset: 0)
            a.drive(a &+ 1)
            mem.write(a, cat(a, a))
            m.output("rd", width: 4).drive(mem.read(ra, enable: re))
        })
        sim.step(4)
        sim.poke("re", 1)
        sim.poke("ra", 2)
        sim.step()
        #expect(sim.peek("rd") == 0b1010)
        sim.poke("re", 0)
        sim.poke("ra", 3)
        sim.step()
        #expect(sim.peek("rd") == 0b1010)
    }

    @Test func handshakeStateMachine() throws {
        let sim = try simulate(HandshakeFSM())
        #expect(sim.peek("req") == 0)
        sim.poke("start", 1)
        sim.step()
        sim.poke("start", 0)
        #expect(sim.peek("req") == 1)
        sim.step(3)
        #expect(sim.peek("req") == 1)
        sim.poke("ack", 1)
        sim.step()
        sim.poke("ack", 0)
        #expect(sim.peek("done") == 1)
        #expect(sim.peek("busy_cycles") == 3)
        sim.step()
        #expect(sim.peek("done") == 0)
        #expect(sim.peek("req") == 0)
        sim.poke("start", 1)
        sim.step()
        sim.poke("cancel", 1)
        sim.step()
        #expect(sim.peek("req") == 0)  // cancel returns to idle
    }

    @Test func aluMatchesItsDefinition() throws {
        let sim = try simulate(ALU(width: 16))
        var rng = SeededRandom(seed: 7)
        for _ in 0..<500 {
            let a = rng.next() & 0xffff, b = rng.next() & 0xffff, op = rng.next() % 16
            sim.poke("a", a)
            sim.poke("b", b)
            sim.poke("op", op)
            let sa = Int64(Int16(bitPattern: UInt16(a))), sb = Int64(Int16(bitPattern: UInt16(b)))
            let sh = b & 0xf
            let expected: UInt64
            switch op {
            case 0: expected = (a + b) & 0xffff
            case 1: expected = (a &- b) & 0xffff
            case 2: expected = a & b
            case 3: expected = a | b
            case 4: expected = a ^ b
            case 5: expected = (a << sh) & 0xffff
            case 6: expected = a >> sh
            case 7: expected = UInt64(bitPattern: sa >> Int64(sh)) & 0xffff
            case 8: expected = sa < sb ? 1 : 0
            case 9: expected = a < b ? 1 : 0
            case 10: expected = a == b ? 1 : 0
            case 11: expected = (a * b) & 0xffff
            case 12: expected = (a * b) >> 16
            case 13: expected = (a & 0xff) << 8 | a >> 8
            default: expected = 0
            }
            #expect(sim.peek("result") == expected, "op \(op) a \(a) b \(b)")
            #expect(sim.peek("sum") == a + b)
            #expect(sim.peek("product") == a * b)
            #expect(sim.peek("zero") == (expected == 0 ? 1 : 0))
        }
    }
}
