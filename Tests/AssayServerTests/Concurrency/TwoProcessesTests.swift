import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Two `assay serve` processes over one PostgreSQL database, driven by concurrent annotators who switch
/// between them: the database alone keeps the overlap (Label Studio, driven this way, over-assigns).
@Suite("Two server processes over one PostgreSQL")
struct TwoProcessesTests {
    @Test("never lease an item beyond its overlap")
    func neverBeyondOverlap() async throws {
        guard TestBackend.allCases.contains(.postgres) else { return }
        let (location, cleanup) = try await TestBackend.postgres.makeScratchLocation()
        guard case .postgres(let url) = location else { return }
        let database = try await AssayDatabase.open(location)
        var servers: [ServerProcess] = []
        do {
            try await database.migrate()
            let store = database.store
            let queue = try await Fixtures.queue(store, overlap: 2)
            try await Fixtures.items(store, into: queue, count: 100)
            let people = try await Fixtures.annotators(store, count: 24)
            servers = [try ServerProcess.serve(postgresURL: url), try ServerProcess.serve(postgresURL: url)]
            let total = try await HTTPAnnotators.labelUntilEmpty(
                queue: queue.name, tokens: people.map(\.token), servers: servers)
            #expect(total == 200)
            try await HTTPAnnotators.expectOverlapKept(in: store, queue: queue, items: 100)
        } catch {
            servers.forEach { $0.stop() }
            try? await database.close()
            await cleanup()
            throw error
        }
        servers.forEach { $0.stop() }
        try await database.close()
        await cleanup()
    }
}
