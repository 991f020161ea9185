/// Why a co-simulation could not start or run; each says what to do about it.
public enum CosimError: Error, CustomStringConvertible {
    case verilatorMissing
    case verilatorTooOld(found: String)
    case toolFailed(step: String, output: String, command: String)
    case loadFailed(path: String, reason: String)
    case abiMismatch(found: UInt32)
    /// A model or test bench expects a port the design lacks, or has at another width.
    case portMismatch(String)
    /// A model's inputs or outputs do not fit the interface it is wired to (see `WiredModel`).
    case modelMismatch(String)

    public var description: String {
        switch self {
        case .verilatorMissing:
            return "Verilator was not found on the PATH. Install it with `apt-get install -y verilator` (or run `make setup`); Loom needs Verilator 5.x."
        case let .verilatorTooOld(found):
            return "Verilator \(found) is older than supported (5.0 or later). Install a newer one with `apt-get install -y verilator` (Debian 12 ships 5.006)."
        case let .toolFailed(step, output, command):
            let lines = output.split(separator: "\n", omittingEmptySubsequences: true)
            let shown = lines.prefix(15).joined(separator: "\n")
            let more = lines.count > 15 ? "\n... (\(lines.count - 15) more lines)" : ""
            return "\(step) failed:\n\(shown)\(more)\nrerun with:\n  \(command)"
        case let .loadFailed(path, reason):
            return "could not load the model library \(path): \(reason)"
        case let .abiMismatch(found):
            return "the model library speaks shim ABI \(found), this Loom expects 1; delete .build/loom-cosim and rebuild"
        case let .portMismatch(message):
            return "ports do not match: \(message)"
        case let .modelMismatch(message):
            return "the model does not fit its interface: \(message)"
        }
    }
}
