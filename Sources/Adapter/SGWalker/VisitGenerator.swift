import Loom

/// One visit per cycle, from the generator to the coalescer: a stream of registers and
/// the selected member's fields.
enum Visit {
    /// error (the error visit of a malformed operation), id, key, va, len, ends_op (the last
    /// visit of its operation).
    static let layout = RecordLayout(["error": 1, "id": 8, "key": 32, "va": 64, "len": 32, "ends_op": 1])
}

extension SGWalker {
    /// Stage 3: walks the active group, one visit per cycle, and takes the next pending group
    /// in the cycle the active one's last visit is taken.
    func generateVisits(_ m: ModuleBuilder, _ pending: PendingGroup) -> Stream {
        let active = m.registerRecord("active", RecordLayout(["valid": 1, "error": 1, "last": 1, "id": 8, "members": memberBits, "count0": 32, "count1": 32]))
        let activeValid = active.valid, activeError = active.error, activeLast = active.last, activeId = active.id
        let activeMembers = active.members, activeCount0 = active.count0, activeCount1 = active.count1
        let i0 = m.register("i0", width: 32, reset: 0)
        let i1 = m.register("i1", width: 32, reset: 0)
        let member = m.register("member", width: memberBits, reset: 0)
        let activeLayout = RecordLayout(["key": 32, "elem": 32, "stride0": 32, "stride1": 32, "row": 64, "cur": 64])
        let members = (0..<maxGroup).map { m.registerRecord("a\($0)", activeLayout) }

        let lastMember = member == (activeMembers &- 1)
        let lastI0 = i0 == (activeCount0 &- 1)
        let lastI1 = i1 == (activeCount1 &- 1)
        let lastVisit = m.wire("last_visit", activeError | (lastMember & lastI0 & lastI1))
        let visit = Stream(valid: activeValid, ready: m.wire("visit_ready", width: 1), payload: Visit.layout.unpack("visit", cat(
            activeError, activeId, m.select(members.map { $0.key }, member), m.select(members.map { $0.cur }, member),
            m.select(members.map { $0.elem }, member), activeLast & lastVisit)))
        let visitFire = m.wire("visit_fire", visit.fire)
        let group = pending.stream.payload
        pending.stream.ready.drive(!activeValid | (visitFire & lastVisit))

        m.when(visitFire) {
            m.when(lastVisit) {
                activeValid.drive(0)
            }.elsewhen(!lastMember) {
                member.drive(member &+ 1)
            }.otherwise {
                member.drive(0)
                m.when(!lastI0) {
                    i0.drive(i0 &+ 1)
                    for a in members { a.cur.drive(a.cur &+ a.stride0.zeroExtended(to: 64)) }
                }.otherwise {
                    i0.drive(0)
                    i1.drive(i1 &+ 1)
                    for (k, a) in members.enumerated() {
                        let nextRow = m.wire("next_row_\(k)", a.row &+ a.stride1.zeroExtended(to: 64))
                        a.row.drive(nextRow)
                        a.cur.drive(nextRow)
                    }
                }
            }
        }
        m.when(pending.stream.fire) {
            activeValid.drive(1)
            activeError.drive(group.error)
            activeLast.drive(group.last)
            activeId.drive(group.id)
            activeMembers.drive(group.count)
            activeCount0.drive(group.count0)
            activeCount1.drive(group.count1)
            i0.drive(0)
            i1.drive(0)
            member.drive(0)
            for (a, p) in zip(members, pending.members) {
                a.key.drive(p.key)
                a.elem.drive(p.elem)
                a.stride0.drive(p.stride0)
                a.stride1.drive(p.stride1)
                a.row.drive(p.base)
                a.cur.drive(p.base)
            }
        }
        return visit
    }
}
