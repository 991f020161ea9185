import ArgumentParser
import Foundation
import Loom
import LoomVerilog

struct EmitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "emit",
            abstract: "Write a design's Verilog, one file per module, into a directory.",
            discussion: "Example: \(LoomCommand.project.name) emit \(LoomCommand.project.designNames.first ?? "counter") --out rtl")
    }

    @Argument(help: "The design to emit (see `list`).")
    var designs: [DesignArgument] = []

    @Flag(help: "Emit every design of the project.")
    var all = false

    @Option(help: "Output directory (created if missing).")
    var out: String = "rtl"

    func validate() throws {
        if designs.isEmpty && !all { throw ValidationError("name a design or pass --all; designs: \(LoomCommand.project.designNames.joined(separator: ", "))") }
    }

    func run() throws {
        let entries = all ? LoomCommand.project.designs : designs.compactMap { LoomCommand.project.design(named: $0.name) }
        for entry in entries {
            // With --all, each design goes to its own subdirectory (the adapter's blocks to the
            // top, as SPEC.md fixes rtl/<block>.v; the examples to examples/).
            let dir = all && !entry.subdirectory.isEmpty ? "\(out)/\(entry.subdirectory)" : out
            let design = try elaborateOrExplain(entry.name)
            let files = try ExternalTools.write(design, to: URL(fileURLWithPath: dir), singleFile: entry.builtFromDesigns)
            var written = "\(files.count) file(s)"
            if let naming = LoomCommand.project.cores {
                let core = FuseSoCCore(entry, top: design.topModule.name, files: files.map { URL(fileURLWithPath: $0).lastPathComponent }, naming: naming)
                try core.text.write(to: URL(fileURLWithPath: dir).appendingPathComponent("\(entry.name).core"), atomically: true, encoding: .utf8)
                written += " and the FuseSoC core \(core.name)"
            }
            print("\(entry.name): \(written) in \(dir)")
        }
    }
}
