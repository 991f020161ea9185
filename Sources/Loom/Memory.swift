/// A memory: `depth` words of `width` bits, with synchronous read ports (registered data,
/// as FPGA block RAMs read) and synchronous write ports. Contents are not reset.
///
/// Emitted as a Verilog array with one `always @(posedge clk)` per port, which Yosys infers
/// as RAM. A read in the same cycle as a write to the same address returns the old word.
public struct Memory {
    let module: ModuleBuilder
    let index: Int

    public var depth: Int { module.ir.memories[index].depth }
    public var width: Int { module.ir.memories[index].width }
    /// The address width: the bits needed to index `depth` words.
    public var addressWidth: Int { module.ir.memories[index].addressWidth }

    /// A synchronous read: the word at `address` appears on the returned value one cycle
    /// after a cycle in which `enable` (and any enclosing `when`) holds; it holds otherwise.
    public func read(_ address: Bits, enable: Bits? = nil, name: String? = nil, fileID: String = #fileID, line: Int = #line) -> Bits {
        let loc = SourceLocation(fileID: fileID, line: line)
        checkAddress(address, at: loc)
        let portIndex = module.ir.memories[index].readPorts.count
        let dataName = name ?? "\(module.ir.memories[index].name)_rdata\(portIndex == 0 ? "" : String(portIndex))"
        let data = module.declare(dataName, width: width, signed: false, kind: .memoryReadData(memory: index, port: portIndex), at: loc)
        let en = module.enableNode(enable, at: loc)
        module.ir.memories[index].readPorts.append(MemoryReadPort(address: address.ref.node, enable: en, data: data.signal, location: loc))
        return module.bits(data.node)
    }

    /// A combinational read (for small LUT memories); the word at `address` this cycle.
    public func readAsync(_ address: Bits, fileID: String = #fileID, line: Int = #line) -> Bits {
        checkAddress(address, at: SourceLocation(fileID: fileID, line: line))
        return module.bits(module.add(.memoryRead(memory: index, address: address.ref.node), width: width))
    }

    /// Writes `data` at `address` on the clock edge of a cycle in which `enable` (and any
    /// enclosing `when`) holds.
    public func write(_ address: Bits, _ data: Bits, enable: Bits? = nil, fileID: String = #fileID, line: Int = #line) {
        let loc = SourceLocation(fileID: fileID, line: line)
        checkAddress(address, at: loc)
        if data.width != width {
            module.error(loc, "width mismatch: memory '\(module.ir.memories[index].name)' holds \(width)-bit words but is written with \(data.width) bits")
            return
        }
        let en = module.enableNode(enable, at: loc)
        module.ir.memories[index].writePorts.append(MemoryWritePort(address: address.ref.node, data: data.ref.node, enable: en, location: loc))
    }

    func checkAddress(_ address: Bits, at loc: SourceLocation) {
        module.located(loc)
        if address.width != addressWidth {
            module.error(loc, "width mismatch: memory '\(module.ir.memories[index].name)' has \(depth) words and needs a \(addressWidth)-bit address, got \(address.width) bits")
        }
    }
}

/// The number of bits needed to index `count` things (at least 1).
public func addressBits(_ count: Int) -> Int {
    var bits = 1
    while (1 << bits) < count { bits += 1 }
    return bits
}

extension ModuleBuilder {
    /// Declares a memory of `depth` words of `width` bits.
    public func memory(_ name: String, depth: Int, width: Int, fileID: String = #fileID, line: Int = #line) -> Memory {
        let loc = SourceLocation(fileID: fileID, line: line)
        if isCombinational {
            error(loc, "memory '\(name)' has no clock domain: module '\(ir.name)' is combinational")
        }
        if depth < 1 || width < 1 { error(loc, "memory '\(name)' needs a depth and a width of at least 1") }
        ir.memories.append(MemoryDecl(name: name, depth: max(depth, 1), width: max(width, 1), addressWidth: addressBits(depth), location: loc))
        return Memory(module: self, index: ir.memories.count - 1)
    }

    /// The enable of a port: the explicit enable AND the current `when` path.
    func enableNode(_ enable: Bits?, at loc: SourceLocation) -> NodeID {
        let explicit = enable?.truth.ref.node
        switch (explicit, currentPathCondition) {
        case let (e?, p?): return add(.binary(.and, p, e), width: 1)
        case let (e?, nil): return e
        case let (nil, p?): return p
        case (nil, nil): return constant(BitVector(width: 1, value: 1))
        }
    }
}
