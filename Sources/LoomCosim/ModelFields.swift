// The standard library's field walk with key paths is SPI: the one public alternative, `Mirror`,
// gives names and values but neither key paths nor offsets.
@_spi(Reflection) import Swift

/// The stored properties of a model's `Inputs` or `Outputs` by name, found once by reflection:
/// `WiredModel` claims one for each port and reads or writes it at its byte offset every cycle.
struct ModelFields<Root> {
    /// `DCInitiatorModel.Inputs`, for messages.
    let owner: String
    private var fields: [String: PartialKeyPath<Root>] = [:]
    /// Field names in declaration order, for a stable message about those no port claimed.
    private let order: [String]
    private var claimed: Set<String> = []

    init() throws(CosimError) {
        // The type's name without its module, nor the unnamed contexts of a local type.
        owner = String(reflecting: Root.self).split(separator: ".").dropFirst()
            .filter { !$0.hasPrefix("(unknown context") }.joined(separator: ".")
        var fields: [String: PartialKeyPath<Root>] = [:], order: [String] = []
        let walked = _forEachFieldWithKeyPath(of: Root.self) { name, keyPath in
            let name = String(cString: name)
            fields[name] = keyPath
            order.append(name)
            return true
        }
        guard walked else { throw CosimError.modelMismatch("\(owner) is not a struct of stored properties") }
        (self.fields, self.order) = (fields, order)
    }

    /// The byte offset of field `name`, which must have type `Value` (and be a `var` when the
    /// model's inputs are written). `role` says which port wants it, for the message.
    mutating func claim<Value>(_ name: String, _ value: Value.Type, writable: Bool, for role: String) throws(CosimError) -> Int {
        guard let keyPath = fields[name] else {
            throw CosimError.modelMismatch("\(owner) has no field '\(name): \(Value.self)' for \(role)")
        }
        guard !claimed.contains(name) else { throw claimedTwice(name) }
        let found = type(of: keyPath).valueType
        guard found == Value.self else {
            throw CosimError.modelMismatch("field '\(name)' of \(owner) is \(found), \(role) needs \(Value.self)")
        }
        guard !writable || keyPath is WritableKeyPath<Root, Value> else {
            throw CosimError.modelMismatch("field '\(name)' of \(owner) is a constant; \(role) writes it")
        }
        return try offset(name, keyPath)
    }

    /// The type of field `name` (a level's field may be any of several), not yet claimed.
    func valueType(of name: String, for role: String) throws(CosimError) -> Any.Type {
        guard let keyPath = fields[name] else {
            throw CosimError.modelMismatch("\(owner) has no field '\(name)' for \(role)")
        }
        guard !claimed.contains(name) else { throw claimedTwice(name) }
        return type(of: keyPath).valueType
    }

    private mutating func offset(_ name: String, _ keyPath: PartialKeyPath<Root>) throws(CosimError) -> Int {
        guard let offset = MemoryLayout<Root>.offset(of: keyPath) else {
            throw CosimError.modelMismatch("field '\(name)' of \(owner) is not stored in place")
        }
        claimed.insert(name)
        return offset
    }

    private func claimedTwice(_ name: String) -> CosimError {
        CosimError.modelMismatch("field '\(name)' of \(owner) is claimed by two ports")
    }

    /// Fields that no port claimed: a model input nothing drives, or an output nothing checks.
    var unclaimed: [String] { order.filter { !claimed.contains($0) } }
}

extension String {
    /// `qp_full_handshake` → `qpFullHandshake`: a port's name as a Swift property's.
    var lowerCamelCase: String {
        let words = split(separator: "_")
        guard let first = words.first else { return self }
        return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
