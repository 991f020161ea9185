/// The shape of a record (bundle): named fields of given widths, in order.
///
/// ```swift
/// let beat = RecordLayout(["id": 8, "addr": 64, "last": 1])   // order as written
/// ```
public struct RecordLayout: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public let name: String
        public let width: Int
    }
    public let fields: [Field]

    public init(_ fields: KeyValuePairs<String, Int>) {
        self.fields = fields.map { Field(name: $0.key, width: $0.value) }
    }

    public init(fields: [Field]) { self.fields = fields }

    /// The sum of the field widths.
    public var width: Int { fields.reduce(0) { $0 + $1.width } }

    /// This layout with `more` fields after its own: a payload that gains fields on its way
    /// through a block's stages.
    ///
    /// ```swift
    /// let checked = RecordLayout(SGEntry.self).appending(["too_many_visits": 1])
    /// ```
    public func appending(_ more: KeyValuePairs<String, Int>) -> RecordLayout {
        RecordLayout(fields: fields + more.map { Field(name: $0.key, width: $0.value) })
    }
}

/// A record value: one `Bits` per field, reached by name (`beat.addr`).
@dynamicMemberLookup
public struct Record {
    public let layout: RecordLayout
    public let values: [Bits]

    public init(layout: RecordLayout, values: [Bits]) {
        precondition(layout.fields.count == values.count)
        self.layout = layout
        self.values = values
    }

    public subscript(dynamicMember name: String) -> Bits { self[name] }

    /// The field `name`. A name the layout lacks is an error reported at the next located
    /// call that uses the value (as for operators, a member access cannot take the caller's
    /// line); the value is then a 1-bit 0.
    public subscript(_ name: String) -> Bits {
        if let i = layout.fields.firstIndex(where: { $0.name == name }) { return values[i] }
        guard let m = values.first?.module else { preconditionFailure("a record without fields has no field '\(name)'") }
        m.pendingError("record has no field '\(name)'; its fields are \(layout.fields.map(\.name).joined(separator: ", "))")
        return m.lit(0, width: 1)
    }

    /// All fields in one value, the first field in the most significant bits.
    public func packed() -> Bits { cat(values) }

    /// Drives every field from its bits of `word` (packed as by `packed()`).
    public func drive(packed word: Bits, fileID: String = #fileID, line: Int = #line) {
        var hi = layout.width - 1
        for (field, value) in zip(layout.fields, values) {
            value.drive(word[hi, hi - field.width + 1, fileID: fileID, line: line], fileID: fileID, line: line)
            hi -= field.width
        }
    }

    /// Drives every field from `other` (same layout).
    public func drive(_ other: Record, fileID: String = #fileID, line: Int = #line) {
        for (a, b) in zip(values, other.values) { a.drive(b, fileID: fileID, line: line) }
    }
}

extension RecordLayout {
    /// Splits a packed value (as made by `Record.packed()`) back into fields, each a wire
    /// named `<name>_<field>` so the Verilog keeps the field names.
    ///
    /// ```swift
    /// let record = layout.unpack("record", records.readAsync(head))   // wire record_psn, ...
    /// ```
    public func unpack(_ name: String, _ value: Bits, fileID: String = #fileID, line: Int = #line) -> Record {
        let m = value.module
        if value.width != width {
            m.error(SourceLocation(fileID: fileID, line: line), "cannot unpack '\(name)': the value is \(value.width) bits, the record is \(width) bits")
        }
        var hi = width - 1
        var values: [Bits] = []
        for f in fields {
            let field = hi < value.width ? value[hi, hi - f.width + 1, fileID: fileID, line: line] : m.lit(0, width: f.width)
            values.append(m.wire("\(name)_\(f.name)", field, fileID: fileID, line: line))
            hi -= f.width
        }
        return Record(layout: self, values: values)
    }
}

extension ModuleBuilder {
    /// Input ports `prefix_<field>` for each field.
    public func inputRecord(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Record {
        Record(layout: layout, values: layout.fields.map { input("\(prefix)_\($0.name)", width: $0.width, fileID: fileID, line: line) })
    }

    /// Output ports `prefix_<field>` for each field.
    public func outputRecord(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Record {
        Record(layout: layout, values: layout.fields.map { output("\(prefix)_\($0.name)", width: $0.width, fileID: fileID, line: line) })
    }

    /// Wires `prefix_<field>` for each field.
    public func wireRecord(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Record {
        Record(layout: layout, values: layout.fields.map { wire("\(prefix)_\($0.name)", width: $0.width, fileID: fileID, line: line) })
    }

    /// Registers `prefix_<field>` for each field, reset to zero.
    public func registerRecord(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Record {
        Record(layout: layout, values: layout.fields.map { register("\(prefix)_\($0.name)", width: $0.width, reset: 0, fileID: fileID, line: line) })
    }
}
