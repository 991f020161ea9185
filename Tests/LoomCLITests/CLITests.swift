import Foundation
import LoomVerilog
import Testing

/// The `loom` command line: useful help, clear errors with a non-zero exit on bad input.
@Suite struct CLITests {
    /// The `loom` binary built beside this test bundle.
    static var loom: URL {
        var dir = Bundle.main.bundleURL
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("loom")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/loom")
    }

    func run(_ arguments: [String]) throws -> ExternalTools.Result { try ExternalTools.run(Self.loom.path, arguments) }

    @Test func helpListsTheCommands() throws {
        let r = try run(["--help"])
        #expect(r.status == 0)
        for command in ["emit", "lint", "sim", "regress", "bench", "synth", "list"] { #expect(r.output.contains(command)) }
    }

    @Test func unknownDesignIsAClearError() throws {
        let r = try run(["emit", "no_such_design"])
        #expect(r.status == 64)
        #expect(r.output.contains("Error: The value 'no_such_design' is invalid for '<designs>'"))
        #expect(r.output.contains("mkey_translator"))
    }

    @Test func badSeedAndCycleCountAreClearErrors() throws {
        let seed = try run(["sim", "counter", "--seed", "-3"])
        #expect(seed.status == 64)
        #expect(seed.output.contains("--seed"))
        let cycles = try run(["sim", "counter", "--cycles", "0"])
        #expect(cycles.status == 64)
        #expect(cycles.output.contains("Error: --cycles must be at least 1, got 0"))
        let seeds = try run(["regress", "--seeds", "1,x"])
        #expect(seeds.status == 64)
        #expect(seeds.output.contains("bad seed 'x': seeds are unsigned 64-bit integers"))
    }

    @Test func emitWritesOneFilePerModule() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-cli-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        let r = try run(["emit", "buffered_stream", "--out", dir.path])
        #expect(r.status == 0, "\(r.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        // The queue is built in place; the skid buffer is a child module with its own file.
        // The FuseSoC core lists both files and names the top level.
        #expect(files == ["buffered_stream.core", "buffered_stream.v", "skid_buffer_w10.v"])
        let core = try String(contentsOf: dir.appendingPathComponent("buffered_stream.core"), encoding: .utf8)
        #expect(core.hasPrefix("CAPI=2:\n"))
        #expect(core.contains("name: loom:examples:buffered_stream:1.0.0\n"))
        #expect(core.contains("    files:\n      - skid_buffer_w10.v\n      - buffered_stream.v\n    file_type: verilogSource\n"))  // children first
        #expect(core.contains("    toplevel: buffered_stream\n"))
    }

    /// A seed names one run: two processes (each with its own hash seed, so a stimulus that
    /// followed a dictionary's order would drift) take the same cycles and hit the same bins.
    @Test func aSeedReplaysTheSameRunInAnotherProcess() throws {
        func summary() throws -> String {
            let r = try run(["sim", "adapter", "--seed", "5", "--cycles", "400"])
            #expect(r.status == 0, "\(r.output)")
            // The row without its cycles/s column: test, seed, cycles, outcome, coverage.
            let row = r.output.split(separator: "\n").first { $0.hasPrefix("adapter ") } ?? ""
            let fields = row.split(separator: " ")
            return fields.enumerated().filter { $0.offset != 3 }.map { String($0.element) }.joined(separator: " ")
        }
        let first = try summary()
        #expect(first.hasPrefix("adapter 5 "))
        #expect(try summary() == first)
    }

    /// `--rtl`: Verilog from elsewhere is checked by the same models; its ports are checked
    /// first and a difference is named.
    @Test func rtlFromADirectoryIsCheckedLikeLoomsOwn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-rtl-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let original = try String(contentsOfFile: "rtl/sg_walker.v", encoding: .utf8)
        try original.write(to: dir.appendingPathComponent("sg_walker.v"), atomically: true, encoding: .utf8)
        let same = try run(["regress", "--rtl", dir.path, "--seeds", "1"])
        #expect(same.status == 0, "\(same.output)")
        // Only the tests of the designs the directory implements run.
        #expect(same.output.contains("total: 3 tests"), "\(same.output)")

        let narrower = original.replacingOccurrences(of: "input  wire [7:0] sge_id,", with: "input  wire [6:0] sge_id,")
        #expect(narrower != original)
        try narrower.write(to: dir.appendingPathComponent("sg_walker.v"), atomically: true, encoding: .utf8)
        let mismatch = try run(["sim", "sg_walker", "--rtl", dir.path])
        #expect(mismatch.status != 0)
        #expect(mismatch.output.contains("ports do not match: module 'sg_walker' in sg_walker.v: 'sge_id' is 7 bits, the design's is 8"), "\(mismatch.output)")

        let missing = try run(["sim", "mkey_translator", "--rtl", dir.path])
        #expect(missing.status != 0)
        #expect(missing.output.contains("has no mkey_translator.v, mkey_translator.sv or mkey_translator.f for design 'mkey_translator'"), "\(missing.output)")
        let notADirectory = try run(["sim", "sg_walker", "--rtl", dir.appendingPathComponent("sg_walker.v").path])
        #expect(notADirectory.status == 64)
        #expect(notADirectory.output.contains("is not a directory"))
    }

    /// `--shard K/N` slices are disjoint and together are the whole matrix; a bad spec is a
    /// clear error; `--merge` sums shard reports.
    @Test func shardsPartitionTheMatrixAndReportsMerge() throws {
        func tests(_ extra: [String]) throws -> [String] {
            let r = try run(["regress", "--list", "--seeds", "1,2,3"] + extra)
            #expect(r.status == 0, "\(r.output)")
            return r.output.split(separator: "\n").map(String.init)
        }
        let all = try tests([])
        let first = try tests(["--shard", "1/2"]), second = try tests(["--shard", "2/2"])
        #expect(all.count > 40)
        #expect(Set(first).isDisjoint(with: second))
        #expect((first + second).sorted() == all.sorted())
        #expect(abs(first.count - second.count) <= 1)

        for bad in ["0/2", "3/2", "2", "a/b", "1/0"] {
            let r = try run(["regress", "--shard", bad])
            #expect(r.status == 64)
            #expect(r.output.contains("bad shard '\(bad)': write K/N with 1 <= K <= N, e.g. --shard 2/4"), "\(r.output)")
        }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-shards-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for k in 1...2 {
            let r = try run(["regress", "--filter", "counter", "--seeds", "1,2,3", "--shard", "\(k)/2", "--junit", dir.appendingPathComponent("s\(k).xml").path])
            #expect(r.status == 0, "\(r.output)")
        }
        let merged = try run(["regress", "--merge", dir.appendingPathComponent("s1.xml").path, dir.appendingPathComponent("s2.xml").path,
                              "--junit", dir.appendingPathComponent("all.xml").path])
        #expect(merged.status == 0, "\(merged.output)")
        #expect(merged.output.contains("merged 2 reports: 3 tests, 0 failed"), "\(merged.output)")
        let xml = try String(contentsOf: dir.appendingPathComponent("all.xml"), encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 3)
        #expect(xml.contains("tests=\"3\" failures=\"0\""))
    }
}
