import AdapterModel
import LoomCosim

/// The host programming a translator's key table before the traffic a bench is about
/// (SPEC 1.2): it sends each configuration beat on `cfg` and takes every `cfgack`, which must
/// be OK; a refusal is a failure naming the beat. The translator's own bench, which tests the
/// refusals, drives `cfg` itself.
public final class KeyTableHost {
    let cfg: StreamSource<MKeyConfig>
    let cfgack: StreamSink<ConfigAck>
    public private(set) var sent = 0
    public private(set) var acknowledged = 0
    private var refusals: [String] = []

    public init(cfg: StreamSlots<MKeyConfig>, cfgack: StreamSlots<ConfigAck>, seeds: (cfg: UInt64, cfgack: UInt64),
                validPercent: Int = 100, readyPercent: Int = 100) {
        self.cfg = StreamSource(cfg, seed: seeds.cfg, validPercent: validPercent)
        self.cfgack = StreamSink(cfgack, seed: seeds.cfgack, readyPercent: readyPercent)
    }

    public func send(_ configs: [MKeyConfig]) {
        for c in configs { cfg.send(c) }
        sent += configs.count
    }

    /// Every configuration sent is acknowledged.
    public var isConfigured: Bool { acknowledged == sent }

    public func drive(_ inputs: UnsafeMutablePointer<UInt64>) {
        cfg.drive(inputs)
        cfgack.drive(inputs)
    }

    /// Takes this cycle's beats; returns whether one transferred.
    public func observe(cycle: Int, _ outputs: UnsafePointer<UInt64>) -> Bool {
        let sentOne = cfg.observe(outputs) != nil
        guard let ack = cfgack.observe(cycle: cycle, outputs) else { return sentOne }
        if ack.status != ConfigStatus.ok.rawValue {
            refusals.append("cfgack: cycle \(cycle): configuration \(acknowledged) refused with status \(ack.status)")
        }
        acknowledged += 1
        return true
    }

    /// Stream-rule violations on `cfgack` and refused configurations.
    public var failures: [String] { cfgack.violations + refusals }
    /// Whether `failures` is non-empty, without joining them (benches ask every cycle).
    public var hasFailed: Bool { !cfgack.violations.isEmpty || !refusals.isEmpty }
}
