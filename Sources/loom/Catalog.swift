import Adapter
import Examples
import Loom
import LoomCLI

/// Every design `loom` knows, by the name given on the command line.
enum Catalog {
    /// Adapter blocks in their default configuration (emitted to rtl/<name>.v).
    static let blocks = ["mkey_translator", "sg_walker", "completion_engine", "dc_initiator", "exec_unit", "adapter"]

    static var designs: [ProjectDesign] {
        [
            ProjectDesign("mkey_translator", note: "adapter block") { try elaborate(MKeyTranslator()) },
            ProjectDesign("sg_walker", note: "adapter block") { try elaborate(SGWalker()) },
            ProjectDesign("completion_engine", note: "adapter block") { try elaborate(CompletionEngine()) },
            ProjectDesign("dc_initiator", note: "adapter block") { try elaborate(DCInitiator()) },
            ProjectDesign("exec_unit", note: "adapter block") { try elaborate(ExecUnit()) },
            // Made of the blocks above: one file, so that rtl/adapter.v compiles by itself.
            ProjectDesign("adapter", builtFromDesigns: true, note: "adapter top") { try elaborate(Adapter()) },
        ] + Examples.names.map { name in
            ProjectDesign(name, subdirectory: "examples", synthesize: false, note: "example") { try Examples.design(named: name)! }
        }
    }
}
