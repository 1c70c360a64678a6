import AssayCore
import AssayTesting
import Foundation
import Testing

@testable import AssayStore

/// A person's status in a queue changes by conditional writes, from several places at once: gold answers flag and
/// suspend, analysts reinstate, exams requalify, a guideline release asks for recertification.
@Suite("Member status")
struct MemberStatusTests {
    @Test("a reinstatement racing an automatic suspension always leaves the person active, never answered done while suspended",
          arguments: TestBackend.allCases)
    func reinstatementRacingSuspension(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            let queue = try await Fixtures.queue(store, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            let annotator = try await store.createPerson(PersonDraft(name: "Al", role: .annotator), now: now)
            for round in 0..<40 {
                let flagged = try await store.transaction { sql in
                    try await Store.changeStatus(
                        of: annotator.id, in: queue.id, from: .active, to: .flagged, reason: "round \(round)", by: nil, now: now, sql)
                }
                try #require(flagged)
                // A gold answer suspends the flagged person while an analyst reinstates them. Whichever comes first,
                // the reinstatement ends active: before the suspension, which then finds no flagged person; after
                // it, or between its read and its write, from suspended.
                async let reinstated: Void = store.reinstate(annotator.id, in: queue, by: analyst, reason: nil, now: now)
                async let suspended = store.transaction { sql in
                    try await Store.changeStatus(
                        of: annotator.id, in: queue.id, from: .flagged, to: .suspended, reason: "gold", by: nil, now: now, sql)
                }
                _ = try await (reinstated, suspended)
                let status = try await store.memberStatuses(in: queue)[annotator.id] ?? .active
                #expect(status == .active, "round \(round)")
            }
            // Reinstating someone active says so, and changes nothing.
            await #expect(throws: AssayError.conflict("the person is already active in queue '\(queue.name)'")) {
                try await store.reinstate(annotator.id, in: queue, by: analyst, reason: nil, now: now)
            }
        }
    }
}
