/// 24-bit serial-number order of PSNs (SPEC 3.1): `a` is at or before `b` when
/// `(b - a) mod 2^24 < 2^23`.
public enum SerialNumber {
    public static func atOrBefore(_ a: UInt32, _ b: UInt32) -> Bool {
        (b &- a) & 0xff_ffff < 0x80_0000
    }

    public static func before(_ a: UInt32, _ b: UInt32) -> Bool {
        a & 0xff_ffff != b & 0xff_ffff && atOrBefore(a, b)
    }
}
