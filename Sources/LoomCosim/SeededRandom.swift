/// SplitMix64: a small, fast, seedable generator. One seed drives a whole test, Swift side
/// and Verilator (`loom_create(seed)`) alike, so a failing seed replays exactly.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed ^ 0x5DEE_CE66_D1CE_4E5B }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `percent`/100.
    @inlinable
    public mutating func chance(_ percent: Int) -> Bool { next() % 100 < UInt64(percent) }

    public mutating func below(_ n: UInt64) -> UInt64 { n == 0 ? 0 : next() % n }
}
