import ArgumentParser
import Loom

/// What a Loom command line works on: your designs, your lockstep tests, and any commands
/// of your own. `LoomCommand.main(_:)` runs the command line over it.
///
/// ```swift
/// LoomCommand.main(LoomProject(
///     name: "mychip",
///     designs: [ProjectDesign("blinker") { try elaborate(Blinker()) }],
///     tests: [LockstepTest("blinker", design: "blinker", defaultLength: 10_000) { seed, cycles, compiler in
///         let rtl = try VerilatedModel(try elaborate(Blinker()), seed: seed, compiler: compiler)
///         return .init(rtl: rtl, model: BlinkerModel(), stimulus: BlinkerStimulus(seed: seed, cycles: cycles))
///     }]))
/// ```
public struct LoomProject {
    /// The command's name in help and usage lines.
    public var name: String
    public var abstract: String
    public var designs: [ProjectDesign]
    public var tests: [LockstepTest]
    /// Subcommands of your own beside list, emit, lint, sim, regress, bench and synth.
    public var commands: [ParsableCommand.Type]
    /// Subcommands of your own under `bench`, beside `bench tests`.
    public var benchCommands: [ParsableCommand.Type]
    /// With a naming, `emit` writes a FuseSoC core (`<design>.core`) beside each design.
    public var cores: FuseSoCCore.Naming?

    public init(name: String, abstract: String = "Emit, lint, simulate, regress and synthesize Loom designs.",
                designs: [ProjectDesign], tests: [LockstepTest] = [],
                commands: [ParsableCommand.Type] = [], benchCommands: [ParsableCommand.Type] = [], cores: FuseSoCCore.Naming? = nil) {
        self.name = name
        self.abstract = abstract
        self.designs = designs
        self.tests = tests
        self.commands = commands
        self.benchCommands = benchCommands
        self.cores = cores
    }

    public var designNames: [String] { designs.map(\.name) }

    public func design(named name: String) -> ProjectDesign? { designs.first { $0.name == name } }

    public func test(named name: String) -> LockstepTest? { tests.first { $0.name == name } }
}

/// A design the command line can emit, lint and synthesize, by the name given on the command line.
public struct ProjectDesign {
    public let name: String
    /// Where `emit --all` puts it, below the output directory ("" for the top).
    public var subdirectory: String
    /// Made of other designs of the project as instances: emitted as one file holding every
    /// module (so that it compiles by itself), and `lint` has Yosys check only its structure
    /// (each part is synthesized when it is linted itself).
    public var builtFromDesigns: Bool
    /// Whether `synth` places it by default.
    public var synthesize: Bool
    /// A short note `list` prints beside the name.
    public var note: String
    public let build: () throws -> Design

    public init(_ name: String, subdirectory: String = "", builtFromDesigns: Bool = false, synthesize: Bool = true,
                note: String = "", build: @escaping () throws -> Design) {
        self.name = name
        self.subdirectory = subdirectory
        self.builtFromDesigns = builtFromDesigns
        self.synthesize = synthesize
        self.note = note
        self.build = build
    }
}
