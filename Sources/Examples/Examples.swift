import Loom

/// The example designs by the name the CLI and tests use.
public enum Examples {
    public static let names = ["counter", "alu", "buffered_stream", "arbiter3", "handshake_fsm", "mac_pipeline"]

    /// Elaborates the named example, or returns nil for an unknown name.
    public static func design(named name: String) throws -> Design? {
        switch name {
        case "counter": return try elaborate(Counter())
        case "alu": return try elaborate(ALU())
        case "buffered_stream": return try elaborate(BufferedStream())
        case "arbiter3": return try elaborate(ArbiterExample())
        case "handshake_fsm": return try elaborate(HandshakeFSM())
        case "mac_pipeline": return try elaborate(MacPipeline())
        default: return nil
        }
    }
}
