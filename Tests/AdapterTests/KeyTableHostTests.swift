import Adapter
import AdapterModel
import AdapterVerification
import Loom
import LoomCosim
import Testing

/// The benches' key-table host against the Verilated translator: it counts acknowledgements,
/// and a refused configuration is a failure that names it.
@Suite struct KeyTableHostTests {
    /// Runs `configs` through `mkey_translator` until each is acknowledged (at most 60 cycles).
    func program(_ configs: [MKeyConfig]) throws -> KeyTableHost {
        let rtl = try VerilatedModel(try elaborate(MKeyTranslator()))
        let ports = try MKeyPorts(rtl.layout.packed()), rst = try rtl.layout.resetSlot()
        let host = KeyTableHost(cfg: ports.cfg, cfgack: ports.cfgack, seeds: (1, 2), validPercent: 70, readyPercent: 70)
        host.send(configs)
        var inputs = [UInt64](repeating: 0, count: rtl.layout.inputWords)
        inputs[rst] = 1
        _ = rtl.cycle(inputs)
        inputs[rst] = 0
        for cycle in 0..<60 where !host.isConfigured {
            inputs.withUnsafeMutableBufferPointer { host.drive($0.baseAddress!) }
            let outputs = rtl.cycle(inputs)
            _ = outputs.withUnsafeBufferPointer { host.observe(cycle: cycle, $0.baseAddress!) }
        }
        return host
    }

    let good = MKeyConfig.direct(index: 1, tag: 1, pd: 3, start: 0, length: 4096, phys: 0x1000)

    @Test func everyConfigurationAcknowledgedOKLeavesNoFailure() throws {
        let host = try program([good, .direct(index: 2, tag: 2, pd: 3, start: 0, length: 4096, phys: 0x2000)])
        #expect(host.isConfigured && host.acknowledged == 2)
        #expect(host.failures.isEmpty && !host.hasFailed)
    }

    @Test func aRefusedConfigurationIsAFailureNamingIt() throws {
        // MKEYS is 64: index 64 is out of range (status 1).
        let host = try program([good, .direct(index: 64, tag: 1, pd: 3, start: 0, length: 4096, phys: 0x1000)])
        #expect(host.isConfigured && host.acknowledged == 2)
        #expect(host.failures.count == 1 && host.hasFailed)
        #expect(host.failures.first?.hasPrefix("cfgack: cycle ") == true)
        #expect(host.failures.first?.hasSuffix(": configuration 1 refused with status 1") == true)
    }
}
