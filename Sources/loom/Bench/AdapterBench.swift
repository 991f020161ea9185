import AdapterVerification
import ArgumentParser
import Foundation
import LoomCosim

/// `loom bench adapter`: each adapter block's throughput in beats per cycle (SPEC targets).
struct AdapterBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "adapter", abstract: "Adapter blocks' throughput on the Verilated RTL.")

    @Option(help: "Cycles of steady-state traffic.") var cycles = 100_000

    func validate() throws {
        if cycles < 1000 { throw ValidationError("--cycles must be at least 1000") }
    }

    func run() throws {
        let compiler = ModelCompiler(log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
        let k = try MKeyThroughput.measure(compiler: compiler)
        print("mkey_translator (SPEC 1.5 targets in brackets):")
        print(String(format: "  direct keys: requests accepted per cycle   %.3f  [1]", k.directRequestsPerCycle))
        print("  direct keys: first seg after req transfers  \(k.directFirstSegmentLatency) cycles  [<= 4]")
        print(String(format: "  indirect: segments per cycle once found     %.3f  [>= 1]", k.indirectSegmentsPerCycle))
        print(String(format: "  indirect: KLM entries skipped per cycle     %.3f  [>= 1]", k.skippedEntriesPerCycle))
        print("  first seg through 1 and 2 indirect levels  \(k.latencyByLevel.map(String.init).joined(separator: ", ")) cycles (each level adds \(k.latencyByLevel[1] - k.latencyByLevel[0]))  [<= 2 per level]")
        print("sg_walker (SPEC 2.5: >= 1 visit and >= 1 chunk per cycle):")
        for f in try SGThroughput.measure(compiler: compiler) {
            let name = f.name.padding(toLength: 32, withPad: " ", startingAt: 0)
            print("  \(name)" + String(format: "%6d visits %6d chunks in %6d cycles: %.3f chunks/cycle, %.3f visits/cycle", f.visits, f.chunks, f.cycles, f.chunksPerCycle, f.visitsPerCycle))
        }
        let c = try CompletionThroughput.measure(cycles: cycles, compiler: compiler)
        print("completion_engine (SPEC 3.4 targets in brackets), \(c.cycles) cycles:")
        print(String(format: "  posts accepted per cycle     %.3f  [1]", c.postsPerCycle))
        print(String(format: "  ACKs accepted per cycle      %.3f  [1]", c.acksPerCycle))
        print(String(format: "  CQEs per cycle               %.3f  [1]", c.cqesPerCycle))
        print(String(format: "  one cumulative ACK: %d records retired in %d cycles = %.3f per cycle  [>= 1]", c.cumulativeRecords, c.cumulativeCycles, c.recordsPerCycle))
        print("exec_unit (SPEC 4.1: >= 1 piece and >= 1 header per cycle; no-gather and one-piece messages 1 per cycle):")
        for f in try ExecThroughput.measure(compiler: compiler) {
            let name = f.name.padding(toLength: 32, withPad: " ", startingAt: 0)
            print("  \(name)" + String(format: "%5d msgs %6d pieces %6d headers in %6d cycles: %.3f msgs, %.3f pieces, %.3f headers per cycle",
                                        f.messages, f.pieces, f.headers, f.cycles, f.messagesPerCycle, f.piecesPerCycle, f.headersPerCycle))
        }
        let d = try DCThroughput.measure(compiler: compiler)
        print("dc_initiator (SPEC 4.2 targets in brackets):")
        print(String(format: "  WRs to a connected target per cycle   %.3f  [1]", d.connectedPerCycle))
        print("  switch: DISCONNECT after the drain is visible  \(d.disconnectAfterDrain) cycles  [<= 2]")
        print("  switch: CONNECT after the DISCONNECT           \(d.connectAfterDisconnect) cycles  [<= 1]")
        print("  half handshake: first WR after its CONNECT     \(d.requestAfterConnect) cycles  [<= 1]")
        let a = try AdapterThroughput.measure(compiler: compiler)
        print("adapter (SPEC 4.3 targets in brackets):")
        for (name, value) in a.bytesPerCycle { print("  " + name.padding(toLength: 62, withPad: " ", startingAt: 0) + String(format: "%.2f B/cycle  [>= 7.5 for one PLAIN segment]", value)) }
        print("  first tx beat after the wr and its SG list, connected target  \(a.firstTxLatency) cycles  [<= 16]")
        print(String(format: "  64-byte SENDs per cycle (16 QPs, one target)                  %.3f", a.sendsPerCycle))
        print(String(format: "  random end-to-end run, seed 1: %d cycles at %.0f k cycles/s (lockstep with the adapter's cycle model)", a.regressionCycles, a.regressionCyclesPerSecond / 1000))
    }
}
