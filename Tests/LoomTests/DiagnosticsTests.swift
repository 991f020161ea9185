import Loom
import Testing

/// Pins the exact text of every elaboration diagnostic, including the user's file:line.
@Suite struct DiagnosticsTests {
    let file = "LoomTests/DiagnosticsTests.swift"

    @Test func widthMismatchOnAssignment() {
        var line = 0
        let errors = diagnostics(Probe { m in
            let a = m.input("a", width: 8)
            let y = m.output("y", width: 4)
            line = #line; y.drive(a)
        })
        #expect(errors == ["\(file):\(line): error: width mismatch: 'y' is 4 bits but is driven with 8 bits"])
    }

    @Test func widthMismatchOnInstanceConnection() {
        var line = 0
        let errors = diagnostics(Probe(name: "parent") { m in
            let q = m.instance("fifo", Queue(width: 8, depth: 2))
            line = #line; q["enq_bits"].drive(m.input("data", width: 9))
            q["enq_valid"].drive(0)
            q["deq_ready"].drive(0)
        })
        #expect(errors == ["\(file):\(line): error: width mismatch: 'fifo.enq_bits' is 8 bits but is driven with 9 bits"])
    }

    @Test func outputWithoutDriver() {
        var line = 0
        let errors = diagnostics(Probe { m in
            line = #line; _ = m.output("y", width: 1)
        })
        #expect(errors == ["\(file):\(line): error: output 'y' has no driver"])
    }

    @Test func wireWithoutDriverAndPartlyDrivenWire() {
        var lines: [Int] = []
        let errors = diagnostics(Probe { m in
            let c = m.input("c", width: 1)
            lines.append(#line); let w = m.wire("w", width: 2)
            let p = m.wire("p", width: 2)
            m.when(c) {
                lines.append(#line); p.drive(1)
            }
            m.output("y", width: 2).drive(w | p)
        })
        #expect(errors == [
            "\(file):\(lines[0]): error: wire 'w' has no driver",
            "\(file):\(lines[1]): error: wire 'p' is not driven on every path; drive a default or add an otherwise branch",
        ])
    }

    @Test func instanceInputWithoutDriver() {
        var line = 0
        let errors = diagnostics(Probe(name: "parent") { m in
            line = #line; let q = m.instance("fifo", Queue(width: 8, depth: 2))
            q["enq_valid"].drive(0)
            q["enq_bits"].drive(0)
            m.output("y", width: 1).drive(q["deq_valid"])
        })
        #expect(errors == ["\(file):\(line): error: input 'deq_ready' of instance 'fifo' has no driver"])
    }

    @Test func twoDrivers() {
        var lines: [Int] = []
        let errors = diagnostics(Probe { m in
            let y = m.output("y", width: 1)
            lines.append(#line); y.drive(1)
            lines.append(#line); y.drive(0)
        })
        #expect(errors == ["\(file):\(lines[1]): error: 'y' has two drivers: \(file):\(lines[0]) and \(file):\(lines[1])"])
    }

    @Test func combinationalLoopListsEveryHop() {
        var lines: [Int] = []
        let errors = diagnostics(Probe { m in
            let a = m.wire("a", width: 4)
            let b = m.wire("b", width: 4)
            let c = m.wire("c", width: 4)
            lines.append(#line); a.drive(c &+ 1)
            lines.append(#line); b.drive(a ^ 3)
            lines.append(#line); c.drive(b)
            m.output("y", width: 4).drive(c)
        })
        #expect(errors == [
            "\(file):\(lines[0]): error: combinational loop: 'a' -> 'b' -> 'c' -> 'a'\n"
                + "  'a' driven at \(file):\(lines[0])\n"
                + "  'b' driven at \(file):\(lines[1])\n"
                + "  'c' driven at \(file):\(lines[2])",
        ])
    }

    @Test func loopThroughAnInstanceIsFound() {
        var lines: [Int] = []
        // A flow queue passes enq_valid to deq_valid combinationally; feeding deq_valid back
        // into enq_valid closes a loop through the child.
        let errors = diagnostics(Probe(name: "parent") { m in
            lines.append(#line); let q = m.instance("fifo", Queue(width: 1, depth: 2, flow: true))
            lines.append(#line); q["enq_valid"].drive(q["deq_valid"])
            q["enq_bits"].drive(0)
            q["deq_ready"].drive(1)
            m.output("y", width: 1).drive(q["deq_bits"])
        })
        #expect(errors == [
            "\(file):\(lines[1]): error: combinational loop: 'fifo.enq_valid' -> 'fifo.deq_valid' -> 'fifo.enq_valid'\n"
                + "  'fifo.enq_valid' driven at \(file):\(lines[1])\n"
                + "  'fifo.deq_valid' driven at \(file):\(lines[0])",
        ])
    }

    @Test func reservedIllegalAndCollidingNames() {
        var lines: [Int] = []
        let errors = diagnostics(Probe { m in
            lines.append(#line); let a = m.input("module", width: 1)
            lines.append(#line); let b = m.input("2fast", width: 1)
            lines.append(#line); let c = m.input("x", width: 1)
            lines.append(#line); let d = m.input("x", width: 1)
            lines.append(#line); let e = m.input("delete", width: 1)
            m.output("y", width: 1).drive(a ^ b ^ c ^ d ^ e)
        })
        #expect(errors == [
            "\(file):\(lines[0]): error: port name 'module' is a reserved word in Verilog",
            "\(file):\(lines[1]): error: port name '2fast' must start with a letter or '_'",
            "\(file):\(lines[3]): error: name 'x' is already used in module 'probe' (declared at \(file):\(lines[2]))",
            "\(file):\(lines[4]): error: port name 'delete' is a C++ reserved word, which Verilator's C++ model cannot use",
        ])
    }

    @Test func nameCollidingWithTheImplicitClock() {
        var line = 0
        let errors = diagnostics(Probe { m in
            line = #line; let clk = m.input("clk", width: 1)
            let r = m.register("r", width: 1, reset: 0)
            r.drive(clk)
            m.output("y", width: 1).drive(r)
        })
        #expect(errors == ["\(file):\(line): error: name 'clk' is already used in module 'probe' (declared by Loom for the clock domain)"])
    }

    @Test func registerAndMemoryWithoutClockDomain() {
        var lines: [Int] = []
        let errors = diagnostics(Probe(name: "comb", isCombinational: true) { m in
            let a = m.input("a", width: 2)
            lines.append(#line); let r = m.register("r", width: 2, reset: 0)
            lines.append(#line); let mem = m.memory("lut", depth: 4, width: 2)
            r.drive(a)
            m.output("y", width: 2).drive(r ^ mem.readAsync(a))
        })
        #expect(errors == [
            "\(file):\(lines[0]): error: register 'r' has no clock domain: module 'comb' is combinational",
            "\(file):\(lines[1]): error: memory 'lut' has no clock domain: module 'comb' is combinational",
        ])
    }

    @Test func registerWithoutReset() {
        var line = 0
        let errors = diagnostics(Probe { m in
            line = #line; let r = m.registerWithoutReset("r", width: 2)
            r.drive(r &+ 1)
            m.output("y", width: 2).drive(r)
        })
        #expect(errors == ["\(file):\(line): error: register 'r' has no reset value"])
    }

    @Test func sliceTruncationAndMemoryAddressErrors() {
        var lines: [Int] = []
        let errors = diagnostics(Probe { m in
            let a = m.input("a", width: 8)
            let mem = m.memory("lut", depth: 16, width: 8)
            lines.append(#line); let s = a[9, 2]
            lines.append(#line); let t = a.truncated(to: 12)
            lines.append(#line); let r = mem.read(a)
            m.output("y", width: 8).drive(r ^ t)
            m.output("z", width: 8).drive(s)
        })
        #expect(errors == [
            "\(file):\(lines[0]): error: slice [9:2] is out of range for a 8-bit value",
            "\(file):\(lines[1]): error: cannot truncate a 8-bit value to 12 bits",
            "\(file):\(lines[2]): error: width mismatch: memory 'lut' has 16 words and needs a 4-bit address, got 8 bits",
        ])
    }

    @Test func drivingAnInputIsRejected() {
        var line = 0
        let errors = diagnostics(Probe { m in
            let a = m.input("a", width: 1)
            line = #line; a.drive(1)
            m.output("y", width: 1).drive(a)
        })
        #expect(errors == ["\(file):\(line): error: cannot drive 'a': it is an input port"])
    }

    @Test func unhandledStateIsReported() {
        enum Light: CaseIterable { case red, green, amber }
        var line = 0
        let errors = diagnostics(Probe { m in
            let go = m.input("go", width: 1)
            let fsm = m.stateMachine("light", Light.self, reset: .red)
            line = #line; fsm.switch { s in
                s.case(.red) { m.when(go) { fsm.goto(.green) } }
                s.case(.green) { fsm.goto(.red) }
            }
            m.output("y", width: 1).drive(fsm.is(.amber))
        })
        #expect(errors == ["\(file):\(line): error: state machine 'light' does not handle amber; add those cases or a default"])
    }

    @Test func severalErrorsAreAllReported() {
        let errors = diagnostics(Probe { m in
            let a = m.input("a", width: 8)
            m.output("y", width: 4).drive(a)
            _ = m.output("z", width: 1)
            _ = m.wire("reg", width: 1)
        })
        #expect(errors.count == 4)
        #expect(errors.contains { $0.contains("width mismatch: 'y' is 4 bits but is driven with 8 bits") })
        #expect(errors.contains { $0.contains("output 'z' has no driver") })
        #expect(errors.contains { $0.contains("wire name 'reg' is a reserved word") })
        #expect(errors.contains { $0.contains("wire 'reg' has no driver") })
        // A rejected drive does not cascade into a second "no driver" error.
        #expect(!errors.contains { $0.contains("'y' has no driver") })
    }
}

/// Operators cannot capture a line; their errors take the line of the statement using them.
@Suite struct OperatorDiagnosticsTests {
    let file = "LoomTests/DiagnosticsTests.swift"

    @Test func precedenceSlipIsCaughtAtTheUsingLine() {
        var line = 0
        let errors = diagnostics(Probe { m in
            let flag = m.input("flag", width: 1)
            let a = m.input("a", width: 6)
            let b = m.input("b", width: 6)
            // Meant flag | (a == b); Swift reads (flag | a) == b.
            line = #line; m.output("y", width: 1).drive(flag | a == b)
        })
        #expect(errors == ["\(file):\(line): error: operator '|' mixes a 1-bit and a 6-bit value; extend one explicitly (in Swift, '|', '&' and '^' bind tighter than '==': parenthesize comparisons)"])
    }

    @Test func constantsAdaptToTheOtherOperand() {
        let errors = diagnostics(Probe { m in
            let a = m.input("a", width: 6)
            m.output("y", width: 6).drive(a | 3)
            m.output("z", width: 1).drive(a == 60)
        })
        #expect(errors.isEmpty)
    }

    /// A module whose parameters are declared with their ranges.
    struct Sized: Module {
        var depth: Int
        var lanes: Int
        var name: String { "sized" }
        var parameters: [Parameter] { [Parameter("DEPTH", depth, powerOfTwoIn: 2...(1 << 20)), Parameter("LANES", lanes, in: 1...8, because: "lane is 3 bits")] }
        static let parametersLine = #line - 1
        func body(_ m: ModuleBuilder) {
            m.output("y", width: lanes).drive(0)
        }
    }

    @Test func parametersOutOfRangeAreReportedWhereTheyAreDeclaredAndBuildNothing() {
        let s = Sized(depth: 48, lanes: 0)
        // With LANES 0 the body would also fail on a 0-bit output; it is not built.
        let line = Sized.parametersLine
        #expect(diagnostics(s) == ["\(file):\(line): error: sized: DEPTH must be a power of two between 2 and 2^20, got 48",
                                   "\(file):\(line): error: sized: LANES must be between 1 and 8 (lane is 3 bits), got 0"])
        #expect(diagnostics(Sized(depth: 64, lanes: 8)).isEmpty)
    }

}
