// Bit selection, explicit width changes and concatenation.

extension Signal {
    /// Bits `hi` down to `lo` (inclusive), as unsigned.
    public subscript(_ hi: Int, _ lo: Int, fileID fileID: String = #fileID, line line: Int = #line) -> Bits {
        guard lo >= 0, hi >= lo, hi < width else {
            module.error(SourceLocation(fileID: fileID, line: line), "slice [\(hi):\(lo)] is out of range for a \(width)-bit value")
            return module.bits(module.constant(BitVector(width: max(1, hi - lo + 1), value: 0)))
        }
        if lo == 0 && hi == width - 1 && !isSigned { return Bits(ref) }
        return module.bits(module.add(.slice(ref.node, hi: hi, lo: lo), width: hi - lo + 1))
    }

    /// Bit `index`, as a 1-bit `Bits`.
    public subscript(_ index: Int, fileID fileID: String = #fileID, line line: Int = #line) -> Bits {
        self[index, index, fileID: fileID, line: line]
    }

    /// The low `width` bits. Dropping bits is always explicit.
    public func truncated(to newWidth: Int, fileID: String = #fileID, line: Int = #line) -> Self {
        guard newWidth >= 1, newWidth <= width else {
            module.error(SourceLocation(fileID: fileID, line: line), "cannot truncate a \(width)-bit value to \(newWidth) bits")
            return self
        }
        if newWidth == width { return self }
        return make(.slice(ref.node, hi: newWidth - 1, lo: 0), width: newWidth)
    }

    /// Extends with zeros to `width` bits (not fewer than the current width).
    public func zeroExtended(to newWidth: Int, fileID: String = #fileID, line: Int = #line) -> Self {
        guard newWidth >= width else {
            module.error(SourceLocation(fileID: fileID, line: line), "cannot zero-extend a \(width)-bit value to \(newWidth) bits")
            return self
        }
        if newWidth == width { return self }
        return make(.zeroExtend(ref.node), width: newWidth)
    }

    /// Extends by copying the top bit to `width` bits (not fewer than the current width).
    public func signExtended(to newWidth: Int, fileID: String = #fileID, line: Int = #line) -> Self {
        guard newWidth >= width else {
            module.error(SourceLocation(fileID: fileID, line: line), "cannot sign-extend a \(width)-bit value to \(newWidth) bits")
            return self
        }
        if newWidth == width { return self }
        return make(.signExtend(ref.node), width: newWidth)
    }

    /// Width-changing by the value's signedness: extension or truncation, said explicitly.
    public func resized(to newWidth: Int, fileID: String = #fileID, line: Int = #line) -> Self {
        if newWidth < width { return truncated(to: newWidth, fileID: fileID, line: line) }
        return isSigned ? signExtended(to: newWidth) : zeroExtended(to: newWidth)
    }

    /// `count` copies of this value side by side.
    public func replicated(_ count: Int) -> Bits {
        cat(Array(repeating: Bits(ref), count: max(count, 1)))
    }
}

/// Concatenation, most significant first, as Verilog's `{a, b, c}`.
public func cat(_ parts: [Bits]) -> Bits {
    precondition(!parts.isEmpty, "cat needs at least one operand")
    if parts.count == 1 { return parts[0] }
    let m = parts[0].module
    return m.bits(m.add(.concat(parts.map(\.ref.node)), width: parts.reduce(0) { $0 + $1.width }))
}

public func cat(_ parts: Bits...) -> Bits { cat(parts) }

/// `select ? whenTrue : whenFalse`; operands of unequal widths are extended to the wider.
public func mux<S: Signal>(_ select: Bits, _ whenTrue: S, _ whenFalse: S) -> S {
    let w = max(whenTrue.width, whenFalse.width)
    let m = select.module
    return S(SignalRef(module: m, node: m.add(.mux(select.truth.ref.node, whenTrue.extended(w), whenFalse.extended(w)), width: w, signed: whenTrue.isSigned)))
}

/// `select ? whenTrue : whenFalse` with a constant on the false side.
public func mux<S: Signal>(_ select: Bits, _ whenTrue: S, _ whenFalse: Int) -> S {
    mux(select, whenTrue, whenTrue.literal(whenFalse))
}
