import Loom

/// Writes one module. See `VerilogEmitter` for the properties of the output.
struct ModuleWriter {
    let module: ModuleIR
    let design: Design
    var uses: [Int]
    var reachable: [Bool]
    var isTemp: [Bool]
    var tempNames: [String?]
    /// `describe` at depth 1, and at depth 2 and deeper, per node, once computed.
    var descriptions: [[String?]]
    var usedNames: Set<String> = []
    var nextSuffix: [String: Int] = [:]
    var readBits: [[Bool]]
    var enumOfSignal: [Int: [String]] = [:]
    var usedLocalparams: [Int: Set<Int>] = [:]
    /// For each assigned signal, the body's statements that assign it, with the `when`s
    /// around them (empty branches dropped): built in one pass so that writing every
    /// signal's block costs the size of the body, not the body times the signals.
    let statementsOf: [Int: [Statement]]
    /// For each signal assigned exactly once, at the top level, the value it is assigned.
    let simpleDrivers: [Int: NodeID]

    init(module: ModuleIR, design: Design) {
        self.module = module
        self.design = design
        let n = module.nodes.count
        uses = Array(repeating: 0, count: n)
        reachable = Array(repeating: false, count: n)
        isTemp = Array(repeating: false, count: n)
        tempNames = Array(repeating: nil, count: n)
        descriptions = Array(repeating: Array(repeating: nil, count: n), count: 2)
        readBits = module.signals.map { Array(repeating: false, count: $0.width) }
        for e in module.enumerations { enumOfSignal[e.signal] = e.cases }
        for s in module.signals { usedNames.insert(s.name) }
        for m in module.memories { usedNames.insert(m.name) }
        for i in module.instances { usedNames.insert(i.name) }
        statementsOf = Self.project(module.body)
        var assignments: [Int: Int] = [:], topLevel: [Int: NodeID] = [:]
        for (target, block) in statementsOf {
            for st in block { Self.countAssignments(st, into: &assignments) }
            if block.count == 1, case let .assign(_, value, _) = block[0] { topLevel[target] = value }
        }
        simpleDrivers = topLevel.filter { assignments[$0.key] == 1 }
    }

    /// `block` split by target: each target's assignments in order, inside the `when`s that
    /// hold them.
    static func project(_ block: [Statement]) -> [Int: [Statement]] {
        var out: [Int: [Statement]] = [:]
        for st in block {
            switch st {
            case let .assign(t, _, _):
                out[t, default: []].append(st)
            case let .when(c, then, otherwise, loc):
                let a = project(then), b = project(otherwise)
                for t in Set(a.keys).union(b.keys) {
                    out[t, default: []].append(.when(condition: c, then: a[t] ?? [], otherwise: b[t] ?? [], location: loc))
                }
            }
        }
        return out
    }

    static func countAssignments(_ st: Statement, into counts: inout [Int: Int]) {
        switch st {
        case let .assign(t, _, _): counts[t, default: 0] += 1
        case let .when(_, then, otherwise, _):
            for inner in then + otherwise { countAssignments(inner, into: &counts) }
        }
    }

    // MARK: analysis

    /// Calls `body` with each operand of a node's `op`, in order, without building an array (it
    /// runs for every node of the module, several times).
    /// `op` is taken by value, so `body` may change the writer.
    @inline(__always)
    static func forEachOperand(_ op: Op, _ body: (NodeID) -> Void) {
        switch op {
        case .constant, .signal: return
        case let .unary(_, a), let .slice(a, _, _), let .zeroExtend(a), let .signExtend(a): body(a)
        case let .binary(_, a, b): body(a); body(b)
        case let .mux(s, a, b): body(s); body(a); body(b)
        case let .concat(parts): for p in parts { body(p) }
        case let .memoryRead(_, address): body(address)
        }
    }

    func operands(_ node: NodeID) -> [NodeID] {
        switch module.nodes[node].op {
        case .constant, .signal: return []
        case let .unary(_, a), let .slice(a, _, _), let .zeroExtend(a), let .signExtend(a): return [a]
        case let .binary(_, a, b): return [a, b]
        case let .mux(s, a, b): return [s, a, b]
        case let .concat(parts): return parts
        case let .memoryRead(_, address): return [address]
        }
    }

    mutating func markRoots() {
        var roots: [NodeID] = []
        func walk(_ block: [Statement]) {
            for s in block {
                switch s {
                case let .assign(_, value, _): roots.append(value)
                case let .when(c, then, otherwise, _):
                    roots.append(c)
                    walk(then)
                    walk(otherwise)
                }
            }
        }
        walk(module.body)
        for m in module.memories {
            for r in m.readPorts { roots += [r.address, r.enable] }
            for w in m.writePorts { roots += [w.address, w.data, w.enable] }
        }
        for r in roots { uses[r] += 1 }
        var stack = roots
        while let node = stack.popLast() {
            if reachable[node] { continue }
            reachable[node] = true
            Self.forEachOperand(module.nodes[node].op) { o in
                uses[o] += 1
                stack.append(o)
            }
        }
        // Reads of named signals, bit by bit, for the unused sink.
        for node in 0..<module.nodes.count where reachable[node] {
            switch module.nodes[node].op {
            case let .slice(a, hi, lo):
                if case let .signal(s) = module.nodes[a].op {
                    for b in lo...hi { readBits[s][b] = true }
                }
            default:
                for o in operands(node) {
                    if case let .signal(s) = module.nodes[o].op {
                        if case .slice = module.nodes[node].op { continue }
                        for b in 0..<readBits[s].count { readBits[s][b] = true }
                    }
                }
            }
        }
        for root in roots {
            if case let .signal(s) = module.nodes[root].op {
                for b in 0..<readBits[s].count { readBits[s][b] = true }
            }
        }
        // Which expressions get a name of their own.
        var size = Array(repeating: 0, count: module.nodes.count)
        for node in 0..<module.nodes.count where reachable[node] {
            let node = node
            switch module.nodes[node].op {
            case .constant, .signal:
                continue
            default:
                break
            }
            var temp = uses[node] > 1
            if case let .binary(op, _, _) = module.nodes[node].op, op == .sshr { temp = true }
            var opSize = 1
            Self.forEachOperand(module.nodes[node].op) { o in opSize += isTemp[o] ? 0 : size[o] }
            if opSize > 5 { temp = true }
            isTemp[node] = temp
            size[node] = temp ? 0 : opSize
        }
        // Operands that Verilog can only bit-select by name.
        for node in 0..<module.nodes.count where reachable[node] {
            switch module.nodes[node].op {
            case let .slice(a, _, _), let .signExtend(a):
                if needsName(a) { isTemp[a] = true }
            default: break
            }
        }
        // Room for every name at once: growing a set of half a million names rehashes them all.
        let temps = isTemp.lazy.filter { $0 }.count
        usedNames.reserveCapacity(usedNames.count + temps)
        nextSuffix.reserveCapacity(temps)
    }

    func needsName(_ node: NodeID) -> Bool {
        switch module.nodes[node].op {
        case .signal, .constant: return false
        default: return true
        }
    }

    // MARK: names

    mutating func tempName(_ node: NodeID) -> String {
        if let n = tempNames[node] { return n }
        var base = "_" + describe(node, depth: 0)
        if base.utf8.count > Self.nameLimit && base.count > Self.nameLimit { base = String(base.prefix(Self.nameLimit)) }
        var name = base
        // Numbered suffixes continue from the last one given to this base (no rescans).
        let first = nextSuffix[base, default: 1]
        var k = first
        while !usedNames.insert(name).inserted {
            name = "\(base)_\(k)"
            k += 1
        }
        if k != first { nextSuffix[base] = k }
        tempNames[node] = name
        return name
    }

    /// A short description of what a node computes, from its operands' names.
    ///
    /// An operand's description depends only on the node and on whether it is at depth 1 or
    /// deeper, so both are kept per node, cut to the 40 characters a name can use: a node
    /// shared by many expressions is described once, which keeps naming linear in the size
    /// of the module.
    mutating func describe(_ node: NodeID, depth: Int) -> String {
        if depth == 0 { return describeUncached(node, depth: 0) }
        let level = min(depth, 2) - 1
        if let known = descriptions[level][node] { return known }
        let text = describeUncached(node, depth: depth)
        let cut = text.utf8.count > Self.nameLimit ? String(text.prefix(Self.nameLimit)) : text
        descriptions[level][node] = cut
        return cut
    }

    /// The longest temporary name's base, in characters.
    static let nameLimit = 40

    private mutating func describeUncached(_ node: NodeID, depth: Int) -> String {
        let n = module.nodes[node]
        func d(_ x: NodeID) -> String {
            // Deep operands are named after the first signal they read, not spelled out.
            if depth >= 2 { return firstSignal(x) ?? describe(x, depth: depth + 1) }
            return describe(x, depth: depth + 1)
        }
        switch n.op {
        case let .constant(v): return v.width <= 64 ? String(v.words[0]) : "k"
        case let .signal(s): return module.signals[s].name
        case let .unary(op, a):
            switch op {
            case .not: return "not_\(d(a))"
            case .andReduce: return "all_\(d(a))"
            case .orReduce: return "any_\(d(a))"
            case .xorReduce: return "parity_\(d(a))"
            }
        case let .binary(op, a, b):
            let word: String
            switch op {
            case .add: word = "plus"
            case .sub: word = "minus"
            case .mul: word = "times"
            case .and: word = "and"
            case .or: word = "or"
            case .xor: word = "xor"
            case .shl: word = "shl"
            case .shr: word = "shr"
            case .sshr: word = "sshr"
            case .eq: word = "eq"
            case .ne: word = "ne"
            case .lt: word = "lt"
            case .le: word = "le"
            case .gt: word = "gt"
            case .ge: word = "ge"
            }
            return "\(d(a))_\(word)_\(d(b))"
        case let .mux(s, _, _): return "\(d(s))_mux"
        case let .concat(parts): return "cat_\(d(parts[0]))"
        case let .slice(a, hi, lo): return hi == lo ? "\(d(a))_\(lo)" : "\(d(a))_\(hi)_\(lo)"
        case let .zeroExtend(a): return n.width == module.nodes[a].width ? d(a) : "\(d(a))_ext"
        case let .signExtend(a): return "\(d(a))_sext"
        case let .memoryRead(m, a): return "\(module.memories[m].name)_at_\(d(a))"
        }
    }

    /// The first named signal an expression reads (depth-first, left to right).
    func firstSignal(_ node: NodeID) -> String? {
        var stack = [node]
        var steps = 0
        while let n = stack.popLast(), steps < 64 {
            steps += 1
            if case let .signal(s) = module.nodes[n].op { return module.signals[s].name }
            stack.append(contentsOf: operands(n).reversed())
        }
        return nil
    }

    // MARK: expressions

    static func literal(_ v: BitVector) -> String {
        if v.width <= 64 && v.words[0] < (1 << 32) { return "\(v.width)'d\(v.words[0])" }
        return "\(v.width)'h\(v.hexDigits)"
    }

    /// Text of `node` as an operand: a name, a literal, or a parenthesized inline expression.
    mutating func operand(_ node: NodeID) -> String {
        var out = ""
        writeOperand(node, into: &out)
        return out
    }

    mutating func writeOperand(_ node: NodeID, into out: inout String) {
        if isTemp[node] { return out += tempName(node) }
        switch module.nodes[node].op {
        case .constant, .signal, .slice, .concat, .memoryRead: writeExpression(node, into: &out)
        case .zeroExtend(let a) where module.nodes[a].width == module.nodes[node].width: writeOperand(a, into: &out)
        case .zeroExtend, .signExtend: writeExpression(node, into: &out)
        default:
            out += "("
            writeExpression(node, into: &out)
            out += ")"
        }
    }

    /// Text of `node` where a whole expression fits: its name if it has one, else its definition.
    mutating func top(_ node: NodeID) -> String {
        isTemp[node] ? tempName(node) : expression(node)
    }

    mutating func writeTop(_ node: NodeID, into out: inout String) {
        if isTemp[node] { out += tempName(node) } else { writeExpression(node, into: &out) }
    }

    /// A name that can be bit-selected.
    mutating func named(_ node: NodeID) -> String {
        switch module.nodes[node].op {
        case let .signal(s): return module.signals[s].name
        default: return tempName(node)
        }
    }

    /// The enumeration constant name for `value` compared with or assigned to signal `s`.
    mutating func enumName(signal s: Int, value: BitVector) -> String? {
        guard let cases = enumOfSignal[s], value.width <= 64, value.words[0] < UInt64(cases.count) else { return nil }
        usedLocalparams[s, default: []].insert(Int(value.words[0]))
        return localparamName(signal: s, index: Int(value.words[0]))
    }

    func localparamName(signal s: Int, index: Int) -> String {
        let caseName = enumOfSignal[s]![index]
        var snake = ""
        for ch in caseName {
            if ch.isUppercase && !snake.isEmpty { snake += "_" }
            snake += ch.uppercased()
        }
        return "\(module.signals[s].name.uppercased())_\(snake)"
    }

    mutating func writeEnumAware(_ node: NodeID, other: NodeID, into out: inout String) {
        if case let .constant(v) = module.nodes[node].op, case let .signal(s) = module.nodes[other].op,
           let name = enumName(signal: s, value: v) { return out += name }
        writeOperand(node, into: &out)
    }

    static func symbol(_ op: UnaryOp) -> String {
        switch op {
        case .not: return "~"
        case .andReduce: return "&"
        case .orReduce: return "|"
        case .xorReduce: return "^"
        }
    }

    static func symbol(_ op: BinaryOp) -> String {
        switch op {
        case .add: return "+"
        case .sub: return "-"
        case .mul: return "*"
        case .and: return "&"
        case .or: return "|"
        case .xor: return "^"
        case .shl: return "<<"
        case .shr: return ">>"
        case .sshr: return ">>>"
        case .eq: return "=="
        case .ne: return "!="
        case .lt: return "<"
        case .le: return "<="
        case .gt: return ">"
        case .ge: return ">="
        }
    }

    /// Text of `node` at the top of an expression (no outer parentheses).
    mutating func expression(_ node: NodeID) -> String {
        var out = ""
        writeExpression(node, into: &out)
        return out
    }

    /// Appends the text of `node` (a big module's expressions are written into one string,
    /// not built from pieces).
    mutating func writeExpression(_ node: NodeID, into out: inout String) {
        let n = module.nodes[node]
        switch n.op {
        case let .constant(v): out += Self.literal(v)
        case let .signal(s): out += module.signals[s].name
        case let .unary(op, a):
            out += Self.symbol(op)
            writeOperand(a, into: &out)
        case let .binary(op, a, b):
            let signed = module.nodes[a].isSigned
            switch op {
            case .lt, .le, .gt, .ge:
                let symbol = Self.symbol(op)
                if signed {
                    out += "$signed("
                    writeTop(a, into: &out)
                    out += ") \(symbol) $signed("
                    writeTop(b, into: &out)
                    out += ")"
                } else {
                    writeOperand(a, into: &out)
                    out += " \(symbol) "
                    writeOperand(b, into: &out)
                }
            case .eq, .ne:
                writeEnumAware(a, other: b, into: &out)
                out += " \(Self.symbol(op)) "
                writeEnumAware(b, other: a, into: &out)
            case .sshr:
                out += "$signed("
                writeTop(a, into: &out)
                out += ") >>> "
                writeOperand(b, into: &out)
            default:
                writeOperand(a, into: &out)
                out += " \(Self.symbol(op)) "
                writeOperand(b, into: &out)
            }
        case let .mux(s, a, b):
            writeOperand(s, into: &out)
            out += " ? "
            writeOperand(a, into: &out)
            out += " : "
            writeOperand(b, into: &out)
        case let .concat(parts):
            out += "{"
            for (i, p) in parts.enumerated() {
                if i > 0 { out += ", " }
                writeOperand(p, into: &out)
            }
            out += "}"
        case let .slice(a, hi, lo):
            if case let .constant(v) = module.nodes[a].op {
                var words = [UInt64](repeating: 0, count: (hi - lo + 64) / 64)
                for i in lo...hi where v.bit(i) { words[(i - lo) / 64] |= 1 << UInt64((i - lo) % 64) }
                return out += Self.literal(BitVector(width: hi - lo + 1, words: words))
            }
            out += named(a)
            if module.nodes[a].width == 1 { return }
            out += hi == lo ? "[\(lo)]" : "[\(hi):\(lo)]"
        case let .zeroExtend(a):
            let extra = n.width - module.nodes[a].width
            if extra == 0 { return writeTop(a, into: &out) }
            out += "{\(extra)'d0, "
            writeOperand(a, into: &out)
            out += "}"
        case let .signExtend(a):
            let w = module.nodes[a].width
            let extra = n.width - w
            if extra == 0 { return writeTop(a, into: &out) }
            let top = w == 1 ? named(a) : "\(named(a))[\(w - 1)]"
            out += "{{\(extra){\(top)}}, \(named(a))}"
        case let .memoryRead(m, a):
            out += module.memories[m].name
            out += "["
            writeTop(a, into: &out)
            out += "]"
        }
    }
}

func range(_ width: Int) -> String { width == 1 ? "" : "[\(width - 1):0] " }
