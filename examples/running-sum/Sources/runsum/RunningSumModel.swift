import LoomCosim

/// The model's state: the total so far, and the registered output.
struct RunningSumState {
    var sum: UInt16 = 0, count: UInt8 = 0
    var outValid = false, out = Total()
}

/// The cycle model: what `running_sum` must show each cycle, written from its description.
final class RunningSumModel: PlacedModel<RunningSumState, RunningSumInterface<PackedWords>>, CycleModel {
    init(_ layout: PortLayout) throws { try super.init(layout, RunningSumState(), ports: RunningSumInterface.init) }

    func cycle(_ inputs: UnsafePointer<UInt64>, _ outputs: UnsafeMutablePointer<UInt64>) {
        let accepts = !model.outValid || ports.totals.isReady(inputs)
        ports.totals.drive(model.outValid, model.out, into: outputs)
        ports.samples.answer(accepts, into: outputs)
        if isReset(inputs) {
            model = RunningSumState()
            return
        }
        var valid = false, sample = Sample()
        ports.samples.take(inputs, valid: &valid, beat: &sample)
        guard accepts else { return }
        model.outValid = valid
        if valid {
            model.sum &+= UInt16(sample.value)
            model.count &+= 1
            model.out = Total(sum: model.sum, count: model.count)
        }
    }
}

/// Random samples in, random back-pressure out; every total is checked against a sum kept here.
final class RunningSumBench: Stimulus {
    let source: StreamSource<Sample>, sink: StreamSink<Total>
    let board = InOrderScoreboard<Total>("totals") { $0.sum == $1.sum && $0.count == $1.count }
    let coverage = Coverage(["stalled", "wrapped"])
    var progress: Int { source.sent + sink.received }
    var finished: Bool { source.idle && board.outstanding == 0 }
    var lastSum: UInt16 = 0
    var failures: [String] { sink.violations + board.failures }

    init(_ layout: PortLayout, seed: UInt64, samples: Int) throws {
        let ports = try RunningSumInterface(layout.packed())
        source = StreamSource(ports.samples, seed: seed)
        sink = StreamSink(ports.totals, seed: seed &+ 1)
        var rng = SeededRandom(seed: seed &+ 2)
        var expected = Total()
        for _ in 0..<samples {
            let value = UInt8(truncatingIfNeeded: rng.next())
            source.send(Sample(value: value))
            expected.sum &+= UInt16(value)
            expected.count &+= 1
            board.expect(expected)
        }
    }

    func drive(cycle: Int, inputs: UnsafeMutablePointer<UInt64>) {
        source.drive(inputs)
        sink.drive(inputs)
    }

    func observe(cycle: Int, inputs: UnsafePointer<UInt64>, outputs: UnsafePointer<UInt64>) {
        if sink.slots.isValid(outputs) && !sink.slots.isReady(inputs) { coverage.hit("stalled") }
        source.observe(outputs)
        if let total = sink.observe(cycle: cycle, outputs) {
            if total.sum < lastSum { coverage.hit("wrapped") }
            lastSum = total.sum
            board.actual(total, cycle: cycle)
        }
    }
}
