/// Where in the user's Swift code a piece of hardware was described.
///
/// Every DSL entry point that can be the subject of a diagnostic takes `fileID` and `line`
/// as defaulted arguments, so the location is the caller's line, never a line inside Loom.
public struct SourceLocation: Hashable, Comparable, CustomStringConvertible, Sendable {
    public let fileID: String
    public let line: Int

    public init(fileID: String, line: Int) {
        self.fileID = fileID
        self.line = line
    }

    public var description: String { "\(fileID):\(line)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.fileID, a.line) < (b.fileID, b.line)
    }

    /// Used for nodes Loom creates on its own (for example the implicit clock).
    public static let loom = SourceLocation(fileID: "<loom>", line: 0)
}
