/// An unsigned bit pattern of any width, stored as 64-bit words, least significant first.
/// Used for constants (including ones wider than 64 bits) and reset values.
public struct BitVector: Hashable, Sendable, CustomStringConvertible {
    public let width: Int
    public private(set) var words: [UInt64]

    public init(width: Int, words: [UInt64]) {
        precondition(width >= 1)
        self.width = width
        let count = (width + 63) / 64
        var w = Array(words.prefix(count))
        while w.count < count { w.append(0) }
        self.words = w
        maskTop()
    }

    public init(width: Int, value: UInt64) {
        self.init(width: width, words: [value])
    }

    /// Two's complement of `value` in `width` bits.
    public init(width: Int, signed value: Int64) {
        let fill: UInt64 = value < 0 ? ~0 : 0
        let count = (width + 63) / 64
        self.init(width: width, words: [UInt64(bitPattern: value)] + Array(repeating: fill, count: max(0, count - 1)))
    }

    /// Parses a hexadecimal string (`"ff_00"`, underscores allowed). Returns nil on a bad digit.
    public init?(width: Int, hex: String) {
        var words = [UInt64](repeating: 0, count: (width + 63) / 64)
        var bit = 0
        for ch in hex.reversed() where ch != "_" {
            guard let digit = ch.hexDigitValue else { return nil }
            let wordIndex = bit / 64
            if wordIndex < words.count { words[wordIndex] |= UInt64(digit) << UInt64(bit % 64) }
            bit += 4
        }
        self.init(width: width, words: words)
    }

    private mutating func maskTop() {
        let rem = width % 64
        if rem != 0 { words[words.count - 1] &= (UInt64(1) << UInt64(rem)) - 1 }
    }

    public var isZero: Bool { words.allSatisfy { $0 == 0 } }

    /// Bit `i`, 0 being the least significant.
    public func bit(_ i: Int) -> Bool { (words[i / 64] >> UInt64(i % 64)) & 1 == 1 }

    /// The number of bits needed to hold this value as an unsigned number (at least 1).
    public var significantWidth: Int {
        for i in stride(from: words.count - 1, through: 0, by: -1) where words[i] != 0 {
            return i * 64 + (64 - words[i].leadingZeroBitCount)
        }
        return 1
    }

    /// Lowercase hexadecimal digits, most significant first, without leading zeros.
    public var hexDigits: String {
        var s = ""
        var started = false
        for i in stride(from: words.count - 1, through: 0, by: -1) {
            let part = String(words[i], radix: 16)
            if started {
                s += String(repeating: "0", count: 16 - part.count) + part
            } else if words[i] != 0 || i == 0 {
                s += part
                started = true
            }
        }
        return s
    }

    public var description: String { "\(width)'h\(hexDigits)" }
}
