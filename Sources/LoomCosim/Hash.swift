/// A 128-bit content hash (two FNV-1a lanes) for cache keys; not for security.
struct ContentHash {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x8422_2325_cbf2_9ce4

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0001_0000_01B3 ^ (b >> 29)
        }
        a = (a ^ 0xff) &* 0x0000_0100_0000_01B3
    }

    var hex: String {
        let hi = String(a, radix: 16), lo = String(b, radix: 16)
        return String(repeating: "0", count: 16 - hi.count) + hi + String(repeating: "0", count: 16 - lo.count) + lo
    }
}
