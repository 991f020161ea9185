import Loom

/// A packet count the cutter chooses this cycle among values it holds in registers, carried
/// with the compares it needs against `headers_pushed`, each made on every candidate before
/// the choice. The choice is then a few multiplexers on single bits, so no 24-bit compare
/// stands between the cut and the header push or the message's end.
///
/// ```swift
/// let sendable = PacketCount.choose(resolved, final, otherwise: cutSoFar)
/// let headerPush = sendable.exceedsHeaders & ...
/// ```
struct PacketCount {
    let value: Bits
    /// `headers_pushed < value`.
    let exceedsHeaders: Bits
    /// `headers_pushed == value`, and `headers_pushed + 1 == value`.
    let equalsHeaders: Bits, equalsHeadersPlusOne: Bits
    let isNonzero: Bits

    /// `value` from registers; `headers` is `headers_pushed`.
    init(_ value: Bits, headers: Bits) {
        self.value = value
        exceedsHeaders = headers < value
        equalsHeaders = headers == value
        equalsHeadersPlusOne = (headers &+ 1) == value
        isNonzero = value != 0
    }

    /// `headers_pushed` itself.
    static func headers(_ headers: Bits, _ m: ModuleBuilder) -> PacketCount {
        PacketCount(value: headers, exceedsHeaders: m.false, equalsHeaders: m.true, equalsHeadersPlusOne: m.false, isNonzero: headers != 0)
    }

    private init(value: Bits, exceedsHeaders: Bits, equalsHeaders: Bits, equalsHeadersPlusOne: Bits, isNonzero: Bits) {
        (self.value, self.exceedsHeaders, self.equalsHeaders) = (value, exceedsHeaders, equalsHeaders)
        (self.equalsHeadersPlusOne, self.isNonzero) = (equalsHeadersPlusOne, isNonzero)
    }

    /// `whenTrue` where `select` is 1, else `whenFalse`, compares included.
    static func choose(_ select: Bits, _ whenTrue: PacketCount, otherwise whenFalse: PacketCount) -> PacketCount {
        PacketCount(value: mux(select, whenTrue.value, whenFalse.value),
                    exceedsHeaders: mux(select, whenTrue.exceedsHeaders, whenFalse.exceedsHeaders),
                    equalsHeaders: mux(select, whenTrue.equalsHeaders, whenFalse.equalsHeaders),
                    equalsHeadersPlusOne: mux(select, whenTrue.equalsHeadersPlusOne, whenFalse.equalsHeadersPlusOne),
                    isNonzero: mux(select, whenTrue.isNonzero, whenFalse.isNonzero))
    }

    /// `headers_pushed` after this cycle's push equals the count.
    func equalsHeaders(after push: Bits) -> Bits { mux(push, equalsHeadersPlusOne, equalsHeaders) }
}
