/// A state register whose values are the cases of a Swift enum.
///
/// The generator picks a binary encoding in case order; the Verilog names each state with a
/// `localparam`. `switch` checks that every state is handled (or that a default is given).
///
/// ```swift
/// enum Phase: CaseIterable { case idle, busy, done }
/// let fsm = m.stateMachine("phase", Phase.self, reset: .idle)
/// fsm.switch { s in
///     s.case(.idle) { m.when(start) { fsm.goto(.busy) } }
///     s.case(.busy) { fsm.goto(.done) }
///     s.case(.done) { fsm.goto(.idle) }
/// }
/// ```
public struct StateMachine<State: CaseIterable & Hashable> {
    let module: ModuleBuilder
    /// The state register.
    public let state: Bits
    let cases: [State]

    func code(_ s: State) -> Int { cases.firstIndex(of: s)! }

    /// 1 while the machine is in `s`.
    public func `is`(_ s: State) -> Bits { state == code(s) }

    /// Moves to `s` at the next clock edge (conditional inside `when`).
    public func goto(_ s: State, fileID: String = #fileID, line: Int = #line) {
        state.drive(code(s), fileID: fileID, line: line)
    }

    /// One branch per state, in case order; missing states are an elaboration error unless
    /// `default` is given.
    public func `switch`(fileID: String = #fileID, line: Int = #line, _ body: (StateCases<State>) -> Void) {
        let cases = StateCases(machine: self)
        body(cases)
        let missing = self.cases.filter { !cases.handled.contains($0) }
        if !missing.isEmpty && !cases.hasDefault {
            module.error(SourceLocation(fileID: fileID, line: line),
                         "state machine '\(module.ir.signals[stateSignal].name)' does not handle \(missing.map { "\($0)" }.joined(separator: ", ")); add those cases or a default")
        }
    }

    var stateSignal: Int {
        guard case let .signal(s) = module.ir.nodes[state.ref.node].op else { fatalError("state is a register") }
        return s
    }
}

public final class StateCases<State: CaseIterable & Hashable> {
    let machine: StateMachine<State>
    var handled: [State] = []
    var hasDefault = false
    var chain: WhenChain?

    init(machine: StateMachine<State>) { self.machine = machine }

    public func `case`(_ s: State, fileID: String = #fileID, line: Int = #line, _ body: () -> Void) {
        handled.append(s)
        let cond = machine.is(s)
        if let chain { self.chain = chain.elsewhen(cond, fileID: fileID, line: line, body) }
        else { chain = machine.module.when(cond, fileID: fileID, line: line, body) }
    }

    public func `default`(_ body: () -> Void) {
        hasDefault = true
        if let chain { chain.otherwise(body) } else { body() }
    }
}

extension ModuleBuilder {
    /// Declares a state register over the cases of `State`, reset to `reset`.
    public func stateMachine<State: CaseIterable & Hashable>(_ name: String, _ type: State.Type, reset: State, fileID: String = #fileID, line: Int = #line) -> StateMachine<State> {
        let cases = Array(State.allCases)
        let width = addressBits(cases.count)
        let reg = register(name, width: width, reset: UInt64(cases.firstIndex(of: reset)!), fileID: fileID, line: line)
        let machine = StateMachine(module: self, state: reg, cases: cases)
        ir.enumerations.append(EnumerationDecl(signal: machine.stateSignal, cases: cases.map { "\($0)" }))
        return machine
    }
}
