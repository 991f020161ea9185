import Adapter
import Examples
import Loom

/// Every design the CLI knows, by the name given on the command line.
enum Catalog {
    /// Adapter blocks in their default configuration (emitted to rtl/<name>.v).
    static let blocks = ["mkey_translator", "sg_walker", "completion_engine", "dc_initiator", "exec_unit", "adapter"]

    static var names: [String] { blocks + Examples.names }

    /// Designs made of other catalog blocks as instances: Yosys checks their structure, and
    /// each block is synthesized when it is linted itself.
    static let builtFromBlocks: Set<String> = ["adapter"]

    static func isExample(_ name: String) -> Bool { Examples.names.contains(name) }

    static func design(_ name: String) throws -> Design? {
        switch name {
        case "completion_engine": return try elaborate(CompletionEngine())
        case "sg_walker": return try elaborate(SGWalker())
        case "mkey_translator": return try elaborate(MKeyTranslator())
        case "dc_initiator": return try elaborate(DCInitiator())
        case "exec_unit": return try elaborate(ExecUnit())
        case "adapter": return try elaborate(Adapter())
        default: return try Examples.design(named: name)
        }
    }
}
