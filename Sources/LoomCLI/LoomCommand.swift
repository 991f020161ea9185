import ArgumentParser
import Loom

/// The Loom command line over a project's designs and tests: list, emit, lint, sim, regress,
/// bench and synth, with the project's own commands beside them. `loom` is this command
/// over the adapter and the examples; your executable is this command over your designs:
///
/// ```swift
/// // Sources/mychip/main.swift
/// import LoomCLI
/// LoomCommand.main(designs: [ProjectDesign("blinker") { try elaborate(Blinker()) }], tests: [blinkerTest])
/// ```
public struct LoomCommand: ParsableCommand {
    /// The project the subcommands work on; `main(_:)` sets it before it parses the arguments.
    nonisolated(unsafe) public static var project = LoomProject(name: "loom", designs: [])

    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: project.name,
            abstract: project.abstract,
            subcommands: [ListCommand.self, EmitCommand.self, LintCommand.self, SimCommand.self, RegressCommand.self]
                + project.commands + [BenchCommand.self, SynthCommand.self])
    }

    public init() {}

    /// Parses the process's arguments and runs the subcommand over `project`; exits when done.
    public static func main(_ project: LoomProject) -> Never {
        self.project = project
        main()
        exit(withError: nil)
    }

    /// The same, for a project that is only designs and tests.
    public static func main(name: String = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "loom") } ?? "loom",
                            designs: [ProjectDesign], tests: [LockstepTest] = []) -> Never {
        main(LoomProject(name: name, designs: designs, tests: tests))
    }
}

/// `bench`: the project's test speeds, and the project's own benchmarks.
struct BenchCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "bench",
            abstract: "Print benchmark figures (build with -c release for meaningful numbers).",
            subcommands: [TestSpeedBench.self] + LoomCommand.project.benchCommands)
    }
}
