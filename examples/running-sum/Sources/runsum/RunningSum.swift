import Loom

/// A sample in, 8 bits.
struct Sample: StreamBeat {
    var value: UInt8 = 0
    static let fields: [BeatField<Sample>] = [.init("value", 8, \.value)]
}

/// The running total after each sample, and how many samples it holds.
struct Total: StreamBeat {
    var sum: UInt16 = 0
    var count: UInt8 = 0
    static let fields: [BeatField<Total>] = [.init("sum", 16, \.sum), .init("count", 8, \.count)]
}

/// The design's interface, declared once: the DSL makes its ports from it, the model and the
/// bench find them in the packed words through it.
struct RunningSumInterface<Ports: PortBinding> {
    let samples: DeclaredStream<Sample, Ports>
    let totals: DeclaredStream<Total, Ports>

    init(_ ports: Ports) throws(Ports.Failure) {
        samples = try ports.input("samples")
        totals = try ports.output("totals")
    }
}

/// Adds up a stream of samples; answers each with the new total, one cycle later, from registers.
struct RunningSum: Module {
    var name: String { "running_sum" }

    func body(_ m: ModuleBuilder) {
        let io = RunningSumInterface(m.ports())
        let samples = io.samples.stream
        let sum = m.register("sum", width: 16, reset: 0)
        let count = m.register("count", width: 8, reset: 0)
        let nextSum = sum &+ samples.payload.value.zeroExtended(to: 16)
        let nextCount = count &+ 1
        m.when(samples.fire) {
            sum.drive(nextSum)
            count.drive(nextCount)
        }
        io.totals.stream.connect(from: samples.map("next", Total.self) { _ in [nextSum, nextCount] }.stage("totals_out"))
    }
}
