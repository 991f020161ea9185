import Foundation
import Loom
import LoomVerilog

/// Verilog that Loom did not emit, co-simulated in place of a design's own: a hand-written,
/// third-party or patched implementation checked by the same models, stimulus and checks.
///
/// For a design whose top module is `sg_walker`, the directory holds `sg_walker.v` (or
/// `sg_walker.sv`), and, when the implementation spans several files, `sg_walker.f` listing
/// them (one path a line, relative to the directory; `//` and `#` lines are comments).
/// Its ports must be the design's: same names, directions and widths.
///
/// With `sg_walker.replaces.v` beside it, the replacement is narrower: only a design whose
/// own Verilog is exactly that file is replaced, so that configurations of the block with
/// other parameters keep their own Verilog (`loom mutate` relies on this).
public enum ExternalRTL {
    /// The file whose presence limits the replacement to one exact design.
    public static func replacesFile(for top: String) -> String { "\(top).replaces.v" }

    public struct Source: Sendable {
        public let fileName: String
        public let text: String
    }

    /// The files that implement `top` in `directory`, read; nil when there are none, or when
    /// the directory's `replaces` file says this design (`emitted` gives its own Verilog) is
    /// not the one.
    public static func sources(for top: String, in directory: URL, emitted: () -> String) throws -> [Source]? {
        let fm = FileManager.default
        if let only = try? String(contentsOf: directory.appendingPathComponent(replacesFile(for: top)), encoding: .utf8), only != emitted() {
            return nil
        }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CosimError.portMismatch("\(directory.path), the directory of external Verilog, is not a directory")
        }
        let list = directory.appendingPathComponent("\(top).f")
        var paths: [URL]
        if let text = try? String(contentsOf: list, encoding: .utf8) {
            paths = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("//") && !$0.hasPrefix("#") }
                .map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : directory.appendingPathComponent($0) }
        } else {
            paths = ["v", "sv"].map { directory.appendingPathComponent("\(top).\($0)") }.filter { fm.fileExists(atPath: $0.path) }
            if paths.count > 1 { paths = [paths[0]] }
        }
        // A design the directory does not implement keeps Loom's Verilog.
        if paths.isEmpty { return nil }
        return try paths.map { url in
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw CosimError.portMismatch("cannot read \(url.path) (listed for '\(top)')")
            }
            return Source(fileName: url.lastPathComponent, text: text)
        }
    }

    /// A port of the external top module as Yosys reads it.
    struct Port: Equatable {
        let name: String
        let isOutput: Bool
        let width: Int
    }

    /// Checks that the external module `top` in `files` has exactly `design`'s ports; every
    /// difference is named in the error.
    public static func checkPorts(of top: ModuleIR, files: [String], scratch: URL) throws {
        let found = try ports(of: top.name, files: files, scratch: scratch)
        var problems: [String] = []
        var byName: [String: Port] = [:]
        for p in found { byName[p.name] = p }
        for p in top.ports {
            let s = top.signals[p]
            let direction = s.kind == .input ? "input" : "output"
            guard let other = byName.removeValue(forKey: s.name) else {
                problems.append("missing \(direction) '\(s.name)' (\(s.width) bits)")
                continue
            }
            if other.isOutput != (s.kind != .input) {
                problems.append("'\(s.name)' is an \(other.isOutput ? "output" : "input"), the design's is an \(direction)")
            }
            if other.width != s.width {
                problems.append("'\(s.name)' is \(other.width) bits, the design's is \(s.width)")
            }
        }
        for extra in byName.keys.sorted() { problems.append("extra port '\(extra)' the design does not have") }
        if !problems.isEmpty {
            throw CosimError.portMismatch("module '\(top.name)' in \(files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")): " + problems.joined(separator: "; "))
        }
    }

    /// The top module's ports, read with Yosys (installed with Verilator by `make setup`).
    static func ports(of top: String, files: [String], scratch: URL) throws -> [Port] {
        let json = scratch.appendingPathComponent("ports.json")
        let script = "read_verilog -sv -lib \(files.map { "\"\($0)\"" }.joined(separator: " ")); hierarchy -top \(top); write_json \"\(json.path)\""
        let r = try ExternalTools.run("yosys", ["-q", "-p", script])
        guard r.succeeded else { throw CosimError.toolFailed(step: "reading the ports of '\(top)' with Yosys", output: r.output, command: "yosys -p '\(script)'") }
        guard let data = try? Data(contentsOf: json),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let modules = root["modules"] as? [String: Any],
              let module = modules[top] as? [String: Any],
              let ports = module["ports"] as? [String: Any] else {
            throw CosimError.portMismatch("Yosys found no module '\(top)' in \(files.joined(separator: ", "))")
        }
        return ports.compactMap { name, value in
            guard let p = value as? [String: Any], let direction = p["direction"] as? String, let bits = p["bits"] as? [Any] else { return nil }
            return Port(name: name, isOutput: direction == "output", width: bits.count)
        }
    }
}

extension ExternalRTL {
    /// Whether `directory` has an implementation of `top` (`<top>.v`, `.sv` or `.f`).
    public static func implements(_ top: String, in directory: URL) -> Bool {
        ["v", "sv", "f"].contains { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(top).\($0)").path) }
    }
}
