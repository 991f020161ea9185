/// A generator parameter and the range it must lie in. A module lists its parameters in
/// `Module.parameters`; elaboration reports each one out of range at the line that declares
/// it, and builds no body for a module with any.
///
/// ```swift
/// var parameters: [Parameter] {
///     [Parameter("QPS", qps, in: 1...256, because: "wr_qp is 8 bits"),
///      Parameter("CQ_DEPTH", cqDepth, powerOfTwoIn: 2...65536)]
/// }
/// ```
/// A QPS of 300 reports `QPS must be between 1 and 256 (wr_qp is 8 bits), got 300`.
public struct Parameter {
    public let name: String
    public let isValid: Bool
    /// What an invalid value is told: `QPS must be between 1 and 256, got 300`.
    public let message: String
    public let location: SourceLocation

    /// A value that must lie in `range`.
    public init<Value: BinaryInteger>(_ name: String, _ value: Value, in range: ClosedRange<Value>, because reason: String? = nil,
                                      fileID: String = #fileID, line: Int = #line) {
        self.init(name, value, range, isValid: range.contains(value), requirement: "", reason, SourceLocation(fileID: fileID, line: line))
    }

    /// A value that must be a power of two in `range`.
    public init<Value: BinaryInteger>(_ name: String, _ value: Value, powerOfTwoIn range: ClosedRange<Value>, because reason: String? = nil,
                                      fileID: String = #fileID, line: Int = #line) {
        self.init(name, value, range, isValid: range.contains(value) && Self.isPowerOfTwo(value), requirement: "a power of two ", reason,
                  SourceLocation(fileID: fileID, line: line))
    }

    private init<Value: BinaryInteger>(_ name: String, _ value: Value, _ range: ClosedRange<Value>, isValid: Bool, requirement: String,
                                       _ reason: String?, _ location: SourceLocation) {
        self.name = name
        self.isValid = isValid
        let why = reason.map { " (\($0))" } ?? ""
        message = "\(name) must be \(requirement)between \(Self.bound(range.lowerBound)) and \(Self.bound(range.upperBound))\(why), got \(value)"
        self.location = location
    }

    /// A bound as a reader checks it against the SPEC: large powers of two (and one below
    /// them) as `2^k`, the rest in decimal.
    static func bound<Value: BinaryInteger>(_ value: Value) -> String {
        if isPowerOfTwo(value), value.trailingZeroBitCount >= 20 { return "2^\(value.trailingZeroBitCount)" }
        let ones = (~value).trailingZeroBitCount   // the low bits of `value` that are 1
        if value > 0, ones >= 20, value >> ones == 0 { return "2^\(ones) - 1" }
        return "\(value)"
    }

    static func isPowerOfTwo<Value: BinaryInteger>(_ value: Value) -> Bool { value > 0 && value & (value - 1) == 0 }
}
