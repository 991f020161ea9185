import LoomCosim
import Testing

/// Runs one seeded random lockstep test and expects it to pass with every coverage bin hit;
/// the failure names the `loom sim` line that reproduces it.
func expectRandomRunPasses(_ name: String, seed: UInt64, work: Int, cycleLimit: Int = 1_000_000, watchdogCycles: Int = 8_000,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation, _ make: () throws -> LockstepRunner.Parts) throws {
    let r = try LockstepRunner(cycleLimit: cycleLimit, watchdogCycles: watchdogCycles)
        .run(test: name, seed: seed, reproduce: "loom sim \(name) --seed \(seed) --cycles \(work)", make: make)
    #expect(r.passed, "\(r.report)", sourceLocation: sourceLocation)
    #expect(r.uncovered.isEmpty, "not exercised: \(r.uncovered)", sourceLocation: sourceLocation)
}
