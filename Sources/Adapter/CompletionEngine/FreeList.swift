import Loom

/// The record pool's free list: slots never used are handed out first (counted by `fresh`),
/// then slots freed by retirements, which wait in a queue. It never overflows: at most
/// RECORDS slots are free.
struct FreeList {
    let fresh: Bits
    /// Retired slots go in (`update` drives it).
    let freed: Stream
    let queued: Stream
    let allocatesFresh: Bits
    /// The slot the next post takes, and whether there is one.
    let allocated: Bits
    let hasFreeSlot: Bits

    init(_ m: ModuleBuilder, records: Int) {
        let slotWidth = addressBits(records)
        fresh = m.register("fresh", width: addressBits(records + 1), reset: 0)
        freed = m.wireStream("freed", RecordLayout(["slot": slotWidth]))
        queued = freed.queue("free_list", depth: records)
        allocatesFresh = m.wire("allocates_fresh", fresh < records)
        hasFreeSlot = m.wire("has_free_slot", allocatesFresh | queued.valid)
        allocated = m.wire("allocated", mux(allocatesFresh, fresh.truncated(to: slotWidth), queued.payload.slot))
    }

    /// Takes the allocated slot when `posting`; frees `slot` when `freeing`.
    func update(_ m: ModuleBuilder, posting: Bits, freeing: Bits, slot: Bits) {
        m.when(posting & allocatesFresh) { fresh.drive(fresh &+ 1) }
        queued.ready.drive(posting & !allocatesFresh)
        freed.valid.drive(freeing)
        freed.payload.slot.drive(slot)
    }
}
