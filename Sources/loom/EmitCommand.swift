import ArgumentParser
import Foundation
import Loom
import LoomVerilog

struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Write a design's Verilog, one file per module, into a directory.",
        discussion: "Example: loom emit counter --out rtl")

    @Argument(help: "The design to emit (see `loom list`).")
    var designs: [DesignArgument] = []

    @Flag(help: "Emit every design in the catalog.")
    var all = false

    @Option(help: "Output directory (created if missing).")
    var out: String = "rtl"

    func validate() throws {
        if designs.isEmpty && !all { throw ValidationError("name a design or pass --all; designs: \(Catalog.names.joined(separator: ", "))") }
    }

    func run() throws {
        let names = all ? Catalog.names : designs.map(\.name)
        for name in names {
            // With --all, adapter blocks go to the top of the directory (rtl/<block>.v, as
            // SPEC.md fixes) and examples to examples/. A design made of blocks is one file
            // holding them all, so rtl/<name>.v compiles by itself as each block's file does.
            let sub = all && Catalog.isExample(name) ? "/examples" : ""
            let design = try elaborateOrExplain(name)
            let files = try ExternalTools.write(design, to: URL(fileURLWithPath: out + sub), singleFile: Catalog.builtFromBlocks.contains(name))
            print("\(name): \(files.count) file(s) in \(out + sub)")
        }
    }
}

/// Elaborates a catalog design; diagnostics become a clean error message.
func elaborateOrExplain(_ name: String) throws -> Design {
    do {
        guard let design = try Catalog.design(name) else { throw ValidationError("unknown design '\(name)'") }
        return design
    } catch let error as ElaborationError {
        throw CleanExit.message("error: design '\(name)' did not elaborate:\n\(error)")
    }
}
