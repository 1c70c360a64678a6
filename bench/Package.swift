// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that `.ci/run` never builds them. The load generator talks to the
// real `assay` binary over HTTP, as any client would, with a small blocking HTTP/1.1 client of its own
// (`HTTPConnection`) so that it takes little of the cores it shares with the server.
let package = Package(
    name: "assay-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "assay-bench",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/AssayBench")
    ]
)
