import Adapter
import Foundation
import Loom
import LoomCosim
import LoomSim
import LoomVerilog
import Testing

/// SPEC section 0, for every block: outputs after reset, and which outputs may follow inputs.
@Suite struct ConventionTests {
    static let blocks: [(String, () throws -> Design)] = [
        ("mkey_translator", { try elaborate(MKeyTranslator()) }),
        ("sg_walker", { try elaborate(SGWalker()) }),
        ("completion_engine", { try elaborate(CompletionEngine()) }),
        // As the adapter top builds it (SPEC 4.3): with the ACK timer.
        ("completion_engine", { try elaborate(CompletionEngine(ackTimeout: 65536)) }),
        ("dc_initiator", { try elaborate(DCInitiator()) }),
        ("exec_unit", { try elaborate(ExecUnit()) }),
        ("adapter", { try elaborate(Adapter()) }),
    ]
    /// The blocks whose default configuration is a file in rtl/.
    static let rtlFiles = ["mkey_translator", "sg_walker", "completion_engine", "dc_initiator", "exec_unit", "adapter"]

    @Test(arguments: 0..<7)
    func outputStreamsAndLevelsComeFromRegisters(which: Int) throws {
        // "An output stream's valid and payload come from registers: they depend
        // combinationally on no input of the block. A ready may depend on any input."
        let (name, make) = Self.blocks[which]
        let top = try make().topModule
        for p in top.ports where top.signals[p].kind == .output && !top.signals[p].name.hasSuffix("_ready") {
            let port = top.signals[p].name
            #expect(top.combinationalPaths[port, default: []].isEmpty, "\(name).\(port) follows \(top.combinationalPaths[port]!.sorted())")
        }
        // The analysis does see paths where they exist: each block's readiness follows the
        // consumer's ready of its output stream, except the walker's, whose ready cut between
        // visit generator and coalescer leaves `sge_ready` on registers.
        let readyPaths = top.ports.map { top.signals[$0].name }.filter { $0.hasSuffix("_ready") }.flatMap { top.combinationalPaths[$0, default: []] }
        if name == "sg_walker" {
            #expect(readyPaths.isEmpty, "\(name): a ready follows \(readyPaths.sorted())")
        } else {
            #expect(!readyPaths.isEmpty, "\(name): no ready follows any input")
        }
    }

    @Test(arguments: 0..<7)
    func validsAndLevelsAreZeroFromResetUntilABeatIsAccepted(which: Int) throws {
        // "From that edge until rst falls, and afterwards until an input beat is accepted,
        // every output *_valid and every level output is 0" — with random payloads offered
        // and every input valid held low.
        let (name, make) = Self.blocks[which]
        let sim = Simulator(try make())
        var rng = SeededRandom(seed: UInt64(which + 1))
        let checked = sim.outputNames.filter { $0.hasSuffix("_valid") || $0 == "qp_error" || $0 == "qp_busy" || $0 == "qp_active" }
        #expect(!checked.isEmpty)
        for cycle in 0..<40 {
            // Reset for three cycles, then released; every other input random but the valids.
            for (k, input) in sim.inputNames.enumerated() {
                let value = input == "rst" ? (cycle < 3 ? 1 : 0) : input.hasSuffix("_valid") ? 0 : UInt64.random(in: 0...UInt64.max, using: &rng)
                sim.poke(input: k, value)
            }
            if cycle >= 1 {
                for output in checked { #expect(sim.peek(output) == 0, "\(name).\(output) at cycle \(cycle)") }
            }
            sim.step()
        }
    }

    @Test(arguments: rtlFiles)
    func eachBlockFileInRtlStandsAlone(name: String) throws {
        // Benches outside the project compile `rtl/<block>.v` by itself: no module of a block
        // may live in another file, and the file alone must lint clean and compile.
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../rtl/\(name).v").standardized.path
        let lint = try ExternalTools.run("verilator", ["--lint-only", "-Wall", file])
        #expect(lint.succeeded && lint.output.isEmpty, "\(lint.output)")
        let icarus = try ExternalTools.run("iverilog", ["-g2005", "-Wall", "-s", name, "-o", "/dev/null", file])
        #expect(icarus.succeeded && icarus.output.isEmpty, "\(icarus.output)")
    }

    @Test func theTimerConfigurationLintsClean() throws {
        // rtl/ holds the default (no timer); the adapter builds the engine with ACK_TIMEOUT.
        let design = try Self.blocks[3].1()
        let name = design.topModule.name
        #expect(name == "completion_engine_ack_timeout")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-timer-lint-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).v")
        let text = try #require(VerilogEmitter.emit(design).first { $0.0 == "\(name).v" }).1
        try text.write(to: file, atomically: true, encoding: .utf8)
        let lint = try ExternalTools.run("verilator", ["--lint-only", "-Wall", file.path])
        #expect(lint.succeeded && lint.output.isEmpty, "\(lint.output)")
        #expect(text.contains("ack_epoch"))
    }
}
