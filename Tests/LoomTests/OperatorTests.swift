import Loom
import LoomCosim
import LoomSim
import Testing

/// Every operator through the native simulator, against Swift arithmetic on random values.
@Suite struct OperatorTests {
    /// A combinational design: inputs `a` (wa bits), `b` (wb bits), output `y` = f(a, b).
    func check(_ wa: Int, _ wb: Int, _ f: @escaping (Bits, Bits) -> Bits, _ reference: (UInt64, UInt64) -> UInt64,
               samples: Int = 200, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var widthOut = 0
        let design = try elaborate(Probe(name: "op", isCombinational: true) { m in
            let y = f(m.input("a", width: wa), m.input("b", width: wb))
            widthOut = y.width
            m.output("y", width: y.width).drive(y)
        })
        let sim = Simulator(design)
        var rng = SeededRandom(seed: UInt64(wa * 131 + wb))
        let corners: [UInt64] = [0, 1, ~0, 1 << 63, (1 << 63) - 1]
        for k in 0..<samples {
            let a = (k < corners.count ? corners[k] : rng.next()) & mask(wa)
            let b = (k < corners.count ? corners[corners.count - 1 - k] : rng.next()) & mask(wb)
            sim.poke("a", a)
            sim.poke("b", b)
            let expected = reference(a, b) & mask(widthOut)
            #expect(sim.peek("y") == expected, "a=\(a) b=\(b)", sourceLocation: sourceLocation)
        }
    }

    func sx(_ v: UInt64, _ w: Int) -> Int64 { w == 64 ? Int64(bitPattern: v) : Int64(bitPattern: v << UInt64(64 - w)) >> Int64(64 - w) }

    @Test func wrappingArithmeticKeepsWidth() throws {
        for w in [1, 7, 8, 33, 64] {
            try check(w, w, { $0 &+ $1 }, { $0 &+ $1 })
            try check(w, w, { $0 &- $1 }, { $0 &- $1 })
            try check(w, w, { $0 &* $1 }, { $0 &* $1 })
        }
        // Unequal widths: the narrower operand is zero-extended first.
        try check(12, 5, { $0 &+ $1 }, { $0 &+ $1 })
    }

    @Test func wideningArithmeticGrows() throws {
        try check(8, 8, { (a: Bits, b: Bits) -> Bits in
            let s = a + b
            #expect(s.width == 9)
            return s
        }, { $0 + $1 })
        try check(8, 8, { $0 - $1 }, { $0 &- $1 })  // 9-bit two's complement difference
        try check(16, 12, { (a: Bits, b: Bits) -> Bits in
            let p = a * b
            #expect(p.width == 28)
            return p
        }, { $0 * $1 })
        try check(31, 31, { $0 + $1 }, { $0 + $1 })
    }

    @Test func bitwiseAndShifts() throws {
        try check(13, 13, { $0 & $1 }, { $0 & $1 })
        try check(13, 13, { $0 | $1 }, { $0 | $1 })
        try check(13, 13, { $0 ^ $1 }, { $0 ^ $1 })
        try check(13, 1, { a, _ in ~a }, { a, _ in ~a })
        try check(16, 5, { $0 << $1 }, { a, b in b >= 16 ? 0 : a << b })
        try check(16, 5, { $0 >> $1 }, { a, b in b >= 16 ? 0 : a >> b })
        try check(16, 5, { ($0.asSigned >> $1).asUnsigned }, { a, b in UInt64(bitPattern: self.sx(a, 16) >> Int64(min(b, 63))) })
        try check(16, 1, { a, _ in a << 3 }, { a, _ in a << 3 })
        try check(16, 1, { a, _ in a >> 3 }, { a, _ in a >> 3 })
    }

    @Test func comparisonsUnsignedAndSigned() throws {
        for w in [1, 6, 64] {
            try check(w, w, { $0 == $1 }, { $0 == $1 ? 1 : 0 })
            try check(w, w, { $0 != $1 }, { $0 != $1 ? 1 : 0 })
            try check(w, w, { $0 < $1 }, { $0 < $1 ? 1 : 0 })
            try check(w, w, { $0 <= $1 }, { $0 <= $1 ? 1 : 0 })
            try check(w, w, { $0 > $1 }, { $0 > $1 ? 1 : 0 })
            try check(w, w, { $0 >= $1 }, { $0 >= $1 ? 1 : 0 })
            try check(w, w, { $0.asSigned < $1.asSigned }, { self.sx($0, w) < self.sx($1, w) ? 1 : 0 })
            try check(w, w, { $0.asSigned >= $1.asSigned }, { self.sx($0, w) >= self.sx($1, w) ? 1 : 0 })
        }
        // Comparing with a constant wider than the value is exact, not truncated.
        try check(4, 1, { a, _ in a == 20 }, { _, _ in 0 })
        try check(4, 1, { a, _ in a < 20 }, { _, _ in 1 })
    }

    @Test func slicesExtensionsConcatMuxReductions() throws {
        try check(20, 1, { a, _ in a[11, 4] }, { a, _ in (a >> 4) & 0xff })
        try check(20, 1, { a, _ in a[19] }, { a, _ in a >> 19 })
        try check(8, 8, { cat($0, $1) }, { $0 << 8 | $1 })
        try check(8, 1, { a, _ in a.zeroExtended(to: 12) }, { a, _ in a })
        try check(8, 1, { a, _ in a.signExtended(to: 12) }, { a, _ in UInt64(bitPattern: self.sx(a, 8)) & 0xfff })
        try check(8, 1, { a, _ in a.truncated(to: 3) }, { a, _ in a & 7 })
        try check(8, 8, { a, b in mux(a[0], a, b) }, { a, b in a & 1 == 1 ? a : b })
        try check(9, 1, { a, _ in a.andReduce() }, { a, _ in a == 0x1ff ? 1 : 0 })
        try check(9, 1, { a, _ in a.orReduce() }, { a, _ in a != 0 ? 1 : 0 })
        try check(9, 1, { a, _ in a.xorReduce() }, { a, _ in UInt64(a.nonzeroBitCount & 1) })
        try check(4, 4, { $0 && $1 }, { $0 != 0 && $1 != 0 ? 1 : 0 })
        try check(4, 4, { $0 || $1 }, { $0 != 0 || $1 != 0 ? 1 : 0 })
        try check(4, 1, { a, _ in !a }, { a, _ in a == 0 ? 1 : 0 })
        try check(3, 1, { a, _ in a.replicated(3) }, { a, _ in a << 6 | a << 3 | a })
    }

    @Test func valuesWiderThan64Bits() throws {
        // 100-bit constant, wide add with carry across words, wide shift and slice.
        let big = BitVector(width: 100, hex: "f_0000_0000_0000_0001_ffff_ffff")!
        let design = try elaborate(Probe(name: "wide", isCombinational: true) { m in
            let a = m.input("a", width: 64)
            let wideA = a.zeroExtended(to: 100)
            let sum = wideA &+ m.lit(big)
            m.output("sum", width: 100).drive(sum)
            m.output("top", width: 36).drive(sum[99, 64])
            m.output("shifted", width: 100).drive(wideA << 40)
            m.output("product", width: 128).drive(a * a)
            m.output("less", width: 1).drive(wideA < m.lit(big))
        })
        let sim = Simulator(design)
        sim.poke("a", 0xffff_ffff_0000_0001)
        // Expected values computed with Python's big integers; the low-word sum carries.
        #expect(sim.peekWide("sum") == BitVector(width: 100, hex: "f_0000_0001_0000_0001_0000_0000")!)
        #expect(sim.peek("top") == 0xf_0000_0001)
        #expect(sim.peekWide("shifted") == BitVector(width: 100, hex: "ff_ffff_f000_0000_1000_0000_000")!)
        let full = UInt64(0xffff_ffff_0000_0001).multipliedFullWidth(by: 0xffff_ffff_0000_0001)
        #expect(sim.peekWide("product").words == [full.low, full.high])
        #expect(sim.peek("less") == 1)
    }
}
