import ArgumentParser
import Foundation
import LoomVerilog

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Emit designs and check them with verilator --lint-only -Wall, Icarus and Yosys.",
        discussion: "Exits non-zero when any tool reports anything.")

    @Argument(help: "Designs to check (default: all).")
    var designs: [DesignArgument] = []

    @Flag(help: "Also run Icarus Verilog and Yosys synthesis.")
    var allTools = false

    func run() throws {
        let names = designs.isEmpty ? LoomCommand.project.designNames : designs.map(\.name)
        var failures = 0
        for name in names {
            let design = try elaborateOrExplain(name)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-lint-\(name)")
            try? FileManager.default.removeItem(at: dir)
            let builtFromDesigns = LoomCommand.project.design(named: name)!.builtFromDesigns
            let files = try ExternalTools.write(design, to: dir, singleFile: builtFromDesigns)
            let top = design.topModule.name
            var results = [("verilator", try ExternalTools.lint(top: top, files: files))]
            if allTools {
                results.append(("iverilog", try ExternalTools.icarus(top: top, files: files, output: dir.appendingPathComponent("a.vvp").path)))
                results.append(("yosys", try ExternalTools.yosys(top: top, files: files, structureOnly: builtFromDesigns)))
            }
            for (tool, r) in results {
                let clean = r.succeeded && (tool == "yosys" ? !r.output.lowercased().contains("warning") : r.output.isEmpty)
                print("\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(tool.padding(toLength: 10, withPad: " ", startingAt: 0)) \(clean ? "clean" : "FAILED")")
                if !clean {
                    failures += 1
                    print(r.output.split(separator: "\n").prefix(20).joined(separator: "\n"))
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
