import Dispatch
import Foundation
import Loom
import LoomVerilog

/// Builds a design into a shared library: emit Verilog, write the C++ wrapper, verilate,
/// compile with the Swift toolchain's `clang++ -O3 -fPIC`, link. Libraries are cached under
/// `.build/loom-cosim/<hash>/`, keyed by the Verilog, the wrapper, Verilator's version and
/// the flags, so an unchanged design loads without rebuilding.
public struct ModelCompiler {
    public static let verilatorFlags = ["--cc", "--trace", "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal"]
    public static let cxxFlags = ["-O3", "-fPIC", "-std=c++17", "-w"]

    public var cacheRoot: URL
    public var log: (String) -> Void
    /// When set, a design whose top module has an implementation in this directory (see
    /// `ExternalRTL`) is built from that Verilog instead of Loom's, after its ports are
    /// checked against the design's. Verilator then runs with `-Wall` and its warnings are
    /// logged; they do not stop the run.
    ///
    /// It starts from the environment variable `LOOM_RTL` when that is set, so that a test
    /// run (`LOOM_RTL=dir swift test`) checks that Verilog too.
    public var externalRTL: URL? = ProcessInfo.processInfo.environment["LOOM_RTL"].map { URL(fileURLWithPath: $0) }

    public init(cacheRoot: URL = ModelCompiler.defaultCacheRoot, log: @escaping (String) -> Void = { _ in }) {
        self.cacheRoot = cacheRoot
        self.log = log
    }

    /// `$LOOM_CACHE`, else `.build/loom-cosim` under the current directory.
    public static var defaultCacheRoot: URL {
        if let env = ProcessInfo.processInfo.environment["LOOM_CACHE"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/loom-cosim")
    }

    /// The C++ compiler: the Swift toolchain's clang++ when present, else the PATH's.
    static var cxx: String {
        for candidate in ["/opt/swift/usr/bin/clang++"] where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return "clang++"
    }

    /// The folder of `loom_shim.h`: the one header the Swift side (through `CLoomShim`) and
    /// every generated wrapper both compile against, so the ABI cannot drift between them.
    static let shimInclude = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CLoomShim/include")

    /// Verilator's version string (for example "5.006"), checked to be 5.x or later.
    public static func verilatorVersion() throws -> String {
        let result: ExternalTools.Result
        do { result = try ExternalTools.run("verilator", ["--version"]) } catch { throw CosimError.verilatorMissing }
        guard result.succeeded, let word = result.output.split(separator: " ").dropFirst().first else { throw CosimError.verilatorMissing }
        let version = String(word)
        let major = Int(version.split(separator: ".").first ?? "") ?? 0
        if major < 5 { throw CosimError.verilatorTooOld(found: version) }
        return version
    }

    /// Builds in one process take turns: tests run in parallel threads, the machine has two
    /// cores (each build already uses both), and two builds of one design must not collide.
    static let buildLock = NSRecursiveLock()

    /// Returns the path of the model library for `design`, building it if not cached.
    public func library(for design: Design) throws -> (path: String, layout: PortLayout, cached: Bool) {
        Self.buildLock.lock()
        defer { Self.buildLock.unlock() }
        let version = try Self.verilatorVersion()
        let top = design.topModule
        let layout = PortLayout(top)
        let external = try externalRTL.flatMap { try ExternalRTL.sources(for: top.name, in: $0) { VerilogEmitter.emitSingleText(design) } }
        let verilog = external ?? VerilogEmitter.emit(design).map { ExternalRTL.Source(fileName: $0.fileName, text: $0.text) }
        let verilatorFlags = Self.verilatorFlags + (external == nil ? [] : ["-Wall"])
        let wrapper = WrapperGenerator.cpp(layout, hasClock: top.hasClock)
        var hash = ContentHash()
        hash.add(external == nil ? "emitted" : "external")
        for file in verilog { hash.add(file.fileName); hash.add(file.text) }
        hash.add(wrapper)
        guard let header = try? String(contentsOf: Self.shimInclude.appendingPathComponent("loom_shim.h"), encoding: .utf8) else {
            throw CosimError.loadFailed(path: Self.shimInclude.path, reason: "loom_shim.h is not there; run loom from a checkout of the repository")
        }
        hash.add(header)
        hash.add(version)
        hash.add((verilatorFlags + Self.cxxFlags).joined(separator: " "))
        hash.add(Self.cxx)
        let dir = cacheRoot.appendingPathComponent("\(top.name)-\(hash.hex)")
        let library = dir.appendingPathComponent("model.so")
        if FileManager.default.fileExists(atPath: library.path) { return (library.path, layout, true) }

        log("building Verilated model of \(top.name) (first run for this Verilog; cached afterwards)")
        let work = cacheRoot.appendingPathComponent("tmp-\(top.name)-\(hash.hex)-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let files: [String]
        if let external {
            let rtl = work.appendingPathComponent("rtl")
            try FileManager.default.createDirectory(at: rtl, withIntermediateDirectories: true)
            files = try external.map { source in
                let path = rtl.appendingPathComponent(source.fileName)
                try source.text.write(to: path, atomically: true, encoding: .utf8)
                return path.path
            }
            do {
                try ExternalRTL.checkPorts(of: top, files: files, scratch: work)
            } catch {
                try? FileManager.default.removeItem(at: work)
                throw error
            }
        } else {
            files = try ExternalTools.write(design, to: work.appendingPathComponent("rtl"))
        }
        let wrapperPath = work.appendingPathComponent("loom_wrapper.cpp")
        try wrapper.write(to: wrapperPath, atomically: true, encoding: .utf8)

        let mdir = work.appendingPathComponent("obj")
        let verilate = ["verilator"] + verilatorFlags + ["--prefix", WrapperGenerator.modelClass, "--top-module", top.name, "--Mdir", mdir.path] + files
        let verilated = try ExternalTools.run(verilate[0], Array(verilate.dropFirst()))
        try check("verilating \(top.name)", verilated, verilate)
        if external != nil {
            let warnings = verilated.output.split(separator: "\n").filter { $0.hasPrefix("%Warning") }
            if !warnings.isEmpty { log("Verilator -Wall on \(top.name) from \(externalRTL!.path) (warnings do not stop the run):\n" + warnings.joined(separator: "\n")) }
        }

        let root = try verilatorRoot()
        let runtime = try runtimeObjects(root: root, version: version)
        let includes = ["-I\(mdir.path)", "-I\(Self.shimInclude.path)", "-I\(root)/include", "-I\(root)/include/vltstd"]
        let sources = try FileManager.default.contentsOfDirectory(atPath: mdir.path).filter { $0.hasSuffix(".cpp") }.sorted().map { mdir.appendingPathComponent($0).path } + [wrapperPath.path]
        let objects = try compile(sources, includes: includes, into: mdir)
        let link = [Self.cxx, "-shared", "-o", work.appendingPathComponent("model.so").path] + objects + runtime + ["-lpthread", "-latomic"]
        try check("linking \(top.name)", ExternalTools.run(link[0], Array(link.dropFirst())), link)

        // Publish atomically; a concurrent builder that won the race is as good.
        if (try? FileManager.default.moveItem(at: work, to: dir)) == nil {
            try? FileManager.default.removeItem(at: work)
        }
        guard FileManager.default.fileExists(atPath: library.path) else {
            throw CosimError.loadFailed(path: library.path, reason: "the build did not produce it")
        }
        return (library.path, layout, false)
    }

    func check(_ step: String, _ result: ExternalTools.Result, _ command: [String]) throws {
        if !result.succeeded { throw CosimError.toolFailed(step: step, output: result.output, command: command.joined(separator: " ")) }
    }

    func verilatorRoot() throws -> String {
        let r = try ExternalTools.run("verilator", ["--getenv", "VERILATOR_ROOT"])
        let root = r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.succeeded, !root.isEmpty else { throw CosimError.verilatorMissing }
        return root
    }

    /// Compiles sources two at a time (the machine has two cores); returns object paths.
    func compile(_ sources: [String], includes: [String], into dir: URL) throws -> [String] {
        let objects = sources.map { dir.appendingPathComponent(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent + ".o").path }
        var failures: [CosimError?] = Array(repeating: nil, count: sources.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            let command = [Self.cxx] + Self.cxxFlags + includes + ["-c", sources[i], "-o", objects[i]]
            do {
                try check("compiling \(URL(fileURLWithPath: sources[i]).lastPathComponent)", ExternalTools.run(command[0], Array(command.dropFirst())), command)
            } catch let e as CosimError {
                lock.lock(); failures[i] = e; lock.unlock()
            } catch {
                lock.lock(); failures[i] = .toolFailed(step: "compiling", output: "\(error)", command: command.joined(separator: " ")); lock.unlock()
            }
        }
        if let first = failures.compactMap({ $0 }).first { throw first }
        return objects
    }

    /// Verilator's runtime, compiled once per Verilator version and compiler.
    func runtimeObjects(root: String, version: String) throws -> [String] {
        let dir = cacheRoot.appendingPathComponent("runtime-\(version)")
        let names = ["verilated", "verilated_vcd_c", "verilated_threads"]
        let objects = names.map { dir.appendingPathComponent("\($0).o").path }
        if objects.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return objects }
        let work = cacheRoot.appendingPathComponent("tmp-runtime-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let sources = names.map { "\(root)/include/\($0).cpp" }
        _ = try compile(sources, includes: ["-I\(root)/include", "-I\(root)/include/vltstd"], into: work)
        if (try? FileManager.default.moveItem(at: work, to: dir)) == nil { try? FileManager.default.removeItem(at: work) }
        return objects
    }
}

extension ModelCompiler {
    /// Links a hand-written C++ test bench (`main`, which drives `Vloom_model` directly)
    /// against the design's Verilated objects, for side-by-side benchmarks. Cached like models.
    public func executable(main: String, for design: Design) throws -> String {
        Self.buildLock.lock()
        defer { Self.buildLock.unlock() }
        let built = try library(for: design)
        let dir = URL(fileURLWithPath: built.path).deletingLastPathComponent()
        let mainText = try String(contentsOfFile: main, encoding: .utf8)
        var hash = ContentHash()
        hash.add(mainText)
        let exe = dir.appendingPathComponent("bench-\(hash.hex)").path
        if FileManager.default.fileExists(atPath: exe) { return exe }
        let root = try verilatorRoot()
        let version = try Self.verilatorVersion()
        let mdir = dir.appendingPathComponent("obj")
        let objects = try FileManager.default.contentsOfDirectory(atPath: mdir.path)
            .filter { $0.hasSuffix(".o") && $0 != "loom_wrapper.o" }.sorted().map { mdir.appendingPathComponent($0).path }
        let command = [Self.cxx] + Self.cxxFlags + ["-I\(mdir.path)", "-I\(root)/include", "-I\(root)/include/vltstd", main, "-o", exe]
            + objects + (try runtimeObjects(root: root, version: version)) + ["-lpthread", "-latomic"]
        try check("building the C++ bench \(main)", ExternalTools.run(command[0], Array(command.dropFirst())), command)
        return exe
    }
}
