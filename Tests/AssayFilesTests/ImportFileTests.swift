import AssayCore
import AssayTesting
import Foundation
import SQLKit
import Testing

@testable import AssayFiles
@testable import AssayStore

@Suite("Import files")
struct ImportFileTests {
    @Test("planner statistics are refreshed each time the rows stored double, and at the end if rows came since")
    func statisticsSchedule() {
        var schedule = ImportFile.StatisticsSchedule(first: 20_000)
        let totals = stride(from: 20_000, through: 1_000_000, by: 20_000).filter { schedule.isDue(afterStoring: $0) }
        #expect(totals == [20_000, 40_000, 80_000, 160_000, 320_000, 640_000])
        let atTheEnd = schedule.isDueAtEnd(afterStoring: 1_000_000), again = schedule.isDueAtEnd(afterStoring: 1_000_000)
        #expect(atTheEnd)
        #expect(!again, "nothing stored since")
        var small = ImportFile.StatisticsSchedule(first: 20_000)
        let smallDue = small.isDue(afterStoring: 300), smallAtTheEnd = small.isDueAtEnd(afterStoring: 300)
        #expect(!smallDue && smallAtTheEnd)
        var empty = ImportFile.StatisticsSchedule(first: 20_000)
        let emptyAtTheEnd = empty.isDueAtEnd(afterStoring: 0)
        #expect(!emptyAtTheEnd, "an import that stored nothing changes no statistics")
    }

    @Test("the check pass finds what the load would refuse: a person who does not label, a time to come",
          arguments: TestBackend.allCases)
    func checksWhatTheLoadRefuses(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store, name: "checked")
            try await Fixtures.items(store, into: queue, count: 3)
            _ = try await store.createPerson(PersonDraft(externalID: "lead-1", name: "Lead", role: .analyst), now: Date())
            let folder = try ScratchFolder()
            defer { folder.remove() }
            let path = try folder.write("judgments.csv", """
                item_external_id,annotator_external_id,label,submitted_at
                item-0001,w-1,spam,2026-11-01T10:00:00Z
                item-0002,lead-1,spam,2026-11-01T10:00:00Z
                item-0003,w-1,spam,2999-01-01T00:00:00Z
                """)
            let problems = try await ImportFile(path: path, format: nil, judgments: true).problems(in: queue, store: store)
            #expect(problems.map(\.line) == [3, 4], "\(problems)")
            #expect(problems.first?.description.contains("'lead-1' is an analyst, who does not label") == true)
            #expect(problems.last?.description.contains("submitted_at: 2999-01-01T00:00:00Z is in the future") == true)
            #expect(try await store.stats(of: queue.id).judgments == 0)
        }
    }

    @Test("a judgment import on PostgreSQL leaves the tables it grew analyzed",
          .enabled(if: TestBackend.allCases.contains(.postgres)))
    func analyzesWhatItGrew() async throws {
        try await TestBackend.postgres.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store, name: "statistics")
            try await Fixtures.items(store, into: queue, count: 300)
            let rows = (1...300).map { String(format: "item-%04d,w-1,spam,2026-11-01T10:00:00Z", $0) }
            let folder = try ScratchFolder()
            defer { folder.remove() }
            let path = try folder.write(
                "judgments.csv", (["item_external_id,annotator_external_id,label,submitted_at"] + rows).joined(separator: "\n"))

            func analyses(of table: String) async throws -> Int {
                try await store.sql().raw("""
                    SELECT analyze_count FROM pg_stat_user_tables WHERE relname = \(bind: table)
                    """).first()?.decode(column: "analyze_count", as: Int.self) ?? -1
            }
            #expect(try await analyses(of: "judgments") == 0)
            let report = try await ImportFile(path: path, format: nil, judgments: true).load(into: queue, store: store) { _, _ in }
            #expect(report.inserted == 300)
            let judgments = try await analyses(of: "judgments"), finalLabels = try await analyses(of: "final_labels")
            #expect(judgments == 1, "once, at the end: one batch, smaller than the first threshold")
            #expect(finalLabels == 1)
        }
    }
}
