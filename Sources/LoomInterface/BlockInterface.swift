/// Whether a port is an input or an output of the block that declares it.
public enum PortDirection: Sendable {
    case input, output
}

/// A level port's width: a fixed number of bits, or one bit per QP of the configuration.
public enum LevelWidth: Sendable, Equatable {
    case bits(Int)
    case perQP
}

/// What a block interface's ports become. A block interface is declared once, as a struct
/// generic over its binding, and each binding gives the same ports another meaning: `PortNames`
/// gives the names the DSL makes ports from; co-simulation's binding gives each port its place
/// in the packed word arrays, checked against the design.
///
/// ```swift
/// struct CounterInterface<Ports: PortBinding> {
///     let add: DeclaredStream<Amount, Ports>
///     let total: DeclaredLevel<Ports>
///     init(_ ports: Ports) throws(Ports.Failure) {
///         add = try ports.input("add")
///         total = try ports.output("total", width: .bits(32))
///     }
/// }
/// let names = CounterInterface(.names)        // no `try`: naming cannot fail
/// ```
public protocol PortBinding {
    /// What the binding knows of a stream beyond its name and direction.
    associatedtype StreamPlace
    /// What the binding knows of a level beyond its name, direction and width.
    associatedtype LevelPlace
    /// Why a port cannot be bound (`Never` when it always can).
    associatedtype Failure: Error

    func placeStream<Beat: StreamBeat>(_ name: String, _ direction: PortDirection, _ beat: Beat.Type) throws(Failure) -> StreamPlace
    func placeLevel(_ name: String, _ direction: PortDirection, _ width: LevelWidth) throws(Failure) -> LevelPlace
}

/// A ready/valid stream of a block interface under `Binding`: the ports `<name>_valid`,
/// `<name>_ready` and `<name>_<field>` for each field of `Beat`. Its place's properties read
/// through it (`io.post.valid` for the DSL's binding).
@dynamicMemberLookup
public struct DeclaredStream<Beat: StreamBeat, Binding: PortBinding> {
    public let name: String
    public let direction: PortDirection
    public let place: Binding.StreamPlace

    public init(name: String, direction: PortDirection, place: Binding.StreamPlace) {
        self.name = name
        self.direction = direction
        self.place = place
    }

    /// The stream's name and beat type, without its direction or place.
    public var port: StreamPort<Beat> { StreamPort(name) }

    public subscript<T>(dynamicMember path: KeyPath<Binding.StreamPlace, T>) -> T { place[keyPath: path] }
}

/// A level port (a plain wire, not a stream) of a block interface under `Binding`.
public struct DeclaredLevel<Binding: PortBinding> {
    public let name: String
    public let direction: PortDirection
    public let declaredWidth: LevelWidth
    public let place: Binding.LevelPlace

    public init(name: String, direction: PortDirection, declaredWidth: LevelWidth, place: Binding.LevelPlace) {
        self.name = name
        self.direction = direction
        self.declaredWidth = declaredWidth
        self.place = place
    }
}

extension PortBinding {
    /// An input stream of the block, its beat type taken from the property it initialises.
    public func input<Beat>(_ name: String) throws(Failure) -> DeclaredStream<Beat, Self> {
        DeclaredStream(name: name, direction: .input, place: try placeStream(name, .input, Beat.self))
    }

    /// An output stream of the block.
    public func output<Beat>(_ name: String) throws(Failure) -> DeclaredStream<Beat, Self> {
        DeclaredStream(name: name, direction: .output, place: try placeStream(name, .output, Beat.self))
    }

    /// A level input of the block.
    public func input(_ name: String, width: LevelWidth) throws(Failure) -> DeclaredLevel<Self> {
        DeclaredLevel(name: name, direction: .input, declaredWidth: width, place: try placeLevel(name, .input, width))
    }

    /// A level output of the block.
    public func output(_ name: String, width: LevelWidth) throws(Failure) -> DeclaredLevel<Self> {
        DeclaredLevel(name: name, direction: .output, declaredWidth: width, place: try placeLevel(name, .output, width))
    }
}

/// The binding that gives ports their names and nothing else: what the DSL needs.
public struct PortNames: PortBinding {
    public init() {}
    public func placeStream<Beat: StreamBeat>(_ name: String, _ direction: PortDirection, _ beat: Beat.Type) {}
    public func placeLevel(_ name: String, _ direction: PortDirection, _ width: LevelWidth) {}
}

extension PortBinding where Self == PortNames {
    /// `CompletionEngineInterface(.names)`: the interface's ports by name.
    public static var names: PortNames { PortNames() }
}
