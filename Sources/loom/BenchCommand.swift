import ArgumentParser
import Dispatch
import Foundation
import Examples
import Loom
import LoomVerilog

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print benchmark figures (build with -c release for meaningful numbers).",
        subcommands: [ElaborationBench.self, CosimBench.self, AdapterBench.self])
}
