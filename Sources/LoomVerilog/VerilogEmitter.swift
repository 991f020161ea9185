import Loom

/// Turns an elaborated design into Verilog-2005: one file per module, named after it.
///
/// The output is deterministic (same design, byte-identical text), lint-clean under
/// `verilator --lint-only -Wall` by construction (every expression has an exact width, every
/// unread bit goes to a `_unused` sink, which Verilator's default unused pattern accepts), and
/// readable: named signals keep their Swift names, single-use expressions are written inline,
/// shared ones become `_`-prefixed wires named after what they compute.
public enum VerilogEmitter {
    /// One `(file name, text)` per module, children first.
    public static func emit(_ design: Design) -> [(fileName: String, text: String)] {
        design.modules.map { module in
            var writer = ModuleWriter(module: module, design: design)
            return ("\(module.name).v", writer.write())
        }
    }

    /// Every module of the design in one text, children first, so the file compiles alone.
    /// The children sit between `lint_off`/`lint_on DECLFILENAME` pragmas: Verilator's
    /// `-Wall` otherwise asks for one module per file named after it.
    public static func emitSingleText(_ design: Design) -> String {
        let files = emit(design)
        guard files.count > 1 else { return files.first?.text ?? "" }
        let children = files.dropLast().map(\.text).joined(separator: "\n")
        return "/* verilator lint_off DECLFILENAME */\n" + children + "/* verilator lint_on DECLFILENAME */\n\n" + files.last!.text
    }
}
