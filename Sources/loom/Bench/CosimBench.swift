import ArgumentParser
import Examples
import Dispatch
import Foundation
import Loom
import LoomCLI
import LoomCosim
import LoomVerilog

/// `loom bench cosim`: the Swift lockstep runner against the hand-written C++ test bench on
/// the same design, stimulus and per-cycle check, in one run.
struct CosimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosim",
        abstract: "Swift lockstep vs hand-written C++ Verilator bench (mac_pipeline); then each adapter block's co-simulation speed, part by part.")

    @Option(help: "Cycles per measurement.") var cycles = 10_000_000
    @Option(help: "Seed for both sides.") var seed: UInt64 = 1
    @Option(help: "Path of the C++ bench source.") var harness = "sim/mac_bench.cpp"
    @Option(help: "Measurements per side (the best is reported).") var repeats = 3
    @Option(parsing: .upToNextOption, help: "Adapter blocks to measure part by part (none: skip the table).") var blocks = Catalog.blocks
    @Option(help: "Cycles of each adapter block's recorded trace.") var blockCycles = 200_000

    func validate() throws {
        if cycles < 1000 { throw ValidationError("--cycles must be at least 1000") }
        if !FileManager.default.fileExists(atPath: harness) { throw ValidationError("no C++ bench at \(harness); run from the repository root") }
        if blockCycles < 1000 { throw ValidationError("--block-cycles must be at least 1000") }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        for b in blocks where !Catalog.blocks.contains(b) {
            throw ValidationError("unknown adapter block '\(b)'; the blocks are \(Catalog.blocks.joined(separator: ", "))")
        }
    }

    func run() throws {
        let design = try elaborate(MacPipeline())
        let compiler = ModelCompiler(log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
        let exe = try compiler.executable(main: harness, for: design)

        var cppBest = 0.0
        for _ in 0..<repeats {
            let r = try ExternalTools.run(exe, [String(seed), String(cycles)])
            let parts = r.output.split(separator: " ")
            guard r.succeeded, parts.count == 3, let s = Double(parts[1]) else { throw ValidationError("C++ bench failed: \(r.output)") }
            cppBest = max(cppBest, Double(cycles) / s)
        }

        var swiftBest = 0.0
        let runner = LockstepRunner(cycleLimit: cycles + 1)
        for _ in 0..<repeats {
            let result = try runner.run(test: "mac_pipeline", seed: seed, reproduce: "loom bench cosim --seed \(seed)") {
                let rtl = try VerilatedModel(design, seed: seed, compiler: compiler)
                guard rtl.layout.inputs.map(\.name) == ["rst", "in_valid", "a", "b", "clear"],
                      rtl.layout.outputs.map(\.name) == ["out_valid", "acc", "count"] else {
                    throw ValidationError("mac_pipeline's ports changed; update MacPipelineModel")
                }
                return .init(rtl: rtl, model: MacPipelineModel(), stimulus: MacPipelineStimulus(seed: seed, cycles: cycles))
            }
            guard result.passed else { throw ValidationError(result.report) }
            swiftBest = max(swiftBest, result.cyclesPerSecond)
        }
        print("co-simulation benchmark (mac_pipeline, \(cycles) cycles, per-cycle model check, best of \(repeats)):")
        print(String(format: "  hand-written C++ Verilator bench: %6.2f M cycles/s", cppBest / 1e6))
        print(String(format: "  Swift lockstep runner (C shim):   %6.2f M cycles/s", swiftBest / 1e6))
        print(String(format: "  ratio Swift / C++: %.2f (goal >= 0.8)", swiftBest / cppBest))
        // Starting an unchanged design: elaborate, emit, hash, find the cached library, load it.
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try VerilatedModel(try elaborate(MacPipeline()), seed: seed, compiler: compiler)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        print(String(format: "  start of an unchanged design (cached library): %.0f ms (goal: well under a second)", milliseconds))
        if !blocks.isEmpty {
            // Each block's lockstep test of the same name (its default traffic mix).
            let rows = try blocks.map { try TestSpeedBench.measure(LoomCommand.project.test(named: $0)!, seed: seed, targetCycles: blockCycles, repeats: repeats) }
            TestSpeedBench.print(rows, repeats: repeats)
        }
    }
}
