import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Moderator wellbeing in the store: exposure counted and limited per person and day, the stretch of unbroken
/// work, and escalation to an expert.
@Suite("Wellbeing and escalation")
struct WellbeingTests {
    static let schema = LabelSchema.singleChoice([
        LabelOption(code: "gore", name: "Graphic violence", severe: true), LabelOption(code: "spam"), LabelOption(code: "none"),
    ])

    @Test("severe judgments count per person and day; at the limit the queue gives no more work that day and names others",
          arguments: TestBackend.allCases)
    func exposureLimit(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(9 * 3_600)
            let harm = try await store.createQueue(
                QueueDraft(name: "harm", schema: Self.schema, quality: QualitySettings(exposureLimit: 2)), now: start)
            _ = try await store.createQueue(QueueDraft(name: "calm", schema: .singleChoice([LabelOption(code: "ok"), LabelOption(code: "spam")])), now: start)
            try await Fixtures.items(store, into: harm, count: 10, now: start)
            let acme = try await store.createVendor(named: "Acme", now: start)
            let team = try await store.createTeam(named: "Night", in: acme.id, now: start)
            let person = try await store.createPerson(
                PersonDraft(name: "Mo", role: .annotator, vendorID: acme.id, teamID: team.id), now: start)

            for (minute, label) in [(0, "gore"), (3, "spam"), (6, "gore")] {
                let at = start.addingTimeInterval(Double(minute) * 60)
                let lease = try #require(try await store.leaseNextItem(in: harm, for: person, now: at))
                _ = try await store.submitJudgment(
                    JudgmentSubmission(labels: [label], timeSpentMs: 1_000), on: lease.assignment.id, by: person, now: at)
            }
            #expect(try await store.exposure(of: person.id, on: start) == ["gore": 2])
            do {
                _ = try await store.leaseNextItem(in: harm, for: person, now: start.addingTimeInterval(7 * 60))
                Issue.record("a third severe item was offered past the limit")
            } catch AssayError.forbidden(let reason) {
                #expect(reason.contains("2 items of gore today") && reason.contains("limit of 2") && reason.contains("calm"), "\(reason)")
            }
            // The next day starts afresh.
            #expect(try await store.leaseNextItem(in: harm, for: person, now: start.addingTimeInterval(86_400)) != nil)

            // The stretch: three judgments three minutes apart; rested after ten minutes without one.
            #expect(try await store.workStretchStart(of: person.id, now: start.addingTimeInterval(8 * 60)) == start)
            #expect(try await store.workStretchStart(of: person.id, now: start.addingTimeInterval(17 * 60)) == nil)
            // A night shift's stretch goes on past midnight (UTC).
            let night = try await store.createPerson(PersonDraft(name: "Noor", role: .annotator, vendorID: acme.id, teamID: team.id), now: start)
            let midnight = start.addingTimeInterval(15 * 3_600)
            for minute in [-4, -2, 0, 2] {
                let at = midnight.addingTimeInterval(Double(minute) * 60)
                let lease = try #require(try await store.leaseNextItem(in: harm, for: night, now: at))
                _ = try await store.submitJudgment(
                    JudgmentSubmission(labels: ["spam"], timeSpentMs: 1_000), on: lease.assignment.id, by: night, now: at)
            }
            #expect(try await store.workStretchStart(of: night.id, now: midnight.addingTimeInterval(3 * 60))
                == midnight.addingTimeInterval(-4 * 60))

            // Judgments made in another tool count too, on the day they were made.
            let elsewhere = start.addingTimeInterval(-86_400)
            _ = try await store.importJudgments(
                (4...6).map {
                    ImportedJudgment(
                        itemExternalID: String(format: "item-%04d", $0), annotatorExternalID: "vendor-tool-7",
                        labels: [$0 == 6 ? "none" : "gore"], rationale: nil, startedAt: nil, submittedAt: elsewhere, line: $0)
                },
                into: harm, now: start)
            let imported = try await store.person(externalID: "vendor-tool-7")
            #expect(try await store.exposure(of: imported.id, on: elsewhere) == ["gore": 2])
            #expect(try await store.exposure(of: imported.id, on: start) == [:])

            let byTeam = try await store.exposureByTeam(
                labels: ["gore"], from: start, to: start, limit: 2)
            #expect(byTeam == [TeamExposure(team: "Acme / Night", label: "gore", items: 2, people: 1, personDaysAtLimit: 1, highestDay: 2)])
            #expect(try await store.exposureByTeam(labels: ["gore"], from: start, to: start, limit: 2, vendorID: UUID()).isEmpty)
        }
    }

    @Test("escalating gives the item back and opens one case with the note; an empty note is refused and changes nothing",
          arguments: TestBackend.allCases)
    func escalation(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, name: "esc", overlap: 2, now: now)
            try await Fixtures.items(store, into: queue, count: 1, now: now)
            let people = try await Fixtures.annotators(store, count: 2, now: now).map(\.person)
            let lease = try #require(try await store.leaseNextItem(in: queue, for: people[0], now: now))
            await #expect(throws: AssayError.self) {
                try await store.escalate(lease.assignment.id, note: "  ", by: people[0], now: now)
            }
            let opened = try await store.escalate(lease.assignment.id, note: "Is this satire?", by: people[0], now: now)
            #expect(opened.reason == "escalated" && opened.note == "Is this satire?" && opened.state == .open)
            #expect(try await store.leaseNextItem(in: queue, for: people[0], now: now) == nil, "never offered again")
            // The slot came back: someone else gets the item; their escalation joins the open case.
            let other = try #require(try await store.leaseNextItem(in: queue, for: people[1], now: now))
            #expect(try await store.escalate(other.assignment.id, note: "Unsure too", by: people[1], now: now).id == opened.id)
            let files = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 10, now: now)
            #expect(files.map(\.arbitrationCase.id) == [opened.id])
        }
    }
}
