import Loom
import Testing

/// The text of a parameter out of range, bounds included, at the edges of the integer types.
@Suite struct ParameterTests {
    @Test func boundsReadAsTheSpecWritesThem() {
        #expect(Parameter("MKEYS", 0, in: 1...65536).message == "MKEYS must be between 1 and 65536, got 0")
        #expect(Parameter("ACK_TIMEOUT", -1, in: 0...(1 << 24)).message == "ACK_TIMEOUT must be between 0 and 2^24, got -1")
        #expect(Parameter("MAX_VISITS", UInt64(0), in: 1...(1 << 63) - 1).message == "MAX_VISITS must be between 1 and 2^63 - 1, got 0")
        #expect(Parameter("ANY", UInt64(0), in: 1...UInt64.max).message == "ANY must be between 1 and 2^64 - 1, got 0")
        #expect(Parameter("LANES", UInt8(0), in: 1...255).message == "LANES must be between 1 and 255, got 0")
    }

    @Test func validityFollowsTheRange() {
        #expect(Parameter("ANY", UInt64.max, in: 1...UInt64.max).isValid)
        #expect(!Parameter("QPS", 257, in: 1...256).isValid)
        #expect(Parameter("DEPTH", 64, powerOfTwoIn: 2...65536).isValid)
        #expect(!Parameter("DEPTH", 48, powerOfTwoIn: 2...65536).isValid)
        // 0 is no power of two, even where the range holds it (and an unsigned 0 does not trap).
        #expect(!Parameter("DEPTH", UInt32(0), powerOfTwoIn: 0...16).isValid)
        #expect(Parameter("DEPTH", UInt32(0), powerOfTwoIn: 0...16).message == "DEPTH must be a power of two between 0 and 16, got 0")
    }
}
