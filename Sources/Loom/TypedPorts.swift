// Ports made from a block interface's declarations (`StreamPort`, `LevelPort`, `StreamBeat`):
// the names and widths come from the one declaration that models and test benches use too.

extension RecordLayout {
    /// The layout of a declared stream payload: its fields, names and widths, in order.
    public init<Beat: StreamBeat>(_ beat: Beat.Type) {
        self.init(fields: Beat.fields.map { Field(name: $0.name, width: $0.width) })
    }
}

extension ModuleBuilder {
    /// The input stream `port`: `<name>_valid`, `<name>_<field>` in, `<name>_ready` out.
    ///
    /// ```swift
    /// let post = m.inputStream(CompletionEngineInterface.post)   // post_valid, post_qp, ...
    /// ```
    public func inputStream<Beat>(_ port: StreamPort<Beat>, fileID: String = #fileID, line: Int = #line) -> Stream {
        inputStream(port.name, RecordLayout(Beat.self), fileID: fileID, line: line)
    }

    /// The output stream `port`: `<name>_valid`, `<name>_<field>` out, `<name>_ready` in.
    /// Drive it from a `stage()` so its valid and payload come from registers.
    public func outputStream<Beat>(_ port: StreamPort<Beat>, fileID: String = #fileID, line: Int = #line) -> Stream {
        outputStream(port.name, RecordLayout(Beat.self), fileID: fileID, line: line)
    }

    /// A stream of wires named `name` with the payload of `Beat`.
    public func wireStream<Beat: StreamBeat>(_ name: String, _ beat: Beat.Type, fileID: String = #fileID, line: Int = #line) -> Stream {
        wireStream(name, RecordLayout(beat), fileID: fileID, line: line)
    }

    /// The level input `port`.
    public func input(_ port: LevelPort, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        input(port.name, width: width, fileID: fileID, line: line)
    }

    /// The level output `port`.
    public func output(_ port: LevelPort, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        output(port.name, width: width, fileID: fileID, line: line)
    }

    /// A constant from a named code (a SPEC enum with an integer raw value).
    ///
    /// ```swift
    /// cqe.syndrome.drive(m.lit(Syndrome.flush, width: 8))
    /// ```
    public func lit<Code: RawRepresentable>(_ code: Code, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits
    where Code.RawValue: BinaryInteger {
        lit(UInt64(code.rawValue), width: width, fileID: fileID, line: line)
    }
}

extension ModuleBuilder {
    /// The declared input stream `stream` (for example `CompletionEngineInterface(.names).post`).
    /// A stream the interface declares as an output is an error at the caller's line.
    public func inputStream<Beat, B>(_ stream: DeclaredStream<Beat, B>, fileID: String = #fileID, line: Int = #line) -> Stream {
        checkDirection(stream.name, stream.direction, .input, SourceLocation(fileID: fileID, line: line))
        return inputStream(stream.port, fileID: fileID, line: line)
    }

    /// The declared output stream `stream`. Drive it from a `stage()`.
    public func outputStream<Beat, B>(_ stream: DeclaredStream<Beat, B>, fileID: String = #fileID, line: Int = #line) -> Stream {
        checkDirection(stream.name, stream.direction, .output, SourceLocation(fileID: fileID, line: line))
        return outputStream(stream.port, fileID: fileID, line: line)
    }

    /// The declared level input `level`, `width` bits wide (a `.bits(n)` level must be `n`).
    public func input<B>(_ level: DeclaredLevel<B>, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        checkLevel(level, .input, width, SourceLocation(fileID: fileID, line: line))
        return input(level.name, width: width, fileID: fileID, line: line)
    }

    /// The declared level output `level`.
    public func output<B>(_ level: DeclaredLevel<B>, width: Int, fileID: String = #fileID, line: Int = #line) -> Bits {
        checkLevel(level, .output, width, SourceLocation(fileID: fileID, line: line))
        return output(level.name, width: width, fileID: fileID, line: line)
    }

    func checkDirection(_ name: String, _ declared: PortDirection, _ used: PortDirection, _ location: SourceLocation) {
        if declared != used {
            error(location, "'\(name)' is declared as an \(declared) of the interface but made an \(used) here")
        }
    }

    func checkLevel<B>(_ level: DeclaredLevel<B>, _ used: PortDirection, _ width: Int, _ location: SourceLocation) {
        checkDirection(level.name, level.direction, used, location)
        if case .bits(let declared) = level.declaredWidth, declared != width {
            error(location, "level '\(level.name)' is declared \(declared) bits wide but made \(width) bits here")
        }
    }
}

extension Instance {
    /// The child's declared stream `stream`, as seen from the parent.
    public func stream<Beat, B>(_ stream: DeclaredStream<Beat, B>, fileID: String = #fileID, line: Int = #line) -> Stream {
        self.stream(stream.port, fileID: fileID, line: line)
    }
}

extension Instance {
    /// The child's stream `port`, as seen from the parent.
    public func stream<Beat>(_ port: StreamPort<Beat>, fileID: String = #fileID, line: Int = #line) -> Stream {
        stream(port.name, RecordLayout(Beat.self), fileID: fileID, line: line)
    }
}

extension Bits {
    /// Compares with a named code of the same width (`kind == SGKind.pattern`).
    public static func == <Code: RawRepresentable>(a: Bits, code: Code) -> Bits where Code.RawValue: BinaryInteger {
        a == a.module.lit(UInt64(code.rawValue), width: a.width)
    }

    public static func != <Code: RawRepresentable>(a: Bits, code: Code) -> Bits where Code.RawValue: BinaryInteger {
        a != a.module.lit(UInt64(code.rawValue), width: a.width)
    }
}

extension Signal {
    /// Drives this signal with a named code.
    public func drive<Code: RawRepresentable>(_ code: Code, fileID: String = #fileID, line: Int = #line) where Code.RawValue: BinaryInteger {
        drive(Int(code.rawValue), fileID: fileID, line: line)
    }
}
