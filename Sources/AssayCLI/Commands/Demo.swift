import ArgumentParser

/// `assay demo`: builds a realistic demo workspace and serves it.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build a demo workspace and serve it.")
    func run() async throws {}
}
