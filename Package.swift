// swift-tools-version:6.1
import PackageDescription

// Dependencies are named once; every target gets the same settings.
let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let sqlite = Target.Dependency.product(name: "GRDBSQLite", package: "GRDB.swift")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let signals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
// Hummingbird's own layers, named for the client's socket address and the header names.
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CFreeXL", providers: [.apt(["libfreexl-dev"])]),
        .target(name: "SluiceErrors", swiftSettings: settings),
        .target(name: "SluiceCore", dependencies: ["SluiceErrors", yams, logging, lifecycle, signals], swiftSettings: settings),
        .target(name: "SluiceFormats", dependencies: ["SluiceErrors", "CZlib", "CFreeXL"], swiftSettings: settings),
        .target(name: "SluiceStore", dependencies: ["SluiceCore", grdb], swiftSettings: settings),
        // libcurl's process-wide set-up, shared by the HTTP and the mail clients.
        .target(name: "SluiceCurl", dependencies: ["CCurl"], swiftSettings: settings),
        .target(name: "SluiceHTTP", dependencies: ["CCurl", "SluiceCurl"], swiftSettings: settings),
        .target(name: "SluiceMail", dependencies: ["CCurl", "SluiceCurl"], swiftSettings: settings),
        .target(
            name: "SluiceSteps",
            dependencies: ["SluiceCore", "SluiceFormats", "SluiceMail", "SluiceHTTP", grdb, sqlite, logging],
            swiftSettings: settings),
        // The HTTP API: it reads the ledger and acts through `DaemonControl`, never through SQLite.
        .target(name: "SluiceServer", dependencies: ["SluiceCore", hummingbird, nioCore, httpTypes, logging, lifecycle], swiftSettings: settings),
        .executableTarget(
            name: "sluice",
            dependencies: ["SluiceCore", "SluiceSteps", "SluiceStore", "SluiceFormats", "SluiceServer", argumentParser, logging, lifecycle, signals],
            swiftSettings: settings),
        .executableTarget(name: "mime-bench", dependencies: ["SluiceFormats"], path: "Benchmarks/mime-bench", swiftSettings: settings),
        .executableTarget(name: "xlsx-bench", dependencies: ["SluiceFormats"], path: "Benchmarks/xlsx-bench", swiftSettings: settings),
        // What several test targets share: the test clock, the fixture locator, temporary
        // folders, the pipeline harness and the fake servers. Test targets only.
        .target(name: "SluiceTesting", dependencies: ["SluiceCore", "SluiceSteps", "SluiceStore"], swiftSettings: settings),
        .testTarget(name: "SluiceErrorsTests", dependencies: ["SluiceErrors"], swiftSettings: settings),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceErrors", "SluiceTesting"], swiftSettings: settings),
        .testTarget(name: "SluiceFormatsTests", dependencies: ["SluiceFormats", "SluiceErrors", "SluiceCore", "SluiceTesting"], swiftSettings: settings),
        .testTarget(name: "SluiceHTTPTests", dependencies: ["SluiceHTTP", "SluiceTesting"], swiftSettings: settings),
        .testTarget(name: "SluiceMailTests", dependencies: ["SluiceMail", "SluiceFormats", "SluiceTesting"], swiftSettings: settings),
        .testTarget(
            name: "SluiceServerTests",
            dependencies: ["SluiceServer", "SluiceCore", "SluiceStore", "SluiceTesting", hummingbird, hummingbirdTesting, nioCore, httpTypes],
            swiftSettings: settings),
        .testTarget(name: "SluiceStoreTests", dependencies: ["SluiceStore", "SluiceCore", "SluiceTesting"], swiftSettings: settings),
        .testTarget(
            name: "SluiceStepsTests",
            dependencies: ["SluiceSteps", "SluiceCore", "SluiceFormats", "SluiceStore", "SluiceTesting", grdb, logging],
            swiftSettings: settings),
    ]
)
