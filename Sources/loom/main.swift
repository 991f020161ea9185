import LoomCLI

// `loom`: the Loom command line over the adapter's blocks and the examples, with mutation
// testing and the project's benchmarks beside the shared subcommands.
LoomCommand.main(LoomProject(
    name: "loom",
    abstract: "Loom: Swift hardware construction, Verilog emission and co-simulation.",
    designs: Catalog.designs,
    tests: LockstepTests.adapter + LockstepTests.examples,
    commands: [MutateCommand.self],
    benchCommands: [ElaborationBench.self, CosimBench.self, AdapterBench.self],
    cores: FuseSoCCore.Naming(vendor: "loom", library: "adapter", version: "1.0.0")))
