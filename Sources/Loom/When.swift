// Conditional statements: `when` / `elsewhen` / `otherwise`, and `switch`.

extension ModuleBuilder {
    /// Runs `body` with every assignment in it conditional on `condition` (non-zero is true).
    ///
    /// ```swift
    /// m.when(start) { state.drive(1) }
    ///  .elsewhen(stop) { state.drive(0) }
    ///  .otherwise { state.drive(state) }
    /// ```
    @discardableResult
    public func when(_ condition: Bits, fileID: String = #fileID, line: Int = #line, _ body: () -> Void) -> WhenChain {
        let loc = SourceLocation(fileID: fileID, line: line)
        located(loc)
        let cond = condition.truth.ref.node
        let w = WhenBuilder(condition: cond, location: loc)
        blocks[blocks.count - 1].items.append(.when(w))
        run(w.then, pathCondition: cond, body)
        return WhenChain(module: self, last: w, notTakenSoFar: module(not: cond))
    }

    func module(not node: NodeID) -> NodeID { add(.unary(.not, node), width: 1) }
    func module(and a: NodeID, _ b: NodeID) -> NodeID { add(.binary(.and, a, b), width: 1) }

    /// The condition under which statements at this point take effect (nil: always).
    var currentPathCondition: NodeID? { pathConditions.last! }

    func run(_ block: BlockBuilder, pathCondition: NodeID, _ body: () -> Void) {
        let outer = currentPathCondition
        blocks.append(block)
        pathConditions.append(outer.map { module(and: $0, pathCondition) } ?? pathCondition)
        body()
        blocks.removeLast()
        pathConditions.removeLast()
    }
}

/// The tail of a `when` chain, for adding `elsewhen` and `otherwise` branches.
public struct WhenChain {
    let module: ModuleBuilder
    let last: WhenBuilder
    /// 1 when none of the chain's conditions so far held.
    let notTakenSoFar: NodeID

    @discardableResult
    public func elsewhen(_ condition: Bits, fileID: String = #fileID, line: Int = #line, _ body: () -> Void) -> WhenChain {
        let loc = SourceLocation(fileID: fileID, line: line)
        module.located(loc)
        let cond = condition.truth.ref.node
        let w = WhenBuilder(condition: cond, location: loc)
        let elseBlock = BlockBuilder()
        elseBlock.items.append(.when(w))
        last.otherwise = elseBlock
        module.run(w.then, pathCondition: module.module(and: notTakenSoFar, cond), body)
        return WhenChain(module: module, last: w, notTakenSoFar: module.module(and: notTakenSoFar, module.module(not: cond)))
    }

    public func otherwise(_ body: () -> Void) {
        let block = BlockBuilder()
        last.otherwise = block
        module.run(block, pathCondition: notTakenSoFar, body)
    }
}

/// Cases of a `switch`: the first matching case wins; `default` covers the rest.
public final class SwitchCases {
    let selector: Bits
    var chain: WhenChain?

    init(selector: Bits) { self.selector = selector }

    /// Statements for `selector == value`.
    public func `case`(_ value: Int, fileID: String = #fileID, line: Int = #line, _ body: () -> Void) {
        let cond = selector == value
        if let chain { self.chain = chain.elsewhen(cond, fileID: fileID, line: line, body) }
        else { chain = selector.module.when(cond, fileID: fileID, line: line, body) }
    }

    /// Statements for every value not matched by a case.
    public func `default`(_ body: () -> Void) {
        if let chain { chain.otherwise(body) } else { body() }
    }
}

extension ModuleBuilder {
    /// `switch` on a value: cases are tested in order (`$0.case(3) { ... }`), as a priority chain.
    public func `switch`(_ selector: Bits, _ cases: (SwitchCases) -> Void) {
        cases(SwitchCases(selector: selector))
    }
}
