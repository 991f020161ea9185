/// A visit: `len` bytes at `va` of `key`.
public struct SGVisit: Hashable, Sendable {
    public var key: UInt32
    public var va: UInt64
    public var len: UInt32
}
