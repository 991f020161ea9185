// The two stream registers the blocks use between their stages, as the models see them. They
// follow Loom's `Stream.readyCut` and `Stream.stage` (the models do not import Loom).

/// A ready cut: the producer's ready is `!skidValid`; a beat offered while the consumer
/// stalls waits in the skid register, which the consumer sees first.
public struct ReadyCut<T> {
    public var skidValid = false
    public var skid: T

    public init(skid: T) { self.skid = skid }

    @inlinable public var inReady: Bool { !skidValid }

    /// What the consumer sees, given what the producer offers.
    @inlinable public func out(_ valid: Bool, _ beat: T) -> (valid: Bool, beat: T) { skidValid ? (true, skid) : (valid, beat) }

    /// The clock edge, given what the producer offered and the consumer's ready.
    @inlinable public mutating func step(_ valid: Bool, _ beat: T, consumerReady: Bool) {
        if consumerReady {
            skidValid = false
        } else if valid && !skidValid {
            (skidValid, skid) = (true, beat)
        }
    }
}

/// A register stage: the consumer sees `valid` and `beat`; the producer's ready is `accepts`.
public struct Stage<T> {
    public var valid = false
    public var beat: T

    public init(beat: T) { self.beat = beat }

    @inlinable public func accepts(consumerReady: Bool) -> Bool { !valid || consumerReady }

    /// The clock edge, given what the producer offered and the consumer's ready.
    @inlinable public mutating func step(_ inValid: Bool, _ inBeat: T, consumerReady: Bool) {
        guard accepts(consumerReady: consumerReady) else { return }
        valid = inValid
        if inValid { beat = inBeat }
    }
}
