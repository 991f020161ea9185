/// The binding that makes a block interface's ports in the module being built: every port of
/// the interface, in its declared order and direction, a `.perQP` level `qps` bits wide. A
/// declared stream then reads as its `Stream`, a declared level as its `Bits`.
///
/// ```swift
/// let io = CompletionEngineInterface(m.ports(qps: qps))   // post_valid, post_qp, ..., qp_busy
/// io.post.ready.drive(admitted)
/// io.cqe.stream.connect(from: produced.stage("cqe_out"))
/// io.qpBusy.bits.drive(cat(nonempty.reversed()))
/// ```
public struct ModulePorts: PortBinding {
    let m: ModuleBuilder
    let qps: Int?
    let location: SourceLocation

    public func placeStream<Beat: StreamBeat>(_ name: String, _ direction: PortDirection, _ beat: Beat.Type) -> Stream {
        let layout = RecordLayout(beat)
        return direction == .input
            ? m.inputStream(name, layout, fileID: location.fileID, line: location.line)
            : m.outputStream(name, layout, fileID: location.fileID, line: location.line)
    }

    public func placeLevel(_ name: String, _ direction: PortDirection, _ width: LevelWidth) -> Bits {
        let bits: Int
        switch width {
        case .bits(let n): bits = n
        case .perQP:
            if qps == nil { m.error(location, "level '\(name)' has one bit per QP: make the ports with m.ports(qps:)") }
            bits = qps ?? 1
        }
        return direction == .input
            ? m.input(name, width: bits, fileID: location.fileID, line: location.line)
            : m.output(name, width: bits, fileID: location.fileID, line: location.line)
    }
}

extension ModuleBuilder {
    /// Makes the ports of the interface it is given to (see `ModulePorts`).
    public func ports(qps: Int? = nil, fileID: String = #fileID, line: Int = #line) -> ModulePorts {
        ModulePorts(m: self, qps: qps, location: SourceLocation(fileID: fileID, line: line))
    }
}

/// The binding that reaches a child instance's ports through its interface, as the parent
/// sees them: `let engine = CompletionEngineInterface(m.instance("engine", CompletionEngine()).ports())`,
/// then `engine.post.stream.connect(from: ...)`. A port the child lacks is an error at the
/// line that binds it.
public struct InstancePorts: PortBinding {
    let instance: Instance
    let location: SourceLocation

    public func placeStream<Beat: StreamBeat>(_ name: String, _ direction: PortDirection, _ beat: Beat.Type) -> Stream {
        instance.stream(name, RecordLayout(beat), fileID: location.fileID, line: location.line)
    }

    public func placeLevel(_ name: String, _ direction: PortDirection, _ width: LevelWidth) -> Bits {
        instance[name, fileID: location.fileID, line: location.line]
    }
}

extension Instance {
    /// Reaches the ports of the interface it is given to (see `InstancePorts`).
    public func ports(fileID: String = #fileID, line: Int = #line) -> InstancePorts {
        InstancePorts(instance: self, location: SourceLocation(fileID: fileID, line: line))
    }
}

/// A binding whose streams are the DSL's `Stream`s and whose levels are `Bits`.
public protocol SignalBinding: PortBinding where StreamPlace == Stream, LevelPlace == Bits {}
extension ModulePorts: SignalBinding {}
extension InstancePorts: SignalBinding {}

extension DeclaredStream where Binding: SignalBinding {
    /// The stream this port is in the module being built.
    public var stream: Stream { place }
}

extension DeclaredLevel where Binding: SignalBinding {
    /// The signal this level port is in the module being built.
    public var bits: Bits { place }
}
