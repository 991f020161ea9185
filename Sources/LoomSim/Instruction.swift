import Loom

/// One step of the simulator's straight-line program. Operands are word offsets into the
/// value array; `narrow` instructions have every value within one 64-bit word.
struct Instruction {
    enum Code: UInt8 {
        case copy, not, andReduce, orReduce, xorReduce
        case add, sub, mul, and, or, xor, shl, shr, sshr
        case eq, ne, ltu, leu, gtu, geu, lts, les, gts, ges
        case mux, concat, slice, zeroExtend, signExtend, memoryRead
    }
    var code: Code
    var narrow: Bool
    var dst: Int
    var a = 0, b = 0, c = 0
    var width: Int
    var aWidth = 0
    var bWidth = 0
    /// Slice: low bit. Memory read: memory index. Concat: index into `Compiler.concatParts`.
    var extra = 0
    var parts: [(offset: Int, width: Int)] = []
}

/// Orders the netlist's nodes so operands come first and lowers them to instructions.
struct Compiler {
    let net: Netlist
    let offset: [Int]

    func compile() -> [Instruction] {
        var order: [Int] = []
        var mark = [UInt8](repeating: 0, count: net.nodes.count)
        for root in 0..<net.nodes.count where mark[root] == 0 {
            var stack: [(Int, Bool)] = [(root, false)]
            while let (n, done) = stack.popLast() {
                if done { mark[n] = 2; order.append(n); continue }
                if mark[n] != 0 { continue }
                mark[n] = 1
                stack.append((n, true))
                for o in operands(n) where mark[o] == 0 { stack.append((o, false)) }
            }
        }
        return order.compactMap(instruction)
    }

    func operands(_ n: Int) -> [Int] {
        switch net.nodes[n].kind {
        case .constant, .state: return []
        case let .copy(a), let .unary(_, a), let .slice(a, _), let .zeroExtend(a), let .signExtend(a): return [a]
        case let .binary(_, a, b, _): return [a, b]
        case let .mux(s, a, b): return [s, a, b]
        case let .concat(parts): return parts
        case let .memoryRead(_, address): return [address]
        }
    }

    func instruction(_ n: Int) -> Instruction? {
        let node = net.nodes[n]
        let width = node.width
        let ops = operands(n)
        let narrow = width <= 64 && ops.allSatisfy { net.nodes[$0].width <= 64 }
        func w(_ x: Int) -> Int { net.nodes[x].width }
        var ins: Instruction
        switch node.kind {
        case .state:
            return nil
        case let .constant(v):
            // Constants are written once, at start-up, by the simulator.
            _ = v
            return nil
        case let .copy(a):
            ins = Instruction(code: .copy, narrow: narrow, dst: offset[n], a: offset[a], width: width)
        case let .unary(op, a):
            let code: Instruction.Code = [.not: .not, .andReduce: .andReduce, .orReduce: .orReduce, .xorReduce: .xorReduce][op]!
            ins = Instruction(code: code, narrow: narrow, dst: offset[n], a: offset[a], width: width, aWidth: w(a))
        case let .binary(op, a, b, signed):
            var code: Instruction.Code
            switch op {
            case .add: code = .add
            case .sub: code = .sub
            case .mul: code = .mul
            case .and: code = .and
            case .or: code = .or
            case .xor: code = .xor
            case .shl: code = .shl
            case .shr: code = .shr
            case .sshr: code = .sshr
            case .eq: code = .eq
            case .ne: code = .ne
            case .lt: code = signed ? .lts : .ltu
            case .le: code = signed ? .les : .leu
            case .gt: code = signed ? .gts : .gtu
            case .ge: code = signed ? .ges : .geu
            }
            ins = Instruction(code: code, narrow: narrow, dst: offset[n], a: offset[a], b: offset[b], width: width, aWidth: w(a), bWidth: w(b))
        case let .mux(s, a, b):
            ins = Instruction(code: .mux, narrow: narrow, dst: offset[n], a: offset[s], b: offset[a], c: offset[b], width: width)
        case let .concat(parts):
            ins = Instruction(code: .concat, narrow: narrow, dst: offset[n], width: width)
            ins.parts = parts.map { (offset[$0], w($0)) }
        case let .slice(a, lo):
            ins = Instruction(code: .slice, narrow: narrow, dst: offset[n], a: offset[a], width: width, aWidth: w(a), extra: lo)
        case let .zeroExtend(a):
            ins = Instruction(code: .zeroExtend, narrow: narrow, dst: offset[n], a: offset[a], width: width, aWidth: w(a))
        case let .signExtend(a):
            ins = Instruction(code: .signExtend, narrow: narrow, dst: offset[n], a: offset[a], width: width, aWidth: w(a))
        case let .memoryRead(m, address):
            ins = Instruction(code: .memoryRead, narrow: narrow, dst: offset[n], a: offset[address], width: width, aWidth: w(address), extra: m)
        }
        return ins
    }
}
