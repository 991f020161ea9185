// Hand-written C++ Verilator test bench for mac_pipeline: the reference point for the Swift
// lockstep runner's speed. Same stimulus (SplitMix64, same draw split), same per-cycle check
// against a C++ model of the design, same clocking (inputs, eval, sample, rising edge).
//
// Built and run by `loom bench cosim` against the same Verilated objects as the Swift run.
// Usage: mac_bench <seed> <cycles>; prints "<cycles> <seconds> <checksum>".
#include "Vloom_model.h"
#include "verilated.h"
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
struct SplitMix {
    uint64_t state;
    explicit SplitMix(uint64_t seed) : state(seed ^ 0x5DEECE66D1CE4E5BULL) {}
    uint64_t next() {
        state += 0x9E3779B97F4A7C15ULL;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
};

struct Model {
    uint64_t s1Valid = 0, s1Product = 0, s1Clear = 0, acc = 0, count = 0, outValid = 0;
    void cycle(uint64_t rst, uint64_t inValid, uint64_t a, uint64_t b, uint64_t clear, uint64_t *out) {
        out[0] = outValid; out[1] = acc; out[2] = count;
        if (rst) { *this = Model(); return; }
        if (s1Clear) { acc = s1Valid ? s1Product : 0; count = s1Valid ? 1 : 0; }
        else if (s1Valid) { acc = (acc + s1Product) & 0xffffffffffffULL; count = (count + 1) & 0xffff; }
        outValid = s1Valid;
        s1Valid = inValid; s1Product = a * b; s1Clear = clear;
    }
};
}  // namespace

int main(int argc, char **argv) {
    if (argc != 3) { std::fprintf(stderr, "usage: %s <seed> <cycles>\n", argv[0]); return 2; }
    const uint64_t seed = std::strtoull(argv[1], nullptr, 10);
    const uint64_t cycles = std::strtoull(argv[2], nullptr, 10);
    VerilatedContext context;
    Vloom_model top(&context);
    Model model;
    uint64_t expected[3];
    // Reset: two cycles with rst high, as the Swift runner does.
    top.clk = 0; top.rst = 1; top.in_valid = 0; top.a = 0; top.b = 0; top.clear = 0;
    for (int i = 0; i < 2; i++) {
        top.clk = 0; top.eval(); model.cycle(1, 0, 0, 0, 0, expected); top.clk = 1; top.eval();
    }
    top.rst = 0;
    SplitMix rng(seed);
    uint64_t checksum = 0;
    auto start = std::chrono::steady_clock::now();
    for (uint64_t c = 0; c < cycles; c++) {
        const uint64_t r = rng.next();
        const uint64_t inValid = r & 1, a = (r >> 16) & 0xffff, b = (r >> 32) & 0xffff, clear = ((r >> 1) & 31) == 0;
        top.clk = 0;
        top.in_valid = inValid; top.a = a; top.b = b; top.clear = clear;
        top.eval();
        model.cycle(0, inValid, a, b, clear, expected);
        if (top.out_valid != expected[0] || top.acc != expected[1] || top.count != expected[2]) {
            std::fprintf(stderr, "mismatch at cycle %llu\n", (unsigned long long)c);
            return 1;
        }
        checksum += top.acc;
        top.clk = 1;
        top.eval();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%llu %.6f %llu\n", (unsigned long long)cycles, seconds, (unsigned long long)checksum);
    top.final();
    return 0;
}
