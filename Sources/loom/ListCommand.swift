import ArgumentParser

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the designs loom can emit and simulate.")

    func run() throws {
        for name in Catalog.names { print(name) }
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
