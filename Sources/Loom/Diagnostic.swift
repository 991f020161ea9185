/// One elaboration error: a message and the user's line it points at.
public struct Diagnostic: Hashable, CustomStringConvertible, Sendable {
    public let location: SourceLocation
    public let message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `File.swift:12: error: message`, the form compilers use so editors can jump to it.
    public var description: String { "\(location): error: \(message)" }
}

/// Thrown by `elaborate` when a design is malformed. It carries every diagnostic found,
/// not only the first, in source order.
public struct ElaborationError: Error, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
