/// A child module placed inside a parent. Its ports are reached by name:
/// inputs are driven by the parent (`fifo["enq_valid"].drive(x)`), outputs are read.
public struct Instance {
    let module: ModuleBuilder
    let index: Int

    public var name: String { module.ir.instances[index].name }

    /// The parent-side end of port `port`.
    public subscript(_ port: String, fileID fileID: String = #fileID, line line: Int = #line) -> Bits {
        let decl = module.ir.instances[index]
        guard let c = decl.connections.first(where: { $0.port == port }) else {
            module.error(SourceLocation(fileID: fileID, line: line), "instance '\(decl.name)' of '\(module.elaborator.modules[decl.module].name)' has no port '\(port)'")
            return module.bits(module.constant(BitVector(width: 1, value: 0)))
        }
        return module.bits(module.add(.signal(c.signal), width: module.ir.signals[c.signal].width))
    }

    /// The fields `prefix_<field>` of a record-shaped group of ports.
    public func record(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Record {
        Record(layout: layout, values: layout.fields.map { self["\(prefix)_\($0.name)", fileID: fileID, line: line] })
    }

    /// The stream `prefix` (`prefix_valid`, `prefix_ready`, `prefix_<field>`) of the child.
    public func stream(_ prefix: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Stream {
        Stream(valid: self["\(prefix)_valid", fileID: fileID, line: line],
               ready: self["\(prefix)_ready", fileID: fileID, line: line],
               payload: record(prefix, layout, fileID: fileID, line: line))
    }
}

extension ModuleBuilder {
    /// Places `child` here under `name`. The child is elaborated once per distinct body.
    public func instance(_ name: String, _ child: some Module, fileID: String = #fileID, line: Int = #line) -> Instance {
        let loc = SourceLocation(fileID: fileID, line: line)
        let childIndex = elaborator.elaborate(child)
        let childIR = elaborator.modules[childIndex]
        let instanceIndex = ir.instances.count
        ir.instances.append(InstanceDecl(name: name, module: childIndex, location: loc, connections: []))
        var connections: [Connection] = []
        for port in childIR.ports {
            let decl = childIR.signals[port]
            if childIR.hasClock && decl.name == "clk" { continue }
            if childIR.hasReset && decl.name == "rst" { continue }
            let kind: SignalKind = decl.kind == .input
                ? .instanceInput(instance: instanceIndex, port: decl.name)
                : .instanceOutput(instance: instanceIndex, port: decl.name)
            let d = declare("\(name)_\(decl.name)", width: decl.width, signed: decl.isSigned, kind: kind, at: loc)
            connections.append(Connection(port: decl.name, signal: d.signal))
        }
        ir.instances[instanceIndex].connections = connections
        return Instance(module: self, index: instanceIndex)
    }
}
