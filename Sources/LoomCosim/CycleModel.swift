/// A Swift model that the lockstep runner compares with the Verilated RTL.
///
/// It sees the same packed input words each cycle (the layout of `PortLayout`, `rst`
/// included) and writes the outputs it expects, sampled before the clock edge, masked to
/// their widths; then it advances its state as the clock edge would.
public protocol CycleModel: AnyObject {
    func cycle(_ inputs: UnsafePointer<UInt64>, _ outputs: UnsafeMutablePointer<UInt64>)
}

/// What a test applies and checks around the lockstep comparison.
///
/// Each cycle the runner calls `drive` (fill this cycle's inputs; the array keeps last
/// cycle's values), runs both sides, compares, then calls `observe` with the inputs and the
/// RTL's outputs so drivers learn which beats transferred and monitors check the contract.
public protocol Stimulus: AnyObject {
    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>)
    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>)
    /// True once the test has applied and seen everything it intended.
    var finished: Bool { get }
    /// Increases whenever something moves (a beat transfers); the watchdog watches it.
    var progress: Int { get }
    /// Problems that monitors and scoreboards found, in the order found.
    var failures: [String] { get }
    /// Whether `failures` is non-empty. The runner asks every cycle: a stimulus whose
    /// `failures` joins several lists should answer without building the joined list.
    var hasFailed: Bool { get }
    /// Called after the last cycle: final accounting checks (nothing lost, pool full, ...).
    func finish()
    var coverage: Coverage { get }
    /// Where the bench stands, in one line, for the report of a run the watchdog or the
    /// cycle limit ends ("" when the bench has nothing to add).
    var state: String { get }
}

extension Stimulus {
    public func finish() {}
    public var state: String { "" }
    public var hasFailed: Bool { !failures.isEmpty }
}

/// Functional coverage: named counters of what a run exercised, in first-hit order.
public final class Coverage {
    public private(set) var names: [String] = []
    public private(set) var counts: [String: Int] = [:]
    public init(_ bins: [String] = []) {
        for b in bins { declare(b) }
    }

    /// Declares a bin that should be hit (an unhit bin shows in the summary).
    public func declare(_ name: String) {
        if counts[name] == nil { names.append(name); counts[name] = 0 }
    }

    public func hit(_ name: String, _ times: Int = 1) {
        if counts[name] == nil { names.append(name); counts[name] = 0 }
        counts[name]! += times
    }

    public var hitBins: Int { names.filter { counts[$0]! > 0 }.count }

    /// "7/8 bins".
    public var summary: String { names.isEmpty ? "-" : "\(hitBins)/\(names.count) bins" }
    public var missing: [String] { names.filter { counts[$0]! == 0 } }
}

/// No second model: a run with it is checked by its stimulus (monitors and scoreboards)
/// alone. For designs too large for the native simulator to follow at speed.
public final class NoSecondModel: CycleModel {
    public init() {}
    public func cycle(_ inputs: UnsafePointer<UInt64>, _ outputs: UnsafeMutablePointer<UInt64>) {}
}

/// A block's Swift model behind the packed-word interface of the lockstep runner: the model,
/// its interface's ports placed in the design's words, and the design's reset. A subclass
/// conforms to `CycleModel` and maps the ports to the model's inputs and outputs in `cycle`:
/// for a model of its own shape. A `ClockedModel` whose fields follow the port names needs no
/// subclass of its own: `WiredModel` maps every port.
///
/// ```swift
/// final class CounterCycleModel: PlacedModel<CounterModel, CounterInterface<PackedWords>>, CycleModel {
///     init(_ layout: PortLayout) throws { try super.init(layout, CounterModel(), ports: CounterInterface.init) }
///     func cycle(_ w: UnsafePointer<UInt64>, _ o: UnsafeMutablePointer<UInt64>) {
///         let total = model.cycle(reset: isReset(w), add: ports.add.read(w))
///         ports.total.write(total, into: o)
///     }
/// }
/// ```
open class PlacedModel<Model, Ports> {
    public final let ports: Ports
    /// Word offset of `rst`.
    public final let reset: Int
    @usableFromInline final let storage: UnsafeMutablePointer<Model>

    /// `qps` is the width of the interface's `.perQP` levels (nil accepts the design's).
    public init(_ layout: PortLayout, _ model: Model, qps: Int? = nil, ports: (PackedWords) throws(CosimError) -> Ports) throws {
        self.ports = try ports(layout.packed(qps: qps))
        reset = try layout.resetSlot()
        storage = .allocate(capacity: 1)
        storage.initialize(to: model)
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The model, reached through its address: a stored variable of a class in another module
    /// is checked for exclusive access at run time on every access, a call per cycle that the
    /// lockstep loop would pay for nothing (only the subclass's `cycle` touches the model).
    @inlinable public final var model: Model {
        unsafeAddress { UnsafePointer(storage) }
        unsafeMutableAddress { storage }
    }

    /// Whether `rst` is 1 this cycle.
    @inlinable public final func isReset(_ words: UnsafePointer<UInt64>) -> Bool { words[reset] & 1 == 1 }
}
