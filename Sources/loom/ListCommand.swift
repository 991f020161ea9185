import ArgumentParser

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the designs loom can emit and the tests `loom sim` and `loom regress` run.")

    func run() throws {
        print("designs (loom emit, lint; adapter blocks also loom synth):")
        for name in Catalog.names { print("  \(name)\(Catalog.blocks.contains(name) ? "  (adapter block)" : "")") }
        print("lockstep tests (loom sim, regress):")
        for t in SimTargets.all() { print("  \(t.name)") }
    }
}

/// A design name checked against the catalog, with the list of valid names on error.
struct DesignArgument: ExpressibleByArgument {
    let name: String
    init?(argument: String) {
        guard Catalog.names.contains(argument) else { return nil }
        name = argument
    }
    static var allValueStrings: [String] { Catalog.names }
}
