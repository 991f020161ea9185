import AdapterSpec
import Loom

/// The oldest work request (in the head register, not yet forwarded) and what can be done with it
/// at once (SPEC 4.2 rules 1, 5, 7): forwarded with 0x02 for a QP `>= QPS`, with 0x05 in
/// ERROR, with the session when connected to its target. Anything else waits for the
/// handshake.
struct HeadDecision {
    let m: ModuleBuilder
    let wr: Stream
    var request: Record { wr.payload }
    /// The QP as a table index (meaningful when `inRange`).
    let qp: Bits
    let inRange: Bits
    let inError: Bits
    /// Connected, to any target.
    let connected: Bits
    let connectedToTarget: Bits
    let peer: (dct: Bits, key: Bits, session: Bits)
    /// The head needs a handshake: valid, in range, not in ERROR, not connected to its target.
    let needsHandshake: Bits

    /// `wr` is the head register's stream; `flags` what is known of its QP.
    init(_ m: ModuleBuilder, wr: Stream, table: ConnectionTable, flags: HeadFlags, qps: Int) {
        self.m = m
        self.wr = wr
        qp = m.wire("head_qp", wr.payload.qp.resized(to: table.qpIndexWidth))
        inRange = m.wire("head_in_range", wr.payload.qp < qps)
        inError = m.wire("head_in_error", flags.headError)
        peer = (m.wire("head_peer_dct", m.select(table.peerDct, qp)), m.wire("head_peer_key", m.select(table.peerKey, qp)),
                m.wire("head_peer_session", m.select(table.peerSession, qp)))
        connected = m.wire("head_connected", inRange & m.select(table.connected, qp))
        connectedToTarget = m.wire("head_connected_to_target", flags.headMatch)
        needsHandshake = m.wire("head_needs_handshake", wr.valid & inRange & !inError & !connectedToTarget)
    }

    /// Offers the head on `forwarded` when it can go now, or when the handshake lets it go
    /// (a half-handshake CONNECT transferring, or the connect timeout giving up); `wr` is
    /// accepted when the beat is taken.
    func forward(into forwarded: Stream, plan: Handshake.Plan) {
        let now = !inRange | inError | connectedToTarget | plan.forwardsNow | plan.givesUp
        let status = mux(!inRange, m.lit(Syndrome.localQpOp, width: 8),
                         mux(inError, m.lit(Syndrome.flush, width: 8),
                             mux(plan.givesUp, m.lit(Syndrome.transportRetryExceeded, width: 8), m.lit(0, width: 8))))
        m.when(wr.valid & now) {
            forwarded.valid.drive(1)
            for field in wr.layout.fields { forwarded.payload[field.name].drive(request[field.name]) }
            forwarded.payload.session.drive(mux(connectedToTarget & !inError, peer.session, m.lit(0, width: 16)))
            forwarded.payload.status.drive(status)
        }
        wr.ready.drive(forwarded.fire)
    }
}
