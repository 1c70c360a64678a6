// swift-tools-version:6.1
import PackageDescription

// Upcoming features as in Hummingbird and the Vapor template: `any` spelled out, imports say what a file uses.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// With ASSAY_OPTIMIZE_NUMERICS=1 (`.ci/run` sets it), the numeric kernels — SGD over hashed features, EM over
// judgment matrices — are compiled optimised in debug builds too: unoptimised they run twenty times slower, and the
// test suites, which train and fit on two shared cores, would hold Swift's cooperative threads for tens of seconds
// and stall every other suite's server meanwhile. Off by default because SwiftPM refuses unsafe flags in a package
// that others depend on, and AssayQuality and AssayLearning are libraries for others to use.
let numericSettings: [SwiftSetting] =
    Context.environment["ASSAY_OPTIMIZE_NUMERICS"] == "1"
    ? swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))] : swiftSettings

let package = Package(
    name: "assay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "AssayQuality", targets: ["AssayQuality"]),
        .library(name: "AssayLearning", targets: ["AssayLearning"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.86.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/vapor/console-kit.git", from: "4.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure maths: agreement, aggregation, metrics. Standard library only.
        .target(name: "AssayQuality", swiftSettings: numericSettings),
        // Pure learning: the text classifier, active learning, label-error detection. No I/O.
        .target(name: "AssayLearning", dependencies: ["AssayQuality"], swiftSettings: numericSettings),
        // Domain values and rules: queues, schemas, routing, consensus, formats. No I/O.
        .target(name: "AssayCore", dependencies: ["AssayQuality"], swiftSettings: swiftSettings),
        // The one gateway to SQLite / PostgreSQL.
        .target(
            name: "AssayStore",
            dependencies: [
                "AssayCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                // Fluent's connection pool, whose timeout the store reports as a 503 (StorageProblem).
                .product(name: "AsyncKit", package: "async-kit"),
                // The store drives SQLite itself (Sources/AssayStore/SQLite) with the library sqlite-nio builds.
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Files on disk: item and judgment files read in two passes, final labels and Label Studio tasks written
        // out. The one implementation behind `assay import`/`export` and the server's background jobs.
        .target(name: "AssayFiles", dependencies: ["AssayStore"], swiftSettings: swiftSettings),
        // LLM labeling runs: an OpenAI-compatible chat endpoint asked about a queue's items, with retries, a budget
        // and resumption. Outbound HTTP only; `assay llm` drives it.
        .target(
            name: "AssayLLM",
            dependencies: [
                "AssayStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The thin HTTP server.
        .target(
            name: "AssayServer",
            dependencies: [
                "AssayFiles",
                "AssayStore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The command line: serve, demo, import, export, users, tokens.
        .target(
            name: "AssayCLI",
            dependencies: [
                "AssayFiles",
                "AssayLLM",
                "AssayServer",
                "AssayLearning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ConsoleKit", package: "console-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "assay", dependencies: ["AssayCLI"], swiftSettings: swiftSettings),
        // Test support: backend matrix, fixtures, a live server on 127.0.0.1.
        .target(
            name: "AssayTesting",
            dependencies: [
                "AssayCLI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AssayQualityTests", dependencies: ["AssayQuality"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayLearningTests", dependencies: ["AssayLearning"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayStoreTests",
            dependencies: [
                "AssayStore", "AssayTesting", .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "AsyncKit", package: "async-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AssayServerTests",
            dependencies: ["AssayServer", "AssayStore", "AssayTesting", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayFilesTests", dependencies: ["AssayFiles", "AssayStore", "AssayTesting", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayLLMTests", dependencies: ["AssayLLM", "AssayStore", "AssayTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayCLITests", dependencies: ["AssayCLI", "AssayTesting"], swiftSettings: swiftSettings),
    ]
)
