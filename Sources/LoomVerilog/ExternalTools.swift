import Foundation
import Loom

/// Runs the external Verilog tools (Verilator lint, Icarus, Yosys) over emitted files.
public enum ExternalTools {
    public struct Result {
        public let status: Int32
        public let output: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `tool` with `arguments` found on the PATH; output is stdout and stderr together.
    /// `environment` adds to (or overrides) this process's environment.
    public static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Writes every module of `design` into `directory` and returns the file paths.
    @discardableResult
    /// Writes the design's Verilog into `directory`: one file per module, or with `singleFile`
    /// every module in `<top>.v`, so that file alone compiles (`verilator --lint-only x.v`).
    public static func write(_ design: Design, to directory: URL, singleFile: Bool = false) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = singleFile ? [("\(design.topModule.name).v", VerilogEmitter.emitSingleText(design))] : VerilogEmitter.emit(design)
        return try files.map { file in
            let url = directory.appendingPathComponent(file.0)
            try file.1.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
    }

    /// `verilator --lint-only -Wall` on the design's files.
    public static func lint(top: String, files: [String]) throws -> Result {
        try run("verilator", ["--lint-only", "-Wall", "--top-module", top] + files)
    }

    /// Icarus Verilog in Verilog-2005 mode.
    public static func icarus(top: String, files: [String], output: String) throws -> Result {
        try run("iverilog", ["-g2005", "-Wall", "-s", top, "-o", output] + files)
    }

    /// Yosys generic synthesis; fails on any warning.
    /// Yosys on the design: `synth` (its warnings count), or with `structureOnly` just
    /// `prep` and `check -assert`, for a top whose modules are each synthesized on their own
    /// (the adapter: `synth` of the whole would take minutes and check nothing more).
    public static func yosys(top: String, files: [String], structureOnly: Bool = false) throws -> Result {
        let reads = files.map { "read_verilog \($0);" }.joined(separator: " ")
        return try run("yosys", ["-q", "-p", "\(reads) \(structureOnly ? "prep -top \(top); check -assert" : "synth -top \(top)")"])
    }
}
