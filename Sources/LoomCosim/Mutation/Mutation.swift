import Loom

/// One small semantic change to an elaborated design, made in the IR before emission so
/// that every mutant is Verilog Loom itself could have written: lint-clean and readable.
///
/// ```swift
/// let sites = Mutation.sites(in: design)
/// let mutant = sites[0].applied(to: design)   // emit and co-simulate it
/// ```
public struct Mutation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// `<` ↔ `>=`, `<=` ↔ `>`, `==` ↔ `!=`.
        case comparisonNegated = "comparison negated"
        /// `<` ↔ `<=`, `>` ↔ `>=`.
        case comparisonBoundary = "comparison boundary moved"
        case andOrSwapped = "& and | swapped"
        case addSubSwapped = "+ and - swapped"
        /// A constant operand of one operator, plus one.
        case constantOffByOne = "constant off by one"
        case muxArmsSwapped = "mux arms swapped"
        /// The lowest bit of a register's reset value flipped.
        case resetValueChanged = "reset value changed"
        /// One conditional update of a register removed: it holds instead (its enable changed).
        case updateDropped = "register update dropped"
        /// `a & b` on one bit becomes `a`: one term of a condition dropped.
        case conditionTermDropped = "condition term dropped"
    }

    public let kind: Kind
    /// Index into `Design.modules`.
    public let module: Int
    public let moduleName: String
    /// The node changed (operators, muxes, constants) or the register (reset, updates).
    public let node: NodeID?
    public let signal: Int?
    /// For `constantOffByOne`, which operand; for `updateDropped`, which update (in body order).
    public let index: Int
    public let detail: String

    public var description: String { "\(moduleName): \(kind.rawValue): \(detail)" }

    /// Every place a mutation can go, in a fixed order: nodes that reach a statement or a
    /// memory port (a change elsewhere could not matter), then registers.
    public static func sites(in design: Design) -> [Mutation] {
        var sites: [Mutation] = []
        for (m, module) in design.modules.enumerated() {
            let live = reachable(module)
            func site(_ kind: Kind, node: NodeID? = nil, signal: Int? = nil, index: Int = 0, _ detail: String) {
                sites.append(Mutation(kind: kind, module: m, moduleName: module.name, node: node, signal: signal, index: index, detail: detail))
            }
            for (id, n) in module.nodes.enumerated() where live[id] {
                switch n.op {
                case let .binary(op, a, b):
                    if let negated = negation[op] { site(.comparisonNegated, node: id, "node \(id): \(op) → \(negated)") }
                    if let moved = boundary[op] { site(.comparisonBoundary, node: id, "node \(id): \(op) → \(moved)") }
                    if op == .and || op == .or { site(.andOrSwapped, node: id, "node \(id): \(op) → \(op == .and ? "or" : "and")") }
                    if op == .add || op == .sub { site(.addSubSwapped, node: id, "node \(id): \(op) → \(op == .add ? "sub" : "add")") }
                    for (k, operand) in [a, b].enumerated() {
                        if case let .constant(v) = module.nodes[operand].op, v.width <= 64, op != .shl, op != .shr, op != .sshr {
                            site(.constantOffByOne, node: id, index: k, "node \(id): \(op) operand \(k): \(v.words[0]) → \(plusOne(v).words[0])")
                        }
                    }
                    if op == .and && n.width == 1 { site(.conditionTermDropped, node: id, "node \(id): a & b → a") }
                case .mux:
                    site(.muxArmsSwapped, node: id, "node \(id): select ? a : b → select ? b : a")
                default: break
                }
            }
            for (s, decl) in module.signals.enumerated() {
                guard case let .register(reset?) = decl.kind, reset.width <= 64 else { continue }
                site(.resetValueChanged, signal: s, "'\(decl.name)' resets to \(reset.words[0] ^ 1), not \(reset.words[0])")
                for k in 0..<conditionalUpdates(of: s, in: module.body) {
                    site(.updateDropped, signal: s, index: k, "'\(decl.name)': conditional update \(k + 1) removed")
                }
            }
        }
        return sites
    }

    /// `count` sites chosen with `seed`: a kind at random among those with sites left, then a
    /// site of that kind, so that rare kinds are tried too.
    public static func choose(_ count: Int, from sites: [Mutation], seed: UInt64) -> [Mutation] {
        var rng = SeededRandom(seed: seed)
        var byKind: [Kind: [Mutation]] = [:]
        for s in sites { byKind[s.kind, default: []].append(s) }
        var chosen: [Mutation] = []
        while chosen.count < count {
            let kinds = Kind.allCases.filter { !(byKind[$0] ?? []).isEmpty }
            guard !kinds.isEmpty else { break }
            let kind = kinds[Int(rng.below(UInt64(kinds.count)))]
            let k = Int(rng.below(UInt64(byKind[kind]!.count)))
            chosen.append(byKind[kind]!.remove(at: k))
        }
        return chosen
    }

    /// The design with this one change.
    public func applied(to design: Design) -> Design {
        var d = design
        var module = d.modules[self.module]
        switch kind {
        case .comparisonNegated, .comparisonBoundary, .andOrSwapped, .addSubSwapped:
            guard let node, case let .binary(op, a, b) = module.nodes[node].op else { break }
            let table: [BinaryOp: BinaryOp]
            switch kind {
            case .comparisonNegated: table = Self.negation
            case .comparisonBoundary: table = Self.boundary
            case .andOrSwapped: table = [.and: .or, .or: .and]
            default: table = [.add: .sub, .sub: .add]
            }
            if let new = table[op] { module.nodes[node].op = .binary(new, a, b) }
        case .constantOffByOne:
            guard let node, case let .binary(op, a, b) = module.nodes[node].op else { break }
            let operand = index == 0 ? a : b
            guard case let .constant(v) = module.nodes[operand].op else { break }
            // A fresh node: the constant may be shared by other operators, which stay as they are.
            module.nodes.append(Node(op: .constant(Self.plusOne(v)), width: v.width, isSigned: module.nodes[operand].isSigned))
            let fresh = module.nodes.count - 1
            module.nodes[node].op = index == 0 ? .binary(op, fresh, b) : .binary(op, a, fresh)
        case .muxArmsSwapped:
            guard let node, case let .mux(s, a, b) = module.nodes[node].op else { break }
            module.nodes[node].op = .mux(s, b, a)
        case .conditionTermDropped:
            guard let node, case let .binary(.and, a, _) = module.nodes[node].op else { break }
            // A same-width extension is how the IR spells "this node is that one".
            module.nodes[node].op = .zeroExtend(a)
        case .resetValueChanged:
            guard let signal, case let .register(reset?) = module.signals[signal].kind else { break }
            module.signals[signal].kind = .register(reset: BitVector(width: reset.width, value: reset.words[0] ^ 1))
        case .updateDropped:
            guard let signal else { break }
            var seen = 0
            module.body = Self.dropping(update: index, of: signal, from: module.body, inside: false, seen: &seen)
        }
        d.modules[self.module] = module
        return d
    }

    static let negation: [BinaryOp: BinaryOp] = [.lt: .ge, .ge: .lt, .le: .gt, .gt: .le, .eq: .ne, .ne: .eq]
    static let boundary: [BinaryOp: BinaryOp] = [.lt: .le, .le: .lt, .gt: .ge, .ge: .gt]

    static func plusOne(_ v: BitVector) -> BitVector {
        let mask: UInt64 = v.width >= 64 ? ~0 : (1 << UInt64(v.width)) - 1
        return BitVector(width: v.width, value: (v.words[0] &+ 1) & mask)
    }

    /// Nodes an assignment, a condition or a memory port reads, directly or not.
    static func reachable(_ module: ModuleIR) -> [Bool] {
        var live = [Bool](repeating: false, count: module.nodes.count)
        var stack: [NodeID] = []
        func walk(_ block: [Statement]) {
            for s in block {
                switch s {
                case let .assign(_, value, _): stack.append(value)
                case let .when(c, then, otherwise, _): stack.append(c); walk(then); walk(otherwise)
                }
            }
        }
        walk(module.body)
        for m in module.memories {
            for r in m.readPorts { stack += [r.address, r.enable] }
            for w in m.writePorts { stack += [w.address, w.data, w.enable] }
        }
        while let n = stack.popLast() {
            if live[n] { continue }
            live[n] = true
            switch module.nodes[n].op {
            case .constant, .signal: break
            case let .unary(_, a), let .slice(a, _, _), let .zeroExtend(a), let .signExtend(a), let .memoryRead(_, a): stack.append(a)
            case let .binary(_, a, b): stack += [a, b]
            case let .mux(s, a, b): stack += [s, a, b]
            case let .concat(parts): stack += parts
            }
        }
        return live
    }

    /// How many assignments to `signal` sit inside a `when` (its conditional updates).
    static func conditionalUpdates(of signal: Int, in block: [Statement], inside: Bool = false) -> Int {
        block.reduce(0) { count, s in
            switch s {
            case let .assign(t, _, _): return count + (t == signal && inside ? 1 : 0)
            case let .when(_, then, otherwise, _):
                return count + conditionalUpdates(of: signal, in: then, inside: true) + conditionalUpdates(of: signal, in: otherwise, inside: true)
            }
        }
    }

    static func dropping(update k: Int, of signal: Int, from block: [Statement], inside: Bool, seen: inout Int) -> [Statement] {
        var out: [Statement] = []
        for s in block {
            switch s {
            case let .assign(t, _, _):
                if t == signal && inside {
                    let drops = seen == k
                    seen += 1
                    if drops { continue }
                }
                out.append(s)
            case let .when(c, then, otherwise, loc):
                let a = dropping(update: k, of: signal, from: then, inside: true, seen: &seen)
                let b = dropping(update: k, of: signal, from: otherwise, inside: true, seen: &seen)
                out.append(.when(condition: c, then: a, otherwise: b, location: loc))
            }
        }
        return out
    }
}
