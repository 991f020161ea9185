import ArgumentParser
import Dispatch
import Examples
import Loom
import LoomVerilog

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print benchmark figures (build with -c release for meaningful numbers).",
        subcommands: [ElaborationBench.self, CosimBench.self, AdapterBench.self])
}

struct ElaborationBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "elaborate", abstract: "Time elaboration and emission of a large generated design.")

    @Option(help: "Parallel lanes (registers per stage).") var lanes = 1000
    @Option(help: "Pipeline stages.") var stages = 10
    @Option(help: "Operators per stage and lane.") var ops = 10

    func validate() throws {
        guard lanes >= 1, stages >= 1, ops >= 1 else { throw ValidationError("lanes, stages and ops must be at least 1") }
    }

    func run() throws {
        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var design: Design?
        let elaboration = try seconds { design = try elaborate(GeneratedMesh(lanes: lanes, stages: stages, opsPerStage: ops)) }
        var text = ""
        let emission = seconds { text = VerilogEmitter.emitSingleText(design!) }
        let top = design!.topModule
        let registers = top.signals.filter(\.isRegister).count
        let operators = top.nodes.filter { if case .constant = $0.op { return false }; if case .signal = $0.op { return false }; return true }.count
        print("elaboration benchmark: \(registers) registers, \(operators) operator nodes, \(text.utf8.count / 1024) KiB of Verilog")
        print(String(format: "  elaborate %.3f s, emit %.3f s, total %.3f s (goal < 1 s)", elaboration, emission, elaboration + emission))
    }
}
