import AdapterSpec
import Loom

/// A complete group waiting in the grouper's registers for the visit generator: a stream
/// whose payload is the group's header (`pending_*`) and its members (`p<k>_*`). The
/// generator takes it (`take`) in the cycle the active group ends.
struct PendingGroup {
    /// valid: `pending_complete`; payload: error (one visit, the operation's error beat),
    /// last (ends its operation), id, count (members), count0, count1.
    let stream: Stream
    /// key, base, elem, stride0, stride1 of each member.
    let members: [Record]

    static let memberLayout = RecordLayout(["key": 32, "base": 64, "elem": 32, "stride0": 32, "stride1": 32])
}

extension SGWalker {
    /// Stage 2: checks each entry (SPEC 2.3) and gathers the members of the pending group.
    func group(_ m: ModuleBuilder, _ entries: Stream) -> PendingGroup {
        let g = maxGroup
        let skipping = m.register("skipping", width: 1, reset: 0)
        let pendingComplete = m.register("pending_complete", width: 1, reset: 0)
        let pending = m.registerRecord("pending", RecordLayout(["error": 1, "last": 1, "id": 8, "count": memberBits, "count0": 32, "count1": 32]))
        let pendingError = pending.error, pendingLast = pending.last, pendingId = pending.id
        let pendingCount = pending.count, pendingCount0 = pending.count0, pendingCount1 = pending.count1
        let members = (0..<g).map { m.registerRecord("p\($0)", PendingGroup.memberLayout) }
        let group = Stream(valid: pendingComplete, ready: m.wire("pending_ready", width: 1), payload: pending)
        let take = m.wire("take", group.fire)

        let e = entries.payload
        let isPlain = e.kind == SGKind.plain
        let isPattern = e.kind == SGKind.pattern
        // Counts as the group sees them: a PLAIN entry is one visit.
        let count0 = mux(isPattern, e.count0, m.lit(1, width: 32))
        let count1 = mux(isPattern, e.count1, m.lit(1, width: 32))
        let openCount = m.wire("open_count", mux(take, m.lit(0, width: memberBits), pendingCount))
        let groupOpen = openCount != 0
        let malformed = m.wire("malformed",
            !(isPlain | isPattern)
            | (isPlain & ((e.len == 0) | e.group | groupOpen))
            | (isPattern & ((e.len == 0) | (e.count0 == 0) | (e.count1 == 0) | e.too_many_visits))
            | (isPattern & groupOpen & ((e.count0 != pendingCount0) | (e.count1 != pendingCount1)))
            | (isPattern & (openCount == g))
            | (isPattern & e.group & e.last)
            | e.beyond_top)

        // The stage works when an entry waits and the pending group is free (or leaves now).
        entries.ready.drive(!pendingComplete | take)
        let consume = m.wire("consume", entries.fire)
        let closes = isPlain | !e.group
        m.when(take) {
            pendingComplete.drive(0)
            pendingCount.drive(0)
        }
        m.when(consume) {
            m.when(skipping) {
                m.when(e.last) {
                    skipping.drive(0)
                    pendingComplete.drive(1)
                    pendingError.drive(1)
                    pendingLast.drive(1)
                    pendingId.drive(e.id)
                    pendingCount.drive(1)
                }
            }.elsewhen(malformed) {
                pendingCount.drive(0)
                m.when(e.last) {
                    pendingComplete.drive(1)
                    pendingError.drive(1)
                    pendingLast.drive(1)
                    pendingId.drive(e.id)
                    pendingCount.drive(1)
                }.otherwise { skipping.drive(1) }
            }.otherwise {
                for k in 0..<g {
                    m.when(openCount == k) {
                        members[k].key.drive(e.key)
                        members[k].base.drive(e.addr)
                        members[k].elem.drive(e.len)
                        members[k].stride0.drive(mux(isPattern, e.stride0, m.lit(0, width: 32)))
                        members[k].stride1.drive(mux(isPattern, e.stride1, m.lit(0, width: 32)))
                    }
                }
                pendingCount.drive(openCount &+ 1)
                pendingCount0.drive(count0)
                pendingCount1.drive(count1)
                m.when(closes) {
                    pendingComplete.drive(1)
                    pendingError.drive(0)
                    pendingLast.drive(e.last)
                    pendingId.drive(e.id)
                }
            }
        }
        return PendingGroup(stream: group, members: members)
    }
}
