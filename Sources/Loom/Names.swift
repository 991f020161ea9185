/// Verilog-2005 (and SystemVerilog, so that every downstream tool is safe) reserved words.
let verilogReservedWords: Set<String> = [
    "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez",
    "cell", "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else",
    "end", "endcase", "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive",
    "endspecify", "endtable", "endtask", "event", "for", "force", "forever", "fork", "function",
    "generate", "genvar", "highz0", "highz1", "if", "ifnone", "incdir", "include", "initial", "inout",
    "input", "instance", "integer", "join", "large", "liblist", "library", "localparam", "macromodule",
    "medium", "module", "nand", "negedge", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1",
    "or", "output", "parameter", "pmos", "posedge", "primitive", "pull0", "pull1", "pulldown", "pullup",
    "pulsestyle_ondetect", "pulsestyle_onevent", "rcmos", "real", "realtime", "reg", "release", "repeat",
    "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled", "signed", "small",
    "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task", "time", "tran",
    "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned", "use", "uwire",
    "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor",
    // SystemVerilog keywords that Verilator rejects as identifiers.
    "logic", "bit", "byte", "int", "shortint", "longint", "string", "class", "interface", "package",
    "program", "typedef", "enum", "struct", "union", "static", "virtual", "import", "export", "return",
    "break", "continue", "do", "foreach", "final", "always_comb", "always_ff", "always_latch", "assert",
    "assume", "cover", "property", "sequence", "unique", "priority", "void", "const", "ref", "this",
    "super", "new", "null", "chandle", "type", "modport", "clocking", "bind", "alias", "checker",
    "constraint", "covergroup", "coverpoint", "cross", "dist", "inside", "local", "protected", "rand",
    "randc", "solve", "with", "within", "wildcard", "extends", "implements", "let", "global", "soft",
    "extern", "assert",
]

/// C++ words that Verilator refuses as names (its SYMRSVDWORD warning): the model is C++.
let cppReservedWords: Set<String> = [
    "abort", "alignas", "alignof", "asm", "auto", "bool", "catch", "char", "char16_t", "char32_t",
    "char8_t", "concept", "consteval", "constexpr", "constinit", "const_cast", "co_await", "co_return",
    "co_yield", "decltype", "delete", "double", "dynamic_cast", "explicit", "false", "float", "friend",
    "goto", "inline", "long", "mutable", "namespace", "noexcept", "nullptr", "operator", "private",
    "public", "register", "reinterpret_cast", "requires", "short", "sizeof", "static_assert",
    "static_cast", "switch", "template", "thread_local", "throw", "true", "try", "typeid", "typename",
    "using", "volatile", "wchar_t",
]

/// Why `name` cannot be a Verilog identifier, or nil when it can.
func nameProblem(_ name: String) -> String? {
    if verilogReservedWords.contains(name) { return "is a reserved word in Verilog" }
    if cppReservedWords.contains(name) { return "is a C++ reserved word, which Verilator's C++ model cannot use" }
    guard let first = name.unicodeScalars.first else { return "is empty" }
    let isLetter = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    let isDigit = { (c: Unicode.Scalar) in c >= "0" && c <= "9" }
    if !(isLetter(first) || first == "_") { return "must start with a letter or '_'" }
    if !name.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) || $0 == "_" }) {
        return "may hold only letters, digits and '_'"
    }
    if name.hasPrefix("_") { return "starts with '_', which Loom reserves for temporaries" }
    return nil
}
