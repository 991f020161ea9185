import Foundation
import LoomCosim

/// A test `sim` and `regress` run: a design in Verilator against its Swift model, under a
/// stimulus, for a seed and a length.
///
/// The length is what the test counts: cycles for a free-running stimulus, or work items
/// (requests, posts) for a stimulus that ends when its work is done.
public struct LockstepTest {
    public let name: String
    /// The top module the test co-simulates (what `--rtl DIR` looks for in DIR).
    public let design: String
    public let defaultLength: Int
    /// Cycles allowed for a run of a given length (the run fails when it gets there).
    public var cycleLimit: (Int) -> Int
    /// Builds the run's parts. Build the Verilated model with `compiler`: it carries `--rtl`.
    public let make: (_ seed: UInt64, _ length: Int, _ compiler: ModelCompiler) throws -> LockstepRunner.Parts

    public init(_ name: String, design: String, defaultLength: Int, cycleLimit: @escaping (Int) -> Int = { $0 * 4 + 10_000 },
                make: @escaping (_ seed: UInt64, _ length: Int, _ compiler: ModelCompiler) throws -> LockstepRunner.Parts) {
        self.name = name
        self.design = design
        self.defaultLength = defaultLength
        self.cycleLimit = cycleLimit
        self.make = make
    }

    /// The compiler every test of a run uses; with `rtl`, designs found there are built from
    /// that Verilog (see `ExternalRTL`).
    public static func compiler(rtl: URL? = nil) -> ModelCompiler {
        var compiler = ModelCompiler(log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
        compiler.externalRTL = rtl
        return compiler
    }

    /// Runs the test at one seed in lockstep; `commandName` goes into the line that reproduces a failure.
    public func run(seed: UInt64, length: Int? = nil, compiler: ModelCompiler = LockstepTest.compiler(), wave: String? = nil,
                    commandName: String = LoomCommand.project.name) throws -> RunResult {
        let n = length ?? defaultLength
        var runner = LockstepRunner(cycleLimit: cycleLimit(n))
        runner.onProgress = { Regression.terminalProgress("\(name) seed \(seed): \($0 / 1_000_000)M of \(n)") }
        let reproduce = "\(commandName) sim \(name) --seed \(seed) --cycles \(n)"
        return try runner.run(test: name, seed: seed, reproduce: reproduce) {
            let parts = try make(seed, n, compiler)
            if let wave { try parts.rtl.startTrace(wave) }
            return parts
        }
    }
}
