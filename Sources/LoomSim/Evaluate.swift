import Loom

@inline(__always) func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1 }

@inline(__always) func signed(_ v: UInt64, _ width: Int) -> Int64 {
    width >= 64 ? Int64(bitPattern: v) : Int64(bitPattern: v << UInt64(64 - width)) >> Int64(64 - width)
}

extension Simulator {
    /// Runs the program once: every node's value from the current state.
    func run() {
        program.withUnsafeBufferPointer { prog in
            values.withUnsafeMutableBufferPointer { v in
                for ins in prog {
                    if ins.narrow { narrow(ins, v) } else { wide(ins, v) }
                }
            }
        }
    }

    @inline(__always)
    func narrow(_ i: Instruction, _ v: UnsafeMutableBufferPointer<UInt64>) {
        let a = v[i.a], b = v[i.b]
        let m = mask(i.width)
        let r: UInt64
        switch i.code {
        case .copy: r = a
        case .not: r = ~a & m
        case .andReduce: r = a == mask(i.aWidth) ? 1 : 0
        case .orReduce: r = a != 0 ? 1 : 0
        case .xorReduce: r = UInt64(a.nonzeroBitCount & 1)
        case .add: r = (a &+ b) & m
        case .sub: r = (a &- b) & m
        case .mul: r = (a &* b) & m
        case .and: r = a & b
        case .or: r = a | b
        case .xor: r = a ^ b
        case .shl: r = b >= UInt64(i.width) ? 0 : (a << b) & m
        case .shr: r = b >= UInt64(i.width) ? 0 : a >> b
        case .sshr:
            let s = signed(a, i.aWidth)
            r = UInt64(bitPattern: s >> Int64(min(b, 63))) & m
        case .eq: r = a == b ? 1 : 0
        case .ne: r = a != b ? 1 : 0
        case .ltu: r = a < b ? 1 : 0
        case .leu: r = a <= b ? 1 : 0
        case .gtu: r = a > b ? 1 : 0
        case .geu: r = a >= b ? 1 : 0
        case .lts: r = signed(a, i.aWidth) < signed(b, i.bWidth) ? 1 : 0
        case .les: r = signed(a, i.aWidth) <= signed(b, i.bWidth) ? 1 : 0
        case .gts: r = signed(a, i.aWidth) > signed(b, i.bWidth) ? 1 : 0
        case .ges: r = signed(a, i.aWidth) >= signed(b, i.bWidth) ? 1 : 0
        case .mux: r = a & 1 == 1 ? v[i.b] : v[i.c]
        case .concat:
            var acc: UInt64 = 0
            for p in i.parts { acc = (p.width >= 64 ? 0 : acc << UInt64(p.width)) | v[p.offset] }
            r = acc
        case .slice: r = (a >> UInt64(i.extra)) & m
        case .zeroExtend: r = a
        case .signExtend: r = UInt64(bitPattern: signed(a, i.aWidth)) & m
        case .memoryRead:
            let words = memories[i.extra]
            r = a < UInt64(net.memories[i.extra].depth) ? words[Int(a)] : 0
        }
        v[i.dst] = r
    }

    func wide(_ i: Instruction, _ v: UnsafeMutableBufferPointer<UInt64>) {
        func read(_ offset: Int, _ width: Int) -> [UInt64] { Array(v[offset..<(offset + (width + 63) / 64)]) }
        let n = (i.width + 63) / 64
        var r = [UInt64](repeating: 0, count: n)
        let a = read(i.a, max(i.aWidth, i.code == .copy || i.code == .mux ? i.width : 1))
        switch i.code {
        case .copy: r = read(i.a, i.width)
        case .not: r = a.map { ~$0 }
        case .andReduce: r[0] = Wide.isAllOnes(a, i.aWidth) ? 1 : 0
        case .orReduce: r[0] = a.contains { $0 != 0 } ? 1 : 0
        case .xorReduce: r[0] = UInt64(a.reduce(0) { $0 + $1.nonzeroBitCount } & 1)
        case .add, .sub, .mul, .and, .or, .xor:
            let b = read(i.b, i.bWidth)
            switch i.code {
            case .add: r = Wide.add(a, b)
            case .sub: r = Wide.add(a, Wide.add(b.map { ~$0 }, [1] + Array(repeating: 0, count: b.count - 1)))
            case .mul: r = Wide.mul(a, b)
            case .and: r = zip(a, b).map { $0 & $1 }
            case .or: r = zip(a, b).map { $0 | $1 }
            default: r = zip(a, b).map { $0 ^ $1 }
            }
        case .shl, .shr, .sshr:
            let b = read(i.b, i.bWidth)
            let amount = b.dropFirst().contains { $0 != 0 } || b[0] > UInt64(i.width) ? i.width : Int(b[0])
            let fill = i.code == .sshr && Wide.bit(a, i.aWidth - 1)
            r = Wide.shift(a, width: i.width, by: i.code == .shl ? amount : -amount, fill: fill)
        case .eq, .ne, .ltu, .leu, .gtu, .geu, .lts, .les, .gts, .ges:
            let b = read(i.b, i.bWidth)
            let signedCompare = [.lts, .les, .gts, .ges].contains(i.code)
            let c = Wide.compare(a, b, width: i.aWidth, signed: signedCompare)
            let result: Bool
            switch i.code {
            case .eq: result = c == 0
            case .ne: result = c != 0
            case .ltu, .lts: result = c < 0
            case .leu, .les: result = c <= 0
            case .gtu, .gts: result = c > 0
            default: result = c >= 0
            }
            r[0] = result ? 1 : 0
        case .mux:
            r = v[i.a] & 1 == 1 ? read(i.b, i.width) : read(i.c, i.width)
        case .concat:
            var bit = i.width
            for p in i.parts {
                bit -= p.width
                Wide.insert(&r, read(p.offset, p.width), width: p.width, at: bit)
            }
        case .slice: r = Wide.extract(a, lo: i.extra, width: i.width)
        case .zeroExtend: for k in 0..<a.count { r[k] = a[k] }
        case .signExtend:
            let fill = Wide.bit(a, i.aWidth - 1)
            r = Wide.shift(Wide.shift(a, width: i.width, by: i.width - i.aWidth, fill: false), width: i.width, by: -(i.width - i.aWidth), fill: fill)
        case .memoryRead:
            let m = net.memories[i.extra]
            let wordsPer = (m.width + 63) / 64
            let address = a.dropFirst().contains { $0 != 0 } ? m.depth : Int(a[0])
            if address < m.depth { r = Array(memories[i.extra][(address * wordsPer)..<((address + 1) * wordsPer)]) }
        }
        // Mask the top word.
        let rem = i.width % 64
        if rem != 0 { r[n - 1] &= (UInt64(1) << UInt64(rem)) - 1 }
        for k in 0..<n { v[i.dst + k] = k < r.count ? r[k] : 0 }
    }
}

/// Multi-word arithmetic on little-endian word arrays.
enum Wide {
    static func bit(_ a: [UInt64], _ i: Int) -> Bool { i >= 0 && i / 64 < a.count && (a[i / 64] >> UInt64(i % 64)) & 1 == 1 }

    static func isAllOnes(_ a: [UInt64], _ width: Int) -> Bool { (0..<width).allSatisfy { bit(a, $0) } }

    static func add(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var r = [UInt64](repeating: 0, count: max(a.count, b.count))
        var carry: UInt64 = 0
        for k in 0..<r.count {
            let x = k < a.count ? a[k] : 0, y = k < b.count ? b[k] : 0
            let (s1, o1) = x.addingReportingOverflow(y)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            r[k] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return r
    }

    static func mul(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        let n = max(a.count, b.count)
        var r = [UInt64](repeating: 0, count: n)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            for j in 0..<(n - i) {
                let y = j < b.count ? b[j] : 0
                let (hi, lo) = a[i].multipliedFullWidth(by: y)
                let (s1, o1) = r[i + j].addingReportingOverflow(lo)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
        }
        return r
    }

    /// Shifts left by `by` (right when negative) within `width` bits, filling vacated high
    /// bits with `fill` on right shifts.
    static func shift(_ a: [UInt64], width: Int, by: Int, fill: Bool) -> [UInt64] {
        var r = [UInt64](repeating: 0, count: (width + 63) / 64)
        for i in 0..<width {
            let src = i - by
            let b = src < 0 ? false : (src >= width ? fill : bit(a, src))
            if b { r[i / 64] |= 1 << UInt64(i % 64) }
        }
        return r
    }

    static func extract(_ a: [UInt64], lo: Int, width: Int) -> [UInt64] {
        var r = [UInt64](repeating: 0, count: (width + 63) / 64)
        for i in 0..<width where bit(a, lo + i) { r[i / 64] |= 1 << UInt64(i % 64) }
        return r
    }

    static func insert(_ r: inout [UInt64], _ part: [UInt64], width: Int, at lo: Int) {
        for i in 0..<width where bit(part, i) { r[(lo + i) / 64] |= 1 << UInt64((lo + i) % 64) }
    }

    /// -1, 0, 1 for a < b, a == b, a > b.
    static func compare(_ a: [UInt64], _ b: [UInt64], width: Int, signed: Bool) -> Int {
        if signed {
            let sa = bit(a, width - 1), sb = bit(b, width - 1)
            if sa != sb { return sa ? -1 : 1 }
        }
        for k in stride(from: max(a.count, b.count) - 1, through: 0, by: -1) {
            let x = k < a.count ? a[k] : 0, y = k < b.count ? b[k] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}
