// swift-tools-version:6.1
import PackageDescription

/// The engine, the day loop and the SQLite store run single-threaded per replicate (one engine, one store, one
/// thread) and their dynamic exclusivity checks cost about a tenth of a memory simulation (perf, batched-4arm) and
/// 3.8% of a SQLite one's instructions (callgrind, seed-narrative, 300 signups a day): release builds of these three
/// modules skip them. Debug builds keep them: `scripts/test.sh` runs the whole suite in release (the statistical
/// tests need it) and these three modules' suites again in a debug build, with the checks on.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "OnboardingLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "onboarding-lab", targets: ["onboarding-lab"]),
        .executable(name: "onboarding-lab-serve", targets: ["onboarding-lab-serve"]),
        .executable(name: "lab-bench", targets: ["LabBench"]),
        .library(name: "OnboardingEngine", targets: ["OnboardingEngine"]),
        .library(name: "OnboardingPersistence", targets: ["OnboardingPersistence"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The dashboard only (`onboarding-lab-serve`): `onboarding-lab` itself never links them.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]),
        .target(name: "Stochastics", dependencies: ["CGSL"]),
        // `sqlite3_config`, which Swift cannot call (variadic), for the SQLite store's process-wide options.
        .systemLibrary(
            name: "CSQLiteConfig", path: "Sources/CSQLiteConfig", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "OnboardingEngine", dependencies: ["Stochastics"], swiftSettings: hotPath),
        .target(
            name: "OnboardingPersistence",
            dependencies: [
                "OnboardingEngine", "Stochastics", "CSQLiteConfig", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ], swiftSettings: hotPath),
        .target(name: "Scenarios", dependencies: ["OnboardingEngine", .product(name: "Yams", package: "Yams")]),
        .target(name: "Simulation", dependencies: ["OnboardingEngine", "Stochastics"], swiftSettings: hotPath),
        .target(
            name: "Experiments",
            dependencies: ["Simulation", "Scenarios", "OnboardingPersistence", "OnboardingEngine", "Stochastics"]),
        .target(name: "Reports", dependencies: ["Experiments", "Stochastics"]),
        .target(name: "Notebooks"),
        .target(
            name: "Calibration",
            dependencies: ["OnboardingPersistence", "OnboardingEngine", "Scenarios", "Stochastics", "CGSL"]),
        .executableTarget(
            name: "onboarding-lab",
            dependencies: [
                "Reports", "Experiments", "Calibration", "Notebooks", "Scenarios", "Simulation",
                "OnboardingPersistence", "OnboardingEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "Dashboard",
            dependencies: [
                "OnboardingPersistence", "OnboardingEngine", "Reports", "Stochastics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .executableTarget(
            name: "onboarding-lab-serve",
            dependencies: [
                "Dashboard", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(
            name: "LabBench",
            dependencies: ["Experiments", "Simulation", "Scenarios", "OnboardingPersistence", "OnboardingEngine"]),
        .target(
            name: "LabTestSupport",
            dependencies: ["OnboardingEngine", "OnboardingPersistence", "Stochastics"],
            path: "Tests/LabTestSupport"),
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics", "LabTestSupport"]),
        .testTarget(
            name: "OnboardingEngineTests",
            dependencies: ["OnboardingEngine", "OnboardingPersistence", "LabTestSupport"]),
        .testTarget(
            name: "OnboardingPersistenceTests",
            dependencies: [
                "OnboardingPersistence", "LabTestSupport", "Experiments", "Scenarios", "Simulation",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "OnboardingEngine"], exclude: ["Fixtures"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "LabTestSupport"]),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: [
                "Experiments", "Reports", "LabTestSupport", "Scenarios", "Simulation",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["LabTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "OnboardingPersistence", "OnboardingEngine", "LabTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "NotebooksTests",
            dependencies: [
                "Notebooks", .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "CalibrationTests",
            dependencies: [
                "Calibration", "Experiments", "Scenarios", "Simulation", "OnboardingPersistence", "OnboardingEngine",
                "Stochastics", "LabTestSupport",
            ]),
    ]
)
