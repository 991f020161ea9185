// swift-tools-version:6.0
import PackageDescription

// Loom: a Swift hardware-construction kit and the RDMA adapter written with it.
// Dependency arrows point one way (see DESIGN.md): Adapter → Loom, AdapterSpec; LoomVerilog,
// LoomSim → Loom; LoomCosim → LoomVerilog, LoomSim, CLoomShim; AdapterModel → AdapterSpec and
// LoomInterface only. LoomInterface (stream payloads, block interfaces and the model protocol,
// plain Swift) is below Loom, AdapterSpec and the models.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "Loom",
    platforms: [.macOS(.v13)],
    products: [
        // The kit, for designs of your own: describe (Loom, LoomInterface), emit and lint
        // (LoomVerilog), simulate natively (LoomSim), co-simulate in lockstep with your models,
        // drive and score streams, run regressions and mutation campaigns (LoomCosim).
        .library(name: "Loom", targets: ["Loom"]),
        .library(name: "LoomInterface", targets: ["LoomInterface"]),
        .library(name: "LoomVerilog", targets: ["LoomVerilog"]),
        .library(name: "LoomSim", targets: ["LoomSim"]),
        .library(name: "LoomCosim", targets: ["LoomCosim"]),
        // The command line (list, emit, lint, sim, regress, bench, synth) over your own designs.
        .library(name: "LoomCLI", targets: ["LoomCLI"]),
        .executable(name: "loom", targets: ["loom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "LoomInterface", swiftSettings: v5),
        .target(name: "Loom", dependencies: ["LoomInterface"], swiftSettings: v5),
        .target(name: "LoomVerilog", dependencies: ["Loom"], swiftSettings: v5),
        .target(name: "LoomSim", dependencies: ["Loom"], swiftSettings: v5),
        .target(name: "CLoomShim"),
        // LoomCosim also uses LoomSim: the native simulator is the model of the differential check.
        .target(name: "LoomCosim", dependencies: ["Loom", "LoomInterface", "LoomVerilog", "LoomSim", "CLoomShim"], swiftSettings: v5),
        .target(name: "LoomCLI", dependencies: ["Loom", "LoomVerilog", "LoomCosim", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: v5),
        .target(name: "AdapterSpec", dependencies: ["LoomInterface"], swiftSettings: v5),
        .target(name: "Adapter", dependencies: ["Loom", "AdapterSpec"], swiftSettings: v5),
        .target(name: "AdapterModel", dependencies: ["AdapterSpec", "LoomInterface"], swiftSettings: v5),
        .target(name: "Examples", dependencies: ["Loom"], swiftSettings: v5),
        // Ties blocks, golden models and the co-simulation kit together for the CLI and tests.
        .target(name: "AdapterVerification", dependencies: ["Loom", "LoomCosim", "Adapter", "AdapterSpec", "AdapterModel"], swiftSettings: v5),
        .executableTarget(
            name: "loom",
            dependencies: [
                "Loom", "LoomVerilog", "LoomSim", "LoomCosim", "LoomCLI", "Adapter", "AdapterModel", "AdapterVerification", "Examples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: v5),
        .testTarget(name: "LoomTests", dependencies: ["Loom", "LoomSim", "LoomCosim", "Examples"], swiftSettings: v5),
        .testTarget(name: "LoomVerilogTests", dependencies: ["Loom", "LoomVerilog", "Examples", "Adapter"], swiftSettings: v5),
        .testTarget(name: "LoomCosimTests", dependencies: ["Loom", "LoomVerilog", "LoomSim", "LoomCosim", "Examples"], swiftSettings: v5),
        .testTarget(name: "AdapterModelTests", dependencies: ["AdapterModel"], swiftSettings: v5),
        // Runs the built `loom` binary (the dependency makes `swift build --build-tests` build it),
        // and LoomCLI in process over designs of its own.
        .testTarget(name: "LoomCLITests", dependencies: ["loom", "Loom", "LoomCLI", "LoomVerilog"], swiftSettings: v5),
        .testTarget(name: "AdapterTests", dependencies: ["Loom", "LoomVerilog", "LoomCosim", "Adapter", "AdapterModel", "AdapterVerification"], swiftSettings: v5),
    ]
)
