import AdapterSpec
import Loom

/// The planner register (SPEC 4.1 "Messages", rules 2 and 9): takes a `wr` beat, checks
/// opcode and length, computes the packet count `n` for the PMTU, takes the QP's PSNs
/// `p .. p+n-1` (mod 2^24; failed messages too) and counts the QP's messages not yet posted
/// (`qp_active`). It holds one message until the cutter takes it.
struct Planner {
    /// What the cutter needs of a message besides the request.
    static let layout = RecordLayout(ExecRequest.self).appending(["first_psn": 24, "packets": 24, "pre_status": 8, "gathers": 1, "sends": 1, "killed": 1])

    let m: ModuleBuilder
    let qps: Int
    let qpIndexWidth: Int
    let valid: Bits
    let plan: Record
    /// Per QP: the next PSN, and the messages accepted whose record has not transferred.
    let nextPsn: [Bits]
    let posting: [Bits]

    init(_ m: ModuleBuilder, qps: Int) {
        self.m = m
        self.qps = qps
        qpIndexWidth = max(1, addressBits(qps))
        valid = m.register("plan_valid", width: 1, reset: 0)
        plan = m.registerRecord("plan", Self.layout)
        nextPsn = m.registers("next_psn", count: qps, width: 24)
        posting = m.registers("posting", count: qps, width: 3)
    }

    /// Takes `wr` when the register is free or the cutter takes its message (`handOff`);
    /// `postedQp`: a record of that QP transferred on `post` this cycle.
    func accept(_ wr: Stream, pmtu: PathMTUBits, qpError: Bits, handOff: Bits, posted: Bits, postedQp: Bits) {
        let w = wr.payload
        let planTakes = m.wire("plan_takes", !valid | handOff)
        wr.ready.drive(wr.valid & planTakes)
        let inRange = w.qp < qps
        let q = w.qp.resized(to: qpIndexWidth)
        let isSend = w.opcode == WQEOpcode.send, isWrite = w.opcode == WQEOpcode.rdmaWrite, isRead = w.opcode == WQEOpcode.rdmaRead
        let opcodeOK = isSend | isWrite | isRead
        let lengthOK = w.len <= m.lit(1 << 31, width: 32)
        let packetCount = m.wire("packet_count", mux(opcodeOK & lengthOK, pmtu.packets(for: w.len), m.lit(1, width: 24)))
        let preStatus = mux(w.status != 0, w.status,
                            mux(!opcodeOK, m.lit(Syndrome.localQpOp, width: 8), mux(!lengthOK, m.lit(Syndrome.localLength, width: 8), m.lit(0, width: 8))))
        let psn = m.select(nextPsn, q)
        m.when(wr.fire) {
            for field in wr.layout.fields { plan[field.name].drive(w[field.name]) }
            plan.first_psn.drive(mux(inRange, psn, m.lit(0, width: 24)))
            plan.packets.drive(packetCount)
            plan.pre_status.drive(preStatus)
            plan.gathers.drive((isSend | isWrite) & (w.len != 0) & lengthOK)
            plan.sends.drive(inRange & (preStatus == 0))
            plan.killed.drive(inRange & m.select(bitsOf(qpError), q))
        }.elsewhen(valid) {
            // A message in the unit while its QP is in ERROR sends no packet (rule 8).
            m.when(m.select(bitsOf(qpError), plan.qp.resized(to: qpIndexWidth)) & (plan.qp < qps)) { plan.killed.drive(1) }
        }
        m.when(planTakes) { valid.drive(wr.valid) }
        for k in 0..<qps {
            let accepted = wr.fire & inRange & (q == k)
            let leaves = posted & (postedQp == k)
            m.when(accepted) { nextPsn[k].drive(psn &+ packetCount) }
            m.when(accepted & !leaves) { posting[k].drive(posting[k] &+ 1) }
                .elsewhen(leaves & !accepted) { posting[k].drive(posting[k] &- 1) }
        }
    }
}

/// The PMTU of the `pmtu` level input: 256 << (code - 1) bytes for codes 1 to 5, else 256.
struct PathMTUBits {
    let m: ModuleBuilder
    let code: Bits
    /// The PMTU in bytes (13 bits).
    let bytes: Bits

    init(_ m: ModuleBuilder, code: Bits) {
        self.m = m
        self.code = code
        var bytes = m.lit(256, width: 13)
        for c in 2...5 { bytes = mux(code == c, m.lit(128 << UInt64(c), width: 13), bytes) }
        self.bytes = m.wire("pmtu_bytes", bytes)
    }

    /// `max(1, ceil(len / PMTU))` for `len <= 2^31` (24 bits).
    func packets(for len: Bits) -> Bits {
        let lessOne = len &- 1
        var quotient = (lessOne >> 8).truncated(to: 24)
        for c in 2...5 { quotient = mux(code == c, (lessOne >> (7 + c)).truncated(to: 24), quotient) }
        return mux(len == 0, m.lit(1, width: 24), quotient &+ 1)
    }
}
