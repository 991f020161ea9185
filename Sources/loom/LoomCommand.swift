import ArgumentParser

/// `loom`: emit, lint, simulate and regress Loom designs.
@main
struct LoomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loom",
        abstract: "Loom: Swift hardware construction, Verilog emission and co-simulation.",
        subcommands: [ListCommand.self, EmitCommand.self, LintCommand.self, SimCommand.self, RegressCommand.self, MutateCommand.self, BenchCommand.self, SynthCommand.self])
}
