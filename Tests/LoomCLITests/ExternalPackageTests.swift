import Foundation
import LoomVerilog
import Testing

/// Loom as a dependency: `examples/running-sum` is a package of its own that depends on this
/// checkout by path, holds a design with a stream and registers, its Swift cycle model and a
/// bench, and builds its command line on `LoomCommand.main`. The README shows its files.
@Suite(.serialized) struct ExternalPackageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let package = root.appendingPathComponent("examples/running-sum")
    static let scratch = root.appendingPathComponent(".build/running-sum")
    static let files = ["Package.swift", "Sources/runsum/RunningSum.swift", "Sources/runsum/RunningSumModel.swift", "Sources/runsum/main.swift"]

    func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> ExternalTools.Result {
        try ExternalTools.run(executable, arguments, in: directory)
    }

    /// Builds the package (incrementally after the first time) and returns its executable.
    func runsum() throws -> String {
        // SwiftPM may keep the build plan of a path dependency after a file is added to it
        // (a new file then "cannot be found"): drop the plan, so it is made afresh.
        for plan in ["debug.yaml", "x86_64-unknown-linux-gnu/debug/description.json", "aarch64-unknown-linux-gnu/debug/description.json"] {
            try? FileManager.default.removeItem(at: Self.scratch.appendingPathComponent(plan))
        }
        let build = try ExternalTools.run("swift", ["build", "-j", "2", "--package-path", Self.package.path, "--scratch-path", Self.scratch.path])
        #expect(build.status == 0, "\(build.output.suffix(3000))")
        return Self.scratch.appendingPathComponent("debug/runsum").path
    }

    @Test func aPackageOfItsOwnEmitsLintsAndRegressesItsDesign() throws {
        let runsum = try runsum()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("loom-running-sum-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        defer { try? FileManager.default.removeItem(at: work) }

        let list = try run(runsum, ["list"])
        #expect(list.status == 0)
        #expect(list.output == "designs (emit, lint, synth):\n  running_sum\nlockstep tests (sim, regress):\n  running_sum\n")

        let emit = try run(runsum, ["emit", "running_sum", "--out", work.appendingPathComponent("rtl").path])
        #expect(emit.status == 0, "\(emit.output)")
        let verilog = try String(contentsOf: work.appendingPathComponent("rtl/running_sum.v"), encoding: .utf8)
        for port in ["input  wire [7:0] samples_value", "output wire [15:0] totals_sum", "output wire [7:0] totals_count", "output wire samples_ready"] {
            #expect(verilog.contains(port), "missing: \(port)")
        }

        let lint = try run(runsum, ["lint", "--all-tools"])
        #expect(lint.status == 0, "\(lint.output)")
        #expect(lint.output.components(separatedBy: "clean").count - 1 == 3, "\(lint.output)")

        let regress = try run(runsum, ["regress", "--seeds", "7,8", "--junit", work.appendingPathComponent("junit.xml").path])
        #expect(regress.status == 0, "\(regress.output)")
        #expect(regress.output.contains("total: 2 tests"))
        #expect(regress.output.contains("all pass"))
        #expect(regress.output.contains("2/2 bins"))

        // The same test meets wrong Verilog: the model and the bench are what judge it.
        let broken = work.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        #expect(verilog.contains("count + 8'd1"))
        try verilog.replacingOccurrences(of: "count + 8'd1", with: "count + 8'd2")
            .write(to: broken.appendingPathComponent("running_sum.v"), atomically: true, encoding: .utf8)
        let sim = try run(runsum, ["sim", "running_sum", "--seed", "7", "--rtl", broken.path], in: work)
        #expect(sim.status == 1, "\(sim.output)")
        #expect(sim.output.contains("port:     totals_count"), "\(sim.output)")
        #expect(sim.output.contains("reproduce: runsum sim running_sum --seed 7 --cycles 5000"), "\(sim.output)")

        let unknown = try run(runsum, ["sim", "no_such_test"])
        #expect(unknown.status == 64)
        #expect(unknown.output.contains("Error: unknown test 'no_such_test'; tests: running_sum"), "\(unknown.output)")
    }

    /// The README's "Use Loom in your own package" shows the package's files as they are.
    @Test func theReadmeShowsThePackageAsItIs() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        for file in Self.files {
            let text = try String(contentsOf: Self.package.appendingPathComponent(file), encoding: .utf8)
            #expect(readme.contains("`examples/running-sum/\(file)`:\n```swift\n\(text)```"), "README does not show \(file) as it is")
        }
    }
}
