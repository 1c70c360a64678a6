import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// A client key names one judgment of its person. Two submits by one person with one key, on two assignments at
/// once, are a client's bug: one lands, the other is a conflict, never a database error.
@Suite("Client keys under concurrency")
struct ClientKeyRaceTests {
    @Test("one key on two assignments submitted at once: one judgment, one conflict, every round", arguments: TestBackend.allCases)
    func sameKeyTwoAssignments(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let first = try await Fixtures.queue(store, name: "first", now: now)
            let second = try await Fixtures.queue(store, name: "second", now: now)
            try await Fixtures.items(store, into: first, count: 12, now: now)
            try await Fixtures.items(store, into: second, count: 12, now: now)
            let person = try await store.createPerson(PersonDraft(name: "Al", role: .annotator), now: now)
            for round in 0..<12 {
                let a = try #require(try await store.leaseNextItem(in: first, for: person, now: now))
                let b = try #require(try await store.leaseNextItem(in: second, for: person, now: now))
                let submission = JudgmentSubmission(labels: ["spam"], clientKey: "key-\(round)")
                async let one = Self.outcome { try await store.submitJudgment(submission, on: a.assignment.id, by: person, now: now) }
                async let two = Self.outcome { try await store.submitJudgment(submission, on: b.assignment.id, by: person, now: now) }
                let outcomes = await [one, two].sorted()
                #expect(outcomes == ["conflict", "stored"], "round \(round): \(outcomes)")
            }
        }
    }

    private static func outcome(_ submit: () async throws -> SubmitOutcome) async -> String {
        do {
            _ = try await submit()
            return "stored"
        } catch AssayError.conflict(let message) where message.contains("client_key") {
            return "conflict"
        } catch {
            return "\(error)"
        }
    }
}
