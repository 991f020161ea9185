import Loom

/// The text of the error `body` throws ("no error" when it returns).
func errorText(_ body: () throws -> Any) -> String {
    do {
        _ = try body()
        return "no error"
    } catch {
        return "\(error)"
    }
}

/// The diagnostics that elaborating `module` produces (empty if it elaborates).
func diagnostics(_ module: some Module) -> [String] { diagnostics(of: module).map(\.description) }
