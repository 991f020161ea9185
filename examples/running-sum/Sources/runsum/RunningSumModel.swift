import Loom
import LoomCosim

/// What `running_sum` must show each cycle, written from its description. Its inputs and
/// outputs are named after the interface's ports, so `WiredModel` connects it with no code
/// per port: `WiredModel(layout, RunningSumModel(), interface: RunningSumInterface.init)`.
struct RunningSumModel: ClockedModel {
    struct Inputs: ModelInputs {
        var rst = false
        var samplesValid = false, samples = Sample()
        var totalsReady = false
    }
    struct Outputs {
        var samplesReady = false
        var totalsValid = false, totals = Total()
    }

    var sum: UInt16 = 0, count: UInt8 = 0
    /// The registered output.
    var outValid = false, out = Total()

    mutating func cycle(_ i: Inputs) -> Outputs {
        let accepts = !outValid || i.totalsReady
        let shown = Outputs(samplesReady: accepts, totalsValid: outValid, totals: out)
        if i.rst {
            self = RunningSumModel()
        } else if accepts {
            outValid = i.samplesValid
            if i.samplesValid {
                sum &+= UInt16(i.samples.value)
                count &+= 1
                out = Total(sum: sum, count: count)
            }
        }
        return shown
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
