import ArgumentParser
import Dispatch
import Foundation
import LoomCosim
import LoomVerilog
import Loom
import LoomCLI

/// What became of one mutant.
struct MutantOutcome {
    let mutation: Mutation
    /// The test that failed first ("sg_walker_pressure seed 2", or a directed test), the
    /// cycle it failed at (lockstep tests), and its message; nil while the mutant survives.
    var killedBy: String?
    var cycle: Int?
    var message = ""
    var diff = ""
    var seconds = 0.0
    var killed: Bool { killedBy != nil }

    var line: String {
        if let killedBy {
            return "killed   \(mutation) — by \(killedBy)\(cycle.map { " at cycle \($0)" } ?? "")"
        }
        return "SURVIVED \(mutation)"
    }
}

/// Runs mutants through a block's regression, `jobs` at a time.
struct MutationCampaign {
    let block: String
    let top: String
    let original: String
    let root: URL
    let seeds: [UInt64]
    /// The directed suites of each block (run with `--directed`): the mutated block's, and a
    /// child block's when the mutant changes a block inside another (the adapter's).
    let directedSuites: [String: [String]]
    /// The design the mutants were made from, to write a mutated child block's original.
    let design: Design

    /// What the workers share, behind one lock.
    final class Progress: @unchecked Sendable {
        let lock = NSLock()
        var outcomes: [MutantOutcome?]
        var firstError: Error?
        var done = 0
        init(_ count: Int) { outcomes = Array(repeating: nil, count: count) }
    }

    func run(_ mutants: [(Mutation, Design)], jobs: Int) throws -> [MutantOutcome] {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let progress = Progress(mutants.count)
        let queue = DispatchQueue(label: "loom.mutate", attributes: .concurrent)
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()
        for (k, (mutation, design)) in mutants.enumerated() {
            slots.wait()
            group.enter()
            queue.async {
                defer { slots.signal(); group.leave() }
                let outcome = Result { try self.run(mutation, design, index: k) }
                progress.lock.lock()
                defer { progress.lock.unlock() }
                switch outcome {
                case let .success(o): progress.outcomes[k] = o
                case let .failure(e): if progress.firstError == nil { progress.firstError = e }
                }
                progress.done += 1
                let killed = progress.outcomes.compactMap { $0 }.filter(\.killed).count
                Regression.terminalProgress("mutate \(block): \(progress.done) of \(mutants.count) mutants run, \(killed) killed")
            }
        }
        group.wait()
        if let error = progress.firstError { throw error }
        return progress.outcomes.map { $0! }
    }

    /// One mutant: its Verilog in a directory of its own, then the lockstep tests of the
    /// block at every seed, then (if asked) the directed tests, until one fails.
    func run(_ mutation: Mutation, _ design: Design, index: Int) throws -> MutantOutcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let dir = root.appendingPathComponent("mutant-\(index + 1)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = VerilogEmitter.emitSingleText(design)
        try text.write(to: dir.appendingPathComponent("\(top).v"), atomically: true, encoding: .utf8)
        // Only the block as the regression builds it is replaced; other configurations keep theirs.
        try original.write(to: dir.appendingPathComponent(ExternalRTL.replacesFile(for: top)), atomically: true, encoding: .utf8)
        var outcome = MutantOutcome(mutation: mutation)
        outcome.diff = diff(dir)
        // A change inside a module the design instantiates also meets the tests of that module
        // (a block's own): the mutated module, alone in its file, replaces it wherever a test
        // builds it alike.
        var designs = [top]
        if mutation.moduleName != top {
            let child = mutation.moduleName
            try VerilogEmitter.emitSingleText(design.submodule(mutation.module)).write(to: dir.appendingPathComponent("\(child).v"), atomically: true, encoding: .utf8)
            try VerilogEmitter.emitSingleText(self.design.submodule(mutation.module))
                .write(to: dir.appendingPathComponent(ExternalRTL.replacesFile(for: child)), atomically: true, encoding: .utf8)
            designs.append(child)
        }

        let compiler = LockstepTest.compiler(rtl: dir)
        let targets = LoomCommand.project.tests.filter { designs.contains($0.design) }
        search: for target in targets {
            for seed in seeds {
                let r: RunResult
                do {
                    r = try target.run(seed: seed, compiler: compiler)
                } catch {
                    // A mutant Verilator cannot build still counts as found, but say so.
                    (outcome.killedBy, outcome.message) = ("building the model", "\(error)")
                    break search
                }
                if !r.passed {
                    (outcome.killedBy, outcome.cycle, outcome.message) = ("\(target.name) seed \(seed)", r.cycles, r.message)
                    break search
                }
            }
        }
        let suites = designs.flatMap { directedSuites[$0] ?? [] }
        if !outcome.killed && !suites.isEmpty, let failed = try directedFailure(dir, suites: suites) {
            (outcome.killedBy, outcome.message) = (failed, "directed test failed")
        }
        outcome.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return outcome
    }

    /// `diff -u` of the original and the mutant's Verilog.
    func diff(_ dir: URL) -> String {
        let originalPath = dir.appendingPathComponent(ExternalRTL.replacesFile(for: top)).path
        let r = try? ExternalTools.run("diff", ["-u", "--label", "\(top).v (original)", "--label", "\(top).v (mutant)", originalPath, dir.appendingPathComponent("\(top).v").path])
        return r?.output ?? "(diff unavailable)"
    }

    /// The first directed test that fails on the mutant, if one does.
    func directedFailure(_ dir: URL, suites: [String]) throws -> String? {
        let r = try ExternalTools.run("swift", ["test", "--skip-build", "--filter", suites.joined(separator: "|")], environment: ["LOOM_RTL": dir.path])
        if r.succeeded { return nil }
        let output = r.output
        // swift-testing marks a failing test "✘ Test name() ..."; the first names the killer.
        if let line = output.split(separator: "\n").first(where: { $0.contains("✘ Test ") }),
           let name = line.components(separatedBy: "✘ Test ").last?.components(separatedBy: " ").first {
            return "directed \(name)"
        }
        if output.contains("error: no tests found") || output.contains("--build-tests") {
            throw ValidationError("the directed tests are not built: run `swift build --build-tests` first (or leave out --directed)")
        }
        return "directed tests (exit \(r.status))"
    }
}
