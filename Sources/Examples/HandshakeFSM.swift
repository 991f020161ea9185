import Loom

/// A request/response sequencer as a state machine over a Swift enum: waits for `start`,
/// raises `req` until `ack`, then holds `done` for one cycle; `cancel` returns to idle.
public struct HandshakeFSM: Module {
    public enum Phase: CaseIterable { case idle, request, waitAck, done }
    public init() {}
    public var name: String { "handshake_fsm" }

    public func body(_ m: ModuleBuilder) {
        let start = m.input("start", width: 1)
        let ack = m.input("ack", width: 1)
        let cancel = m.input("cancel", width: 1)
        let req = m.output("req", width: 1)
        let done = m.output("done", width: 1)
        let busyCycles = m.output("busy_cycles", width: 8)
        let fsm = m.stateMachine("phase", Phase.self, reset: .idle)
        // Counts the cycles spent waiting for `ack` (a register with an enable).
        let cycles = m.register("cycles", width: 8, reset: 0, enable: fsm.is(.waitAck))
        cycles.drive(cycles &+ 1)

        fsm.switch { s in
            s.case(.idle) { m.when(start) { fsm.goto(.request) } }
            s.case(.request) { fsm.goto(.waitAck) }
            s.case(.waitAck) { m.when(ack) { fsm.goto(.done) } }
            s.case(.done) { fsm.goto(.idle) }
        }
        m.when(cancel) { fsm.goto(.idle) }
        req.drive(fsm.is(.request) | fsm.is(.waitAck))
        done.drive(fsm.is(.done))
        busyCycles.drive(cycles)
    }
}
