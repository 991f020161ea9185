/// A hardware module described in Swift.
///
/// ```swift
/// struct Counter: Module {
///     var width = 8
///     var name: String { "counter" }
///     func body(_ m: ModuleBuilder) {
///         let enable = m.input("en", width: 1)
///         let value = m.register("value", width: width, reset: 0)
///         m.when(enable) { value.drive(value &+ 1) }
///         m.output("count", width: width).drive(value)
///     }
/// }
/// let design = try elaborate(Counter())
/// ```
public protocol Module {
    /// The Verilog module name. Give distinct configurations distinct names.
    var name: String { get }
    /// Declares the module's ports and logic through `m`.
    func body(_ m: ModuleBuilder)
    /// Whether the module is purely combinational: registers and memories in it are errors.
    var isCombinational: Bool { get }
    /// The generator parameters and their ranges, checked before `body` runs (see `Parameter`).
    var parameters: [Parameter] { get }
}

extension Module {
    public var isCombinational: Bool { false }
    public var parameters: [Parameter] { [] }
}

/// Elaborates `top` and every module below it, running all checks.
/// - Throws: `ElaborationError` with every diagnostic found.
public func elaborate(_ top: some Module) throws -> Design {
    let elaborator = Elaborator()
    _ = elaborator.elaborate(top)
    let diagnostics = elaborator.diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    if !diagnostics.isEmpty {
        var seen = Set<Diagnostic>()
        throw ElaborationError(diagnostics: diagnostics.filter { seen.insert($0).inserted })
    }
    return Design(modules: elaborator.modules)
}

/// Every diagnostic elaborating `module` reports, in the order `elaborate` throws them; empty
/// when it elaborates. For tests and tools that look at the diagnostics themselves:
///
/// ```swift
/// #expect(diagnostics(of: Counter(width: 0)).map(\.description) == ["Counter.swift:4: error: ..."])
/// ```
public func diagnostics(of module: some Module) -> [Diagnostic] {
    do {
        _ = try elaborate(module)
        return []
    } catch let error as ElaborationError {
        return error.diagnostics
    } catch {
        return [Diagnostic(.loom, "\(error)")]
    }
}

/// Collects distinct modules (children first) and diagnostics across a design.
final class Elaborator {
    var modules: [ModuleIR] = []
    var diagnostics: [Diagnostic] = []
    private var byName: [String: [Int]] = [:]

    func elaborate(_ module: some Module) -> Int {
        let builder = ModuleBuilder(name: module.name, elaborator: self, combinational: module.isCombinational)
        // A bad configuration is reported where it is declared, and builds nothing.
        let outOfRange = module.parameters.filter { !$0.isValid }
        for p in outOfRange { builder.error(p.location, "\(module.name): \(p.message)") }
        if outOfRange.isEmpty { module.body(builder) }
        var ir = builder.finish()
        // One Verilog module per distinct module: identical bodies share one definition;
        // a different body under a name already used gets a numbered name.
        let candidates = byName[module.name, default: []]
        for index in candidates where modules[index].bodyEquals(ir) { return index }
        if !candidates.isEmpty { ir.name = "\(module.name)_\(candidates.count + 1)" }
        modules.append(ir)
        byName[module.name, default: []].append(modules.count - 1)
        return modules.count - 1
    }
}

extension ModuleIR {
    func bodyEquals(_ other: ModuleIR) -> Bool {
        var a = self, b = other
        a.name = ""; b.name = ""
        return a == b
    }
}
