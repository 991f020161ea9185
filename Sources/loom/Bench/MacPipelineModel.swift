import LoomCosim

/// Hand-written Swift model of `MacPipeline` (see its documentation), the benchmark's
/// per-cycle check. `sim/mac_bench.cpp` holds the same model in C++.
/// Inputs: rst, in_valid, a, b, clear; outputs: out_valid, acc, count (one word each).
final class MacPipelineModel: CycleModel {
    var s1Valid: UInt64 = 0, s1Product: UInt64 = 0, s1Clear: UInt64 = 0
    var acc: UInt64 = 0, count: UInt64 = 0, outValid: UInt64 = 0

    @inline(__always)
    func cycle(_ inputs: UnsafePointer<UInt64>, _ outputs: UnsafeMutablePointer<UInt64>) {
        outputs[0] = outValid
        outputs[1] = acc
        outputs[2] = count
        if inputs[0] & 1 == 1 {
            s1Valid = 0; s1Product = 0; s1Clear = 0; acc = 0; count = 0; outValid = 0
            return
        }
        if s1Clear == 1 {
            acc = s1Valid == 1 ? s1Product : 0
            count = s1Valid == 1 ? 1 : 0
        } else if s1Valid == 1 {
            acc = (acc &+ s1Product) & 0xffff_ffff_ffff
            count = (count &+ 1) & 0xffff
        }
        outValid = s1Valid
        s1Valid = inputs[1] & 1
        s1Product = (inputs[2] & 0xffff) &* (inputs[3] & 0xffff)
        s1Clear = inputs[4] & 1
    }
}

/// The benchmark's stimulus: SplitMix64 from the seed, the same sequence `sim/mac_bench.cpp`
/// draws: one draw per cycle split into in_valid (bit 0), clear (bits 1-5 all zero: 1/32),
/// a (bits 16-31) and b (bits 32-47).
final class MacPipelineStimulus: Stimulus {
    var rng: SeededRandom
    let cycles: Int
    var done = 0
    init(seed: UInt64, cycles: Int) {
        rng = SeededRandom(seed: seed)
        self.cycles = cycles
    }

    @inline(__always)
    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        let r = rng.next()
        inputs[1] = r & 1
        inputs[2] = (r >> 16) & 0xffff
        inputs[3] = (r >> 32) & 0xffff
        inputs[4] = (r >> 1) & 31 == 0 ? 1 : 0
    }

    @inline(__always)
    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) { done = cycle + 1 }
    var finished: Bool { done >= cycles }
    var progress: Int { done }
    var failures: [String] { [] }
    var hasFailed: Bool { false }
    let coverage = Coverage()
}
