// The checks run when a module's body is complete: clock domain, names, drivers and
// combinational loops. Every problem is reported; none stops the others.

extension ModuleBuilder {
    func finish() -> ModuleIR {
        located(lastLocation)
        ir.body = blocks[0].freeze()
        addClockAndReset()
        checkNames()
        checkDrivers(ir.body)
        let deps = combinationalDependencies()
        checkLoops(deps)
        computeCombinationalPaths(deps)
        return ir
    }

    private func addClockAndReset() {
        let children = ir.instances.map { elaborator.modules[$0.module] }
        let hasRegisters = ir.signals.contains { $0.isRegister }
        let needsClock = hasRegisters || !ir.memories.isEmpty || children.contains { $0.hasClock }
        let needsReset = hasRegisters || children.contains { $0.hasReset }
        var front: [Int] = []
        if needsClock && !isCombinational {
            front.append(declare("clk", width: 1, signed: false, kind: .input, at: .loom).signal)
            ir.hasClock = true
        }
        if needsReset && !isCombinational {
            front.append(declare("rst", width: 1, signed: false, kind: .input, at: .loom).signal)
            ir.hasReset = true
        }
        if isCombinational, let child = children.first(where: { $0.hasClock }),
           let inst = ir.instances.first(where: { elaborator.modules[$0.module].name == child.name }) {
            error(inst.location, "instance '\(inst.name)' needs a clock domain: module '\(ir.name)' is combinational")
        }
        ir.ports = front + ir.ports
    }

    private func checkNames() {
        if let problem = nameProblem(ir.name) {
            error(.loom, "module name '\(ir.name)' \(problem)")
        }
        var seen: [String: SourceLocation] = [:]
        func check(_ name: String, _ what: String, _ loc: SourceLocation) {
            if let problem = nameProblem(name) {
                error(loc, "\(what) name '\(name)' \(problem)")
            }
            if let first = seen[name] {
                let firstText = first == .loom ? "by Loom for the clock domain" : "at \(first)"
                error(loc, "name '\(name)' is already used in module '\(ir.name)' (declared \(firstText))")
            } else {
                seen[name] = loc
            }
        }
        // Loom's own clk/rst first, so a user's clashing name is the one reported.
        for s in ir.signals where s.location == .loom { check(s.name, "port", s.location) }
        for s in ir.signals where s.location != .loom {
            switch s.kind {
            case .input, .output: check(s.name, "port", s.location)
            case .wire: check(s.name, "wire", s.location)
            case .register: check(s.name, "register", s.location)
            case .memoryReadData: check(s.name, "memory read data", s.location)
            case .instanceInput, .instanceOutput: check(s.name, "instance port", s.location)
            }
        }
        for m in ir.memories { check(m.name, "memory", m.location) }
        for i in ir.instances { check(i.name, "instance", i.location) }
    }

    /// Undriven and partly driven signals, double drivers, registers without reset.
    private func checkDrivers(_ body: [Statement]) {
        var driven = Set<Int>()
        func scan(_ block: [Statement]) {
            var unconditional: [Int: SourceLocation] = [:]
            for s in block {
                switch s {
                case let .assign(target, _, loc):
                    driven.insert(target)
                    if let first = unconditional[target] {
                        error(loc, "'\(displayName(target))' has two drivers: \(first) and \(loc)")
                    }
                    unconditional[target] = loc
                case let .when(_, then, otherwise, _):
                    scan(then)
                    scan(otherwise)
                }
            }
        }
        scan(body)
        for (i, s) in ir.signals.enumerated() {
            switch s.kind {
            case .register(let reset):
                if reset == nil { error(s.location, "register '\(s.name)' has no reset value") }
            case .output, .wire, .instanceInput:
                let what: String
                switch s.kind {
                case .output: what = "output '\(s.name)'"
                case let .instanceInput(inst, port): what = "input '\(port)' of instance '\(ir.instances[inst].name)'"
                default: what = "wire '\(s.name)'"
                }
                if !driven.contains(i) {
                    if !attemptedDrives.contains(i) { error(s.location, "\(what) has no driver") }
                } else if !covers(body, i) {
                    error(firstDrive[i] ?? s.location, "\(what) is not driven on every path; drive a default or add an otherwise branch")
                }
            default:
                break
            }
        }
    }

    private func covers(_ block: [Statement], _ target: Int) -> Bool {
        block.contains {
            switch $0 {
            case let .assign(t, _, _): return t == target
            case let .when(_, then, otherwise, _): return covers(then, target) && covers(otherwise, target)
            }
        }
    }

    /// For each signal, the nodes its value depends on combinationally (values and conditions).
    func combinationalDependencies() -> [[NodeID]] {
        var deps = [[NodeID]](repeating: [], count: ir.signals.count)
        func walk(_ block: [Statement], _ conditions: [NodeID]) {
            for s in block {
                switch s {
                case let .assign(target, value, _):
                    if !ir.signals[target].isRegister {
                        deps[target].append(value)
                        deps[target].append(contentsOf: conditions)
                    }
                case let .when(c, then, otherwise, _):
                    walk(then, conditions + [c])
                    walk(otherwise, conditions + [c])
                }
            }
        }
        walk(ir.body, [])
        // An instance output depends on the instance inputs the child's paths name.
        for (i, s) in ir.signals.enumerated() {
            guard case let .instanceOutput(inst, port) = s.kind else { continue }
            let child = elaborator.modules[ir.instances[inst].module]
            for inputName in child.combinationalPaths[port] ?? [] {
                if let c = ir.instances[inst].connections.first(where: { $0.port == inputName }) {
                    deps[i].append(add(.signal(c.signal), width: ir.signals[c.signal].width))
                }
            }
        }
        return deps
    }

    func operands(_ node: NodeID, _ deps: [[NodeID]]) -> [NodeID] {
        switch ir.nodes[node].op {
        case .constant: return []
        case let .signal(s): return deps[s]
        case let .unary(_, a), let .slice(a, _, _), let .zeroExtend(a), let .signExtend(a): return [a]
        case let .binary(_, a, b): return [a, b]
        case let .mux(s, a, b): return [s, a, b]
        case let .concat(parts): return parts
        case let .memoryRead(_, address): return [address]
        }
    }

    private func checkLoops(_ deps: [[NodeID]]) {
        // Iterative depth-first search; a back edge closes a loop.
        var state = [UInt8](repeating: 0, count: ir.nodes.count) // 0 new, 1 on stack, 2 done
        var reported = Set<Set<Int>>()
        for root in 0..<ir.nodes.count where state[root] == 0 {
            var stack: [(node: NodeID, next: Int, ops: [NodeID])] = [(root, 0, operands(root, deps))]
            state[root] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next < stack[top].ops.count {
                    let child = stack[top].ops[stack[top].next]
                    stack[top].next += 1
                    if state[child] == 0 {
                        state[child] = 1
                        stack.append((child, 0, operands(child, deps)))
                    } else if state[child] == 1, let start = stack.firstIndex(where: { $0.node == child }) {
                        reportLoop(stack[start...].map(\.node), &reported)
                    }
                } else {
                    state[stack[top].node] = 2
                    stack.removeLast()
                }
            }
        }
    }

    private func reportLoop(_ path: [NodeID], _ reported: inout Set<Set<Int>>) {
        // The named signals on the loop, in the order values flow (reverse of the search path).
        var hops: [Int] = []
        for node in path.reversed() {
            if case let .signal(s) = ir.nodes[node].op, hops.last != s { hops.append(s) }
        }
        guard !hops.isEmpty, reported.insert(Set(hops)).inserted else { return }
        // Start at the hop declared first so the report does not depend on search order.
        let first = hops.indices.min { (ir.signals[hops[$0]].location, hops[$0]) < (ir.signals[hops[$1]].location, hops[$1]) }!
        hops = Array(hops[first...] + hops[..<first])
        let names = (hops + [hops[0]]).map { "'\(displayName($0))'" }.joined(separator: " -> ")
        let lines = hops.map { "\n  '\(displayName($0))' driven at \(firstDrive[$0] ?? ir.signals[$0].location)" }.joined()
        error(firstDrive[hops[0]] ?? ir.signals[hops[0]].location, "combinational loop: \(names)\(lines)")
    }

    /// Which inputs each output depends on combinationally (used by parents' loop checks).
    private func computeCombinationalPaths(_ deps: [[NodeID]]) {
        var memo: [NodeID: Set<Int>] = [:]
        var visiting = Set<NodeID>()
        func inputsOf(_ root: NodeID) -> Set<Int> {
            // Iterative post-order to stay safe on deep expression chains.
            var stack: [(NodeID, Bool)] = [(root, false)]
            while let (node, expanded) = stack.popLast() {
                if memo[node] != nil { continue }
                let ops = operands(node, deps)
                if expanded {
                    var result = Set<Int>()
                    if case let .signal(s) = ir.nodes[node].op, ir.signals[s].kind == .input { result.insert(s) }
                    for o in ops { result.formUnion(memo[o] ?? []) }
                    memo[node] = result
                    visiting.remove(node)
                } else {
                    if visiting.contains(node) { continue }  // a loop, already reported
                    visiting.insert(node)
                    stack.append((node, true))
                    for o in ops where memo[o] == nil { stack.append((o, false)) }
                }
            }
            return memo[root] ?? []
        }
        for p in ir.ports where ir.signals[p].kind == .output {
            let node = add(.signal(p), width: ir.signals[p].width)
            ir.combinationalPaths[ir.signals[p].name] = Set(inputsOf(node).map { ir.signals[$0].name })
        }
    }
}
