import Examples
import Foundation
import Loom
import LoomCosim
import Testing

/// Building, caching and driving a Verilated model through the C shim.
@Suite(.serialized) struct ModelBuildTests {
    @Test func counterRunsThroughTheShim() throws {
        let model = try VerilatedModel(try elaborate(Counter(width: 8)))
        let layout = model.layout
        #expect(layout.inputs.map(\.name) == ["rst", "en", "clear"])
        #expect(layout.outputs.map(\.name) == ["count", "wrapped"])
        model.reset()
        var inputs = [UInt64](repeating: 0, count: layout.inputWords)
        inputs[layout.input("en")!.wordOffset] = 1
        for expected in 0..<300 {
            let out = model.cycle(inputs)
            #expect(out[layout.output("count")!.wordOffset] == UInt64(expected % 256))
        }
    }

    @Test func secondLoadComesFromTheCache() throws {
        // The time it takes is a figure of `loom bench cosim`, not a timed test.
        let design = try elaborate(Counter(width: 8))
        _ = try VerilatedModel(design)
        let again = try VerilatedModel(design)
        #expect(again.wasCached)
        let changed = try VerilatedModel(try elaborate(Counter(width: 9)))
        #expect(changed.libraryPath != again.libraryPath)
    }

    @Test func widePortsTravelAsSeveralWords() throws {
        let design = try elaborate(WidePassThrough())
        let model = try VerilatedModel(design)
        let x: [UInt64] = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0xffff_ffff_ffff_ffff]
        let out = model.cycle(x)
        // 130-bit input: the third word is masked to 2 bits; the output is input + 1.
        #expect(out == [0x0123_4567_89ab_cdf0, 0xfedc_ba98_7654_3210, 0x3])
    }

    @Test func waveformFileIsWritten() throws {
        let model = try VerilatedModel(try elaborate(Counter(width: 8)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loom-wave-\(getpid()).vcd").path
        try model.startTrace(path)
        model.reset()
        for _ in 0..<10 { _ = model.cycle([0, 1, 0]) }
        model.stopTrace()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("$var"))
        #expect(text.contains(" count "))
    }
}

/// 130 bits in, the same plus one out: exercises multi-word packing both ways.
struct WidePassThrough: Module {
    var name: String { "wide_pass" }
    var isCombinational: Bool { true }
    func body(_ m: ModuleBuilder) {
        let a = m.input("a", width: 130)
        m.output("y", width: 130).drive(a &+ 1)
    }
}
