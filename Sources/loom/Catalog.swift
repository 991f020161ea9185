import Examples
import Loom

/// Every design the CLI knows, by the name given on the command line.
enum Catalog {
    static var names: [String] { Examples.names }

    static func isExample(_ name: String) -> Bool { Examples.names.contains(name) }

    static func design(_ name: String) throws -> Design? {
        try Examples.design(named: name)
    }
}
