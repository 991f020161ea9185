/// A ready/valid stream: `valid` (producer → consumer), `ready` (consumer → producer) and a
/// record `payload`.
///
/// **Contract.** A beat transfers on a rising clock edge where `valid` and `ready` are both 1
/// (`fire`). Once `valid` is 1 it stays 1, with the payload unchanged, until the beat
/// transfers. The payload means nothing while `valid` is 0. `valid` must not depend
/// combinationally on `ready`; `ready` may depend on `valid`. A consumer may hold `ready` low
/// for any number of cycles; nothing is dropped, back-pressure propagates.
public struct Stream {
    public let valid: Bits
    public let ready: Bits
    public let payload: Record

    public init(valid: Bits, ready: Bits, payload: Record) {
        self.valid = valid
        self.ready = ready
        self.payload = payload
    }

    public var layout: RecordLayout { payload.layout }

    /// 1 in a cycle where a beat transfers.
    public var fire: Bits { valid & ready }

    /// Connects `source` to this stream: valid and payload forward, ready backward.
    public func connect(from source: Stream, fileID: String = #fileID, line: Int = #line) {
        valid.drive(source.valid, fileID: fileID, line: line)
        payload.drive(source.payload, fileID: fileID, line: line)
        source.ready.drive(ready, fileID: fileID, line: line)
    }
}

extension Stream {
    /// Offers one beat from inside a `when`: `valid` is 1 and each payload field is driven
    /// with the value given for it by name. Every field must be named exactly once.
    ///
    /// ```swift
    /// m.when(done) { segment.offer(["id": id, "addr": addr, "len": len, "last": m.true, "status": ok]) }
    /// ```
    public func offer(_ fields: KeyValuePairs<String, Bits>, fileID: String = #fileID, line: Int = #line) {
        let names = layout.fields.map(\.name)
        let given = fields.map(\.key)
        guard given.sorted() == names.sorted() else {
            let missing = names.filter { !given.contains($0) }, unknown = given.filter { !names.contains($0) }
            var problems: [String] = []
            if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ", "))") }
            if !unknown.isEmpty { problems.append("no field \(unknown.joined(separator: ", "))") }
            if problems.isEmpty { problems.append("a field is named twice") }
            valid.module.error(SourceLocation(fileID: fileID, line: line),
                               "offer must name each field of (\(names.joined(separator: ", "))) once: \(problems.joined(separator: "; "))")
            return
        }
        valid.drive(1, fileID: fileID, line: line)
        for (name, value) in fields { payload[name].drive(value, fileID: fileID, line: line) }
    }
}

extension ModuleBuilder {
    /// An input stream port `prefix`: `prefix_valid`, `prefix_<field>` in, `prefix_ready` out.
    public func inputStream(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Stream {
        let valid = input("\(prefix)_valid", width: 1, fileID: fileID, line: line)
        let ready = output("\(prefix)_ready", width: 1, fileID: fileID, line: line)
        return Stream(valid: valid, ready: ready, payload: inputRecord(prefix, layout, fileID: fileID, line: line))
    }

    /// An output stream port `prefix`: `prefix_valid`, `prefix_<field>` out, `prefix_ready` in.
    public func outputStream(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Stream {
        let valid = output("\(prefix)_valid", width: 1, fileID: fileID, line: line)
        let ready = input("\(prefix)_ready", width: 1, fileID: fileID, line: line)
        return Stream(valid: valid, ready: ready, payload: outputRecord(prefix, layout, fileID: fileID, line: line))
    }

    /// A stream of wires, for joining blocks inside a module.
    public func wireStream(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Stream {
        Stream(valid: wire("\(prefix)_valid", width: 1, fileID: fileID, line: line),
               ready: wire("\(prefix)_ready", width: 1, fileID: fileID, line: line),
               payload: wireRecord(prefix, layout, fileID: fileID, line: line))
    }
}
