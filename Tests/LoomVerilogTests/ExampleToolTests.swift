import Examples
import Foundation
import Loom
import LoomVerilog
import Testing

/// Every example design passes Verilator's strictest lint, Icarus and Yosys, with no warnings.
@Suite struct ExampleToolTests {
    static let names = Examples.names

    func emitted(_ name: String, for tool: String) throws -> (design: Design, files: [String], dir: URL) {
        let design = try #require(try Examples.design(named: name))
        // One directory per design and tool: the tests run in parallel.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-tools-\(name)-\(tool)-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        return (design, try ExternalTools.write(design, to: dir), dir)
    }

    @Test(arguments: names) func verilatorLintIsClean(name: String) throws {
        let e = try emitted(name, for: "verilator")
        let r = try ExternalTools.lint(top: name, files: e.files)
        #expect(r.succeeded && r.output.isEmpty, "\(r.output)")
    }

    @Test(arguments: names) func icarusCompilesWithoutWarnings(name: String) throws {
        let e = try emitted(name, for: "icarus")
        let r = try ExternalTools.icarus(top: name, files: e.files, output: e.dir.appendingPathComponent("a.vvp").path)
        #expect(r.succeeded && r.output.isEmpty, "\(r.output)")
    }

    @Test(arguments: names) func yosysSynthesizesWithoutWarnings(name: String) throws {
        let e = try emitted(name, for: "yosys")
        let r = try ExternalTools.yosys(top: name, files: e.files)
        #expect(r.succeeded, "\(r.output)")
        #expect(!r.output.lowercased().contains("warning"), "\(r.output)")
    }

    @Test(arguments: names) func emissionIsDeterministic(name: String) throws {
        let a = VerilogEmitter.emitSingleText(try #require(try Examples.design(named: name)))
        let b = VerilogEmitter.emitSingleText(try #require(try Examples.design(named: name)))
        #expect(a == b)
    }
}
