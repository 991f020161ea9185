import AdapterSpec
import Loom

/// `dc_initiator` (SPEC 4.2): every QP is a DC initiator that connects to the target its
/// work request names, forwards requests while connected, and on a change of target drains,
/// disconnects and connects again.
///
/// Stages, each a named piece of code:
/// - **Connection table** (`ConnectionTable`). Per QP: connected or not, the peer
///   `(dct, dc_key)` and session, and the rule 4 ERROR (`timed_out`) that lasts until
///   `qp_error` has risen and fallen.
/// - **Request registers** (`wr_pre`, `wr_head`, `HeadFlags`). Requests pass two register
///   stages. The one in `wr_pre` keeps its QP's table entry; the head in `wr_head` keeps
///   whether its QP is connected to its target, in ERROR, and was quiet last cycle, computed as
///   it loads and kept true while it waits.
/// - **Head decision** (`HeadDecision`). The oldest request (in `wr_head`) is
///   forwarded at once when its QP is `>= QPS` (0x02), in ERROR (0x05) or connected to its
///   target; otherwise it waits while the handshake below works for it. Requests leave in
///   `wr` order through the register stage `xwr_out`.
/// - **Handshake** (`Handshake`). The head's progress through DISCONNECT offered, CONNECT
///   offered and (full handshake) CONNECTING with its timer and resend count. Control beats
///   leave through the register stage `ctl_out`; a beat stays there when the head it served
///   was flushed, and its transfer then changes nothing.
///
/// Timing: a request is decided from `wr_head`, two cycles after it transfers on `wr`;
/// requests to a connected target still leave one a cycle. A half-handshake request is loaded
/// into `xwr_out` in the cycle its CONNECT transfers, and a switch's CONNECT in the cycle its
/// DISCONNECT transfers, so each follows one cycle later. The drain is seen a cycle late:
/// levels quiet and no `xwr` beat of the QP in a cycle, and still no such beat in the cycle
/// the DISCONNECT is loaded.
public struct DCInitiator: Module {
    public var qps: Int
    /// `CONNECT_TIMEOUT`: cycles without a `connack` before a CONNECT is sent again.
    public var connectTimeout: Int
    /// `CONNECT_RETRIES`: resends before the request fails with 0x15.
    public var connectRetries: Int

    public init(qps: Int = 16, connectTimeout: Int = 1024, connectRetries: Int = 3) {
        self.qps = qps
        self.connectTimeout = connectTimeout
        self.connectRetries = connectRetries
    }

    public var name: String { "dc_initiator" }

    public var parameters: [Parameter] {
        [Parameter("QPS", qps, in: 1...256, because: "wr_qp is 8 bits"),
         Parameter("CONNECT_TIMEOUT", connectTimeout, in: 1...(1 << 24)),
         Parameter("CONNECT_RETRIES", connectRetries, in: 0...255)]
    }

    public func body(_ m: ModuleBuilder) {
        let io = DCInitiatorInterface(m.ports(qps: qps))
        let wr = io.wr.stream, connack = io.connack.stream

        let table = ConnectionTable(m, qps: qps, qpError: io.qpError.bits)
        let forwarded = m.quietStream("forwarded", ExecRequest.self)
        let control = m.quietStream("control", ControlBeat.self)
        let xwrOut = forwarded.stage("xwr_out")
        let ctlOut = control.stage("ctl_out")
        io.xwr.stream.connect(from: xwrOut)
        io.ctl.stream.connect(from: ctlOut)
        connack.ready.drive(1)  // answers are never held back (rule 2)

        // Requests wait in two registers, with what is known of their QPs kept in registers
        // beside them (`HeadFlags`): the decision starts from flip-flops.
        let preRequest = wr.stage("wr_pre")
        let headRequest = preRequest.stage("wr_head")
        let flags = HeadFlags(m)
        let head = HeadDecision(m, wr: headRequest, table: table, flags: flags, qps: qps)
        let handshake = Handshake(m, connectTimeout: connectTimeout, connectRetries: connectRetries)
        let headDrained = m.wire("head_drained", flags.headQuiet & !(xwrOut.valid & (xwrOut.payload.qp == headRequest.payload.qp)))
        let plan = handshake.advance(head: head, control: control, controlSent: ctlOut.fire, connack: connack,
                                     fullHandshake: m.select(bitsOf(io.qpFullHandshake.bits), head.qp), drained: headDrained, forwarding: forwarded.fire)
        head.forward(into: forwarded, plan: plan)
        table.update(head: head, plan: plan, forwarding: forwarded.fire)
        flags.update(m, table: table, head: head, incoming: preRequest, loads: !headRequest.valid | headRequest.ready,
                     arriving: wr, preLoads: !preRequest.valid | preRequest.ready, plan: plan, xwrOut: xwrOut, busy: io.qpBusy.bits, active: io.qpActive.bits, qps: qps)
    }
}

/// The bits of a level port, bit `q` for QP `q`.
func bitsOf(_ level: Bits) -> [Bits] { (0..<level.width).map { level[$0] } }
