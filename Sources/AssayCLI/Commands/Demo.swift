import ArgumentParser
import AssayCore
import AssayServer
import AssayStore
import ConsoleKitTerminal
import Foundation
import Logging

/// `assay demo`: builds a realistic demo workspace (once) and serves it.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a realistic demo workspace and serve it.",
        discussion: """
            Three BPO vendors, ~60 annotators of varied skill and speed, five queues in several markets and \
            languages (one of them RLHF preference pairs; one working with a triage model), ~20,000 items and six \
            weeks of simulated work. The workspace is built on first run and \
            reused afterwards (--rebuild starts over). Prints the URL and fresh API tokens.
            """)

    @ArgumentParser.Option(name: .customLong("db"), help: "The SQLite file (ignored when ASSAY_DATABASE_URL is set).")
    var path = "assay-demo.sqlite"

    @ArgumentParser.Option(help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "The port to listen on (default: 8080; 0: any free port).", transform: ArgumentValues.port)
    var port = 8080

    // Optional, so that giving them for a workspace that already exists can be pointed out rather than ignored.
    @ArgumentParser.Option(help: "How many items to generate (default: 20000).")
    var items: Int?

    @ArgumentParser.Option(help: "The random seed: the same seed builds the same workspace (default: 2026).")
    var seed: UInt64?

    @ArgumentParser.Flag(help: "Delete the SQLite file first and build anew.")
    var rebuild = false

    @ArgumentParser.Flag(help: "Build the workspace, print the tokens, and exit without serving.")
    var noServe = false

    func validate() throws {
        if let items, !(100...2_000_000).contains(items) { throw ValidationError("--items must be 100 to 2000000") }
    }

    func run() async throws {
        let location = try DatabaseLocation(path: path, environment: ProcessInfo.processInfo.environment)
        // First of all, so that a demo already serving the file is neither rebuilt under its feet nor handed tokens.
        let lock = try ServeLock.acquire(for: location)
        defer { lock?.release() }
        if rebuild {
            // Emptying a PostgreSQL database is the owner's call (it may hold more than Assay's tables).
            guard case .sqlite(let file) = location else {
                throw CommandFailure(description:
                    "--rebuild deletes the demo's SQLite file; with ASSAY_DATABASE_URL set, give an empty database "
                        + "instead (for example: dropdb NAME && createdb NAME), and run assay demo again")
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
        let tokens = try await prepare(location)
        Console.say("\nSign in with one of these API tokens (new ones are issued on every start):")
        for token in tokens { Console.say("  \(token.label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(token.token)") }
        let reader = tokens.first { $0.role == .analyst } ?? tokens[0]
        let example = "curl -H 'Authorization: Bearer \(reader.token)' http://\(hostname):\(port)/api/v1/queues/\(DemoQueues.firstName)/stats"
        guard !noServe else {
            let database = if case .sqlite = location { " --db \(path)" } else { "" }
            Console.say("Serve it with:  assay serve\(database) --hostname \(hostname) --port \(port)")
            Console.say("Then try:  \(example)\n")
            return
        }
        Console.say("Try:  \(example)\n")
        try await ServerRunner.run(settings: Settings(database: location, hostname: hostname, port: port), holding: lock) { _ in }
    }

    /// The seed a new workspace is built from.
    private var workspaceSeed: UInt64 { seed ?? 2026 }

    /// Builds the workspace if it is empty, then issues tokens for the people worth signing in as.
    ///
    /// - Throws: ``CommandFailure`` for a workspace that is not the demo's: its people would get tokens printed for
    ///   all to see, and the queues the demo points to would not be there.
    private func prepare(_ location: DatabaseLocation) async throws -> [DemoToken] {
        var logger = Logger(label: "assay.demo")
        logger.logLevel = .warning
        // Seeded, so that one seed builds one workspace: the QA samples and gold draws included.
        let database = try await AssayDatabase.open(location, logger: logger, chance: .seeded(workspaceSeed))
        do {
            try await database.migrate()
            let store = database.store
            let queues = try await store.queues()
            // A demo is built only into a new workspace: one with people (a server started on it made its admin)
            // is someone's, and would get sixty made-up annotators and a printed admin token.
            if queues.isEmpty, try await !store.hasPeople() {
                let itemCount = items ?? 20_000
                let bar = Terminal().progressBar(title: "Building the demo workspace (\(itemCount) items)")
                bar.start()
                let summary = try await DemoWorkspace(itemCount: itemCount, seed: workspaceSeed).build(in: store, now: Date()) {
                    bar.activity.currentProgress = $0
                }
                bar.succeed()
                Console.say("Built \(summary.queues.count) queues, \(summary.items) items (\(summary.goldItems) of them gold), \(summary.judgments) judgments.")
            } else {
                guard queues.contains(where: { $0.name == DemoQueues.firstName }) else {
                    let remedy = if case .sqlite = location { "give another --db, or --rebuild to replace the file" }
                        else { "give an empty database in ASSAY_DATABASE_URL" }
                    let what = queues.isEmpty ? "it has people and no queue" : "it has queues, none of them '\(DemoQueues.firstName)'"
                    throw CommandFailure(description: "\(location) holds a workspace that is not Assay's demo (\(what)); \(remedy)")
                }
                let rebuildHint = if case .sqlite = location { " (--rebuild to start over)" } else { "" }
                Console.say("Reusing the demo workspace in \(location)\(rebuildHint).")
                if items != nil || seed != nil {
                    Console.say("--items and --seed shape a new workspace; this one exists, so they change nothing"
                        + (rebuildHint.isEmpty ? "." : ". Add --rebuild to build it again with them."))
                }
            }
            let tokens = try await issueTokens(store)
            try await database.close()
            return tokens
        } catch {
            try? await database.close()
            throw error
        }
    }

    /// A printed token: whose it is, and the token.
    struct DemoToken {
        var label: String
        var role: Role
        var token: String
    }

    private func issueTokens(_ store: Store) async throws -> [DemoToken] {
        var people: [Person] = []
        var after: String?
        while true {
            let page = try await store.people(ofVendor: nil, after: after, limit: 500)
            people += page
            guard page.count == 500 else { break }
            after = page.last?.externalID
        }
        let wanted: [(Person) -> Bool] = [
            { $0.role == .admin }, { $0.role == .analyst }, { $0.role == .vendorLead }, { $0.role == .arbitrator },
            { $0.role == .qaReviewer }, { $0.externalID == "northwind-001" }, { $0.externalID == "atlas-001" },
            { $0.externalID == "kestrel-001" },
        ]
        var tokens: [DemoToken] = []
        for matches in wanted {
            guard let person = people.first(where: matches) else { continue }
            let token = try await store.issueToken(for: person.id, now: Date())
            let languages = person.languages.isEmpty ? "" : ", " + person.languages.joined(separator: "/")
            tokens.append(DemoToken(label: "\(person.role.rawValue): \(person.name)\(languages)", role: person.role, token: token.value))
        }
        return tokens
    }
}
