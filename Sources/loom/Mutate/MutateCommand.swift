import ArgumentParser
import Dispatch
import Foundation
import Loom
import LoomCosim
import LoomVerilog
import Adapter
import AdapterVerification
import LoomCLI

/// `loom mutate BLOCK`: how strong the block's regression is. Each mutant is one small
/// change to the block's IR, emitted and run through the block's lockstep tests (and, with
/// `--directed`, its directed tests); it is killed when any of them fails.
struct MutateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutate",
        abstract: "Mutation testing: make small changes to a block and count those its regression catches.",
        discussion: """
        Each mutant runs the block's lockstep random tests at --seeds and stops at the first failure; a survivor
        is printed as a Verilog diff. Example: loom mutate sg_walker --count 20 --seed 1 --jobs 2 --directed
        """)

    @Argument(help: "The adapter block to mutate (\(Catalog.blocks.joined(separator: ", "))).")
    var block: String

    @Option(help: "How many mutants.") var count = 20
    @Option(help: "Seed of the choice of mutants.") var seed: UInt64 = 1
    @Option(help: "Seeds of the lockstep tests run on each mutant.", transform: parseSeeds)
    var seeds: [UInt64] = [1, 2, 3]
    @Option(help: "Mutants run at once.") var jobs = 1
    @Flag(help: "Also run the block's directed tests (swift test --skip-build; build the tests first).") var directed = false
    @Option(help: "Where to write the JUnit XML report.") var junit = ".build/loom-mutate.xml"
    @Option(help: "Where to write the JSON report.") var json = ".build/loom-mutate.json"

    func validate() throws {
        guard Catalog.blocks.contains(block) else {
            throw ValidationError("'\(block)' is not an adapter block; the blocks are \(Catalog.blocks.joined(separator: ", "))")
        }
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if seeds.isEmpty { throw ValidationError("--seeds needs at least one seed") }
    }

    func run() throws {
        let design = try Self.regressionDesign(block)
        let top = design.topModule.name
        let sites = Mutation.sites(in: design)
        let chosen = Mutation.choose(count, from: sites, seed: seed)
        print("mutating \(block): \(sites.count) sites, \(chosen.count) mutants (seed \(seed)), lockstep seeds \(seeds.map(String.init).joined(separator: ","))\(directed ? " and directed tests" : "")")
        let original = VerilogEmitter.emitSingleText(design)
        let root = URL(fileURLWithPath: ".build/loom-mutate/\(block)-\(seed)").standardizedFileURL
        try? FileManager.default.removeItem(at: root)
        let campaign = MutationCampaign(block: block, top: top, original: original, root: root, seeds: seeds,
                                        directedSuites: directed ? Self.directedSuites : [:], design: design)
        let outcomes = try campaign.run(chosen.map { ($0, $0.applied(to: design)) }, jobs: jobs)
        Regression.terminalProgress("")

        for (k, o) in outcomes.enumerated() {
            print(String(format: "  %2d  ", k + 1) + o.line)
        }
        let killed = outcomes.filter(\.killed).count
        print(String(format: "kill rate: %d of %d (%.1f%%)", killed, outcomes.count, 100 * Double(killed) / Double(max(outcomes.count, 1))))
        for (k, o) in outcomes.enumerated() where !o.killed {
            print("\nsurvivor \(k + 1): \(o.mutation)\n\(o.diff)")
        }
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: junit).deletingLastPathComponent(), withIntermediateDirectories: true)
        try MutationReport.junit(outcomes, block: block).write(toFile: junit, atomically: true, encoding: .utf8)
        try MutationReport.json(outcomes, block: block, seed: seed).write(toFile: json, atomically: true, encoding: .utf8)
        print("JUnit report: \(junit); JSON report: \(json)")
    }

    /// The block as its lockstep regression builds it: mutants of that configuration are what
    /// the random tests run (and the directed tests that build the same one).
    static func regressionDesign(_ block: String) throws -> Design {
        if block == "dc_initiator" {
            return try elaborate(DCInitiator(connectTimeout: AdapterTests.dcRandomConnectTimeout))
        }
        return try elaborateOrExplain(block)
    }

    /// The suites of `Tests/AdapterTests` that drive each block with directed stimulus.
    static let directedSuites: [String: [String]] = [
        "mkey_translator": ["MKeyTranslatorDirectedTests"],
        "sg_walker": ["SGWalkerDirectedTests"],
        "completion_engine": ["CompletionEngineDirectedTests", "CompletionEngineLateErrorTests"],
        // The engine inside the adapter (ACK_TIMEOUT 65536): the suites that build it too.
        "completion_engine_ack_timeout": ["CompletionEngineDirectedTests", "CompletionEngineLateErrorTests"],
        "dc_initiator": ["DCInitiatorDirectedTests"],
        "exec_unit": ["ExecUnitDirectedTests"],
        "adapter": ["AdapterEndToEndTests"],
    ]
}
