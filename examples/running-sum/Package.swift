// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "RunningSum",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Loom by path: this example lives inside Loom's repository. From a package of your own,
        // point the path at your checkout of Loom, or use .package(url: <Loom's git URL>, branch: "main").
        .package(name: "Loom", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "runsum",
            dependencies: [
                .product(name: "Loom", package: "Loom"),
                .product(name: "LoomCosim", package: "Loom"),
                .product(name: "LoomCLI", package: "Loom"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]),
    ])
