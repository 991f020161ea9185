import LoomInterface

/// Cycle-accurate model of `dc_initiator`'s ports: SPEC 4.2 with the timing documented on
/// the DSL block (one head request, decided from a register two cycles after it transfers on
/// `wr`; the drain seen a cycle late; `xwr` and `ctl` each leave from one register; a
/// half-handshake request follows its CONNECT one cycle later, a switch's CONNECT its
/// DISCONNECT one cycle later; resends offered `CONNECT_TIMEOUT + 1` cycles after the last
/// CONNECT transferred).
///
/// `cycle` computes the outputs from the state and this cycle's inputs, then advances the
/// state as the clock edge does.
public struct DCInitiatorModel: ClockedModel {
    public struct Inputs: ModelInputs {
        public var rst = false
        public var wrValid = false
        public var wr = WorkRequest()
        public var connackValid = false
        public var connack = ConnectAck()
        public var xwrReady = false
        public var ctlReady = false
        public var qpFullHandshake: [Bool] = []
        public var qpBusy: [Bool] = []
        public var qpError: [Bool] = []
        public var qpActive: [Bool] = []
        public init() {}
    }

    public struct Outputs {
        public var wrReady = false
        public var connackReady = true
        public var xwrValid = false
        public var xwr = ExecRequest()
        public var ctlValid = false
        public var ctl = ControlBeat()
    }

    /// A QP's connection as the initiator knows it.
    struct Connection {
        var peer: DCTarget?
        var session: UInt16 = 0
        /// Rule 4's ERROR, and whether `qp_error` has been 1 since it began.
        var timedOut = false
        var errorSeen = false
    }

    /// Where the head request stands on its way to a connection.
    enum Progress: Equatable {
        case none, disconnectOffered, connectOffered
        /// Full handshake: its CONNECT transferred; `waited` cycles since (capped at the
        /// timeout), `resends` so far, a resend waiting on `ctl`.
        case connecting(waited: Int, resends: Int, resendOffered: Bool)
    }

    public let qps: Int, connectTimeout: Int, connectRetries: Int
    var connections: [Connection]
    var errorLast: [Bool]
    var progress = Progress.none
    /// The head register (`wr_head`): the oldest request not yet forwarded; `pre` (`wr_pre`),
    /// the one behind it.
    var head = Stage(beat: WorkRequest()), pre = Stage(beat: WorkRequest())
    /// Last cycle the head's QP had no `xwr` beat waiting and `qp_busy`, `qp_active` low: the
    /// drain is seen a cycle late (rule 3 allows a DISCONNECT 2 cycles after it).
    var headQuiet = false
    var xwrValid = false, xwr = ExecRequest()
    var ctlValid = false, ctl = ControlBeat()

    public init(qps: Int = 16, connectTimeout: Int = 1024, connectRetries: Int = 3) {
        (self.qps, self.connectTimeout, self.connectRetries) = (qps, connectTimeout, connectRetries)
        connections = Array(repeating: Connection(), count: qps)
        errorLast = Array(repeating: false, count: qps)
    }

    public mutating func cycle(_ i: Inputs) -> Outputs {
        var o = Outputs()
        o.xwrValid = xwrValid
        o.xwr = xwr
        o.ctlValid = ctlValid
        o.ctl = ctl
        if i.rst {
            connections = Array(repeating: Connection(), count: qps)
            errorLast = Array(repeating: false, count: qps)
            progress = .none
            head.valid = false
            pre.valid = false
            headQuiet = false
            xwrValid = false
            ctlValid = false
            return o
        }
        let xwrTakes = !xwrValid || i.xwrReady
        let ctlTakes = !ctlValid || i.ctlReady
        let ctlSent = ctlValid && i.ctlReady
        let w = head.beat
        let q = Int(w.qp)
        let inRange = q < qps
        let inError = inRange && (connections[q].timedOut || errorLast[q])
        let peer = inRange ? connections[q].peer : nil
        let connectedToTarget = peer == w.target
        let needs = head.valid && inRange && !inError && !connectedToTarget

        // The handshake's decisions for the head.
        var answered = false, givesUp = false, resendDue = false
        if needs, case let .connecting(waited, resends, resendOffered) = progress {
            answered = i.connackValid && i.connack.qp == w.qp
            let waitedOut = !answered && !resendOffered && waited == connectTimeout
            givesUp = waitedOut && resends == connectRetries
            resendDue = waitedOut && resends != connectRetries
        }
        let full = inRange && i.qpFullHandshake[q]
        let connectDone = needs && progress == .connectOffered && ctlSent
        let disconnects = needs && progress == .disconnectOffered && ctlSent
        let drained = headQuiet && !(xwrValid && xwr.request.qp == w.qp)
        let xwrQpNow: UInt8? = xwrValid ? xwr.request.qp : nil

        var newCtl: ControlBeat?
        if needs && progress == .none && peer != nil && drained {
            newCtl = ControlBeat(.disconnect, qp: w.qp, target: peer!, session: connections[q].session)
        } else if (needs && progress == .none && peer == nil) || (needs && progress == .disconnectOffered && ctlSent) || resendDue {
            newCtl = ControlBeat(.connect, qp: w.qp, target: w.target)
        }
        let ctlLoads = newCtl != nil && ctlTakes

        // The head goes now: out of range, ERROR, connected, half handshake done, or given up.
        let goes = head.valid && (!inRange || inError || connectedToTarget || (connectDone && !full) || givesUp)
        let forwarding = goes && xwrTakes
        let headTakes = head.accepts(consumerReady: forwarding)
        let preTakes = pre.accepts(consumerReady: headTakes)
        o.wrReady = preTakes
        if forwarding {
            let status: Syndrome? = !inRange ? .localQpOp : inError ? .flush : givesUp ? .transportRetryExceeded : nil
            let session = connectedToTarget && !inError ? connections[q].session : 0
            xwr = ExecRequest(w, session: session, status: status?.rawValue ?? 0)
        }
        if xwrTakes { xwrValid = forwarding }
        if ctlTakes {
            ctlValid = ctlLoads
            if let newCtl, ctlLoads { ctl = newCtl }
        }

        // The head's progress.
        if !needs {
            progress = .none
        } else {
            switch progress {
            case .none:
                if ctlLoads { progress = newCtl!.kind == ControlKind.disconnect.rawValue ? .disconnectOffered : .connectOffered }
            case .disconnectOffered:
                if ctlSent { progress = .connectOffered }
            case .connectOffered:
                if ctlSent { progress = full ? .connecting(waited: 1, resends: 0, resendOffered: false) : .none }
            case let .connecting(waited, resends, resendOffered):
                if answered || (givesUp && forwarding) {
                    progress = .none
                } else if resendOffered && ctlSent {
                    progress = .connecting(waited: 1, resends: resends + 1, resendOffered: false)
                } else if resendDue && ctlLoads {
                    progress = .connecting(waited: waited, resends: resends, resendOffered: true)
                } else if waited != connectTimeout {
                    progress = .connecting(waited: waited + 1, resends: resends, resendOffered: resendOffered)
                }
            }
        }

        // Connections.
        if needs && ((connectDone && !full) || answered) {
            connections[q].peer = w.target
            connections[q].session = answered ? i.connack.session : 0
        } else if disconnects {
            connections[q].peer = nil
        }
        head.step(pre.valid, pre.beat, consumerReady: forwarding)
        pre.step(i.wrValid, i.wr, consumerReady: headTakes)
        let next = head.beat
        headQuiet = Int(next.qp) < qps && xwrQpNow != next.qp && !i.qpBusy[Int(next.qp)] && !i.qpActive[Int(next.qp)]
        for k in 0..<qps {
            if i.qpError[k] { connections[k].peer = nil }
            if givesUp && forwarding && k == q {
                connections[k].timedOut = true
                connections[k].errorSeen = false
            } else if connections[k].timedOut && i.qpError[k] {
                connections[k].errorSeen = true
            } else if connections[k].timedOut && connections[k].errorSeen {
                connections[k].timedOut = false
                connections[k].errorSeen = false
            }
            errorLast[k] = i.qpError[k]
        }
        return o
    }
}
