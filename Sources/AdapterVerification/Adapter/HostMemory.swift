import AdapterModel
import LoomCosim

/// Host memory for the adapter bench: a sparse byte store (unwritten bytes read as a hash of
/// their address) that takes `dma_req` beats with random back-pressure and answers them in
/// request order, after a random latency and with random gaps, 8 bytes a beat as SPEC 4.3
/// packs them (bytes past the request's end are random: the adapter must ignore them).
public final class HostMemory {
    var written: [UInt64: UInt8] = [:]
    var rng: SeededRandom
    let latency: ClosedRange<Int>
    let requestReadyPercent: Int, responseValidPercent: Int
    /// Requests taken, each with the cycle it may start answering and the beats sent so far.
    var queue: [(read: HostRead, due: Int, sent: Int)] = []
    var offered: DataBeat?
    var readyNow = false

    init(seed: UInt64, latency: ClosedRange<Int>, requestReadyPercent: Int, responseValidPercent: Int) {
        rng = SeededRandom(seed: seed)
        self.latency = latency
        self.requestReadyPercent = requestReadyPercent
        self.responseValidPercent = responseValidPercent
    }

    static func initial(_ addr: UInt64) -> UInt8 {
        var z = addr &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return UInt8(truncatingIfNeeded: z >> 32)
    }

    public func byte(_ addr: UInt64) -> UInt8 { written[addr] ?? Self.initial(addr) }
    func store(_ addr: UInt64, _ data: [UInt8]) { for (k, b) in data.enumerated() { written[addr &+ UInt64(k)] = b } }

    func drive(cycle: Int, request: StreamSlots<HostRead>, response: StreamSlots<DataBeat>, inputs: UnsafeMutablePointer<UInt64>) {
        readyNow = rng.chance(requestReadyPercent)
        inputs[request.ready] = readyNow ? 1 : 0
        if offered == nil, let head = queue.first, head.due <= cycle, rng.chance(responseValidPercent) {
            let beats = (Int(head.read.len) + 7) / 8
            var word: UInt64 = 0
            for k in 0..<8 {
                let offset = head.sent * 8 + k
                let b = offset < Int(head.read.len) ? byte(head.read.addr &+ UInt64(offset)) : UInt8(truncatingIfNeeded: rng.next())
                word |= UInt64(b) << UInt64(8 * k)
            }
            offered = DataBeat(data: word, last: head.sent + 1 == beats)
        }
        response.offer(offered, into: inputs, &rng)
    }

    /// Returns whether anything moved.
    func observe(cycle: Int, request: StreamSlots<HostRead>, response: StreamSlots<DataBeat>, outputs: UnsafePointer<UInt64>) -> Bool {
        var moved = false
        if readyNow && outputs[request.valid] & 1 == 1 {
            queue.append((request.read(outputs), cycle + latency.lowerBound + Int(rng.below(UInt64(latency.count))), 0))
            moved = true
        }
        if offered != nil && outputs[response.ready] & 1 == 1 {
            queue[0].sent += 1
            if offered!.last { queue.removeFirst() }
            offered = nil
            moved = true
        }
        return moved
    }
}
