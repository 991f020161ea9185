import AdapterSpec
import Loom

/// The head request's way to a connection (SPEC 4.2 rules 2 to 4). Only the head ever
/// needs one, so one set of registers serves every QP:
/// - `phase`: 0 nothing offered; 1 its DISCONNECT offered on `ctl_out`; 2 its CONNECT
///   offered; 3 CONNECTING (full handshake: the CONNECT transferred, no `connack` yet).
/// - `connect_timer` counts the cycles since the last CONNECT transferred, up to
///   `CONNECT_TIMEOUT`; `resends` the CONNECTs sent again; `resend_offered` that one waits on
///   `ctl_out`.
///
/// A phase is entered when its beat is loaded into `ctl_out`, so a beat left there by a head
/// that was flushed meanwhile transfers while the phase is 0 and changes nothing.
struct Handshake {
    let m: ModuleBuilder
    let connectTimeout: Int
    let connectRetries: Int
    let phase: Bits
    let timer: Bits
    let resends: Bits
    let resendOffered: Bits

    /// What the handshake does to the head this cycle.
    struct Plan {
        /// The head's QP becomes connected to its target with `session`.
        let connects: Bits
        let session: Bits
        /// The head's QP's old connection ends (its DISCONNECT transferred).
        let disconnects: Bits
        /// Half handshake: the CONNECT transferred, the head goes with it.
        let forwardsNow: Bits
        /// Every CONNECT went unanswered: the head goes with 0x15 and its QP enters ERROR.
        let givesUp: Bits
    }

    init(_ m: ModuleBuilder, connectTimeout: Int, connectRetries: Int) {
        self.m = m
        self.connectTimeout = connectTimeout
        self.connectRetries = connectRetries
        phase = m.register("phase", width: 2, reset: 0)
        timer = m.register("connect_timer", width: addressBits(connectTimeout + 1), reset: 0)
        resends = m.register("resends", width: max(1, addressBits(connectRetries + 1)), reset: 0)
        resendOffered = m.register("resend_offered", width: 1, reset: 0)
    }

    /// `forwarding`: the head is taken by `xwr_out` this cycle.
    func advance(head: HeadDecision, control: Stream, controlSent: Bits, connack: Stream, fullHandshake: Bits, drained: Bits,
                 forwarding: Bits) -> Plan {
        let needs = head.needsHandshake
        let w = head.request
        let idle = phase == 0, disconnectOffered = phase == 1, connectOffered = phase == 2, connecting = phase == 3
        let answered = m.wire("answered", needs & connecting & connack.valid & (connack.payload.qp == w.qp))
        let connectExpired = m.wire("connect_expired", timer == connectTimeout)
        let waitedOut = needs & connecting & !answered & !resendOffered & connectExpired
        let givesUp = m.wire("gives_up", waitedOut & (resends == connectRetries))
        let resendDue = m.wire("resend_due", waitedOut & (resends != connectRetries))
        let sendsDisconnect = m.wire("sends_disconnect", needs & idle & head.connected & drained)
        let connectNow = m.wire("connect_now", (needs & idle & !head.connected) | (needs & disconnectOffered & controlSent) | resendDue)
        let connectDone = m.wire("connect_done", needs & connectOffered & controlSent)

        let zeroSession = m.lit(0, width: 16)
        m.when(sendsDisconnect) {
            control.offer(["kind": m.lit(ControlKind.disconnect, width: 1), "qp": w.qp, "dct": head.peer.dct, "dc_key": head.peer.key,
                           "session": head.peer.session])
        }.elsewhen(connectNow) {
            control.offer(["kind": m.lit(ControlKind.connect, width: 1), "qp": w.qp, "dct": w.dct, "dc_key": w.dc_key, "session": zeroSession])
        }

        m.when(!needs) {
            phase.drive(0)
            resendOffered.drive(0)
        }.elsewhen(idle & control.fire) {
            phase.drive(mux(sendsDisconnect, m.lit(1, width: 2), m.lit(2, width: 2)))
        }.elsewhen(disconnectOffered & controlSent) {
            phase.drive(2)
        }.elsewhen(connectDone) {
            phase.drive(mux(fullHandshake, m.lit(3, width: 2), m.lit(0, width: 2)))
            timer.drive(1)
            resends.drive(0)
        }.elsewhen(connecting) {
            m.when(answered | (givesUp & forwarding)) {
                phase.drive(0)
                resendOffered.drive(0)
            }.elsewhen(resendOffered & controlSent) {
                resendOffered.drive(0)
                timer.drive(1)
                resends.drive(resends &+ 1)
            }.elsewhen(resendDue & control.fire) {
                resendOffered.drive(1)
            }.elsewhen(!connectExpired) {
                timer.drive(timer &+ 1)
            }
        }

        return Plan(connects: m.wire("connects", (connectDone & !fullHandshake) | answered),
                    session: mux(answered, connack.payload.session, zeroSession),
                    disconnects: m.wire("disconnects", needs & disconnectOffered & controlSent),
                    forwardsNow: m.wire("half_connect_done", connectDone & !fullHandshake),
                    givesUp: givesUp)
    }
}
