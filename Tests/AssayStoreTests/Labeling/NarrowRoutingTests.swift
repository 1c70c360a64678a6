import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import Testing

/// Next items for people whose languages or markets pass over much of a queue: on SQLite they are looked for on a
/// reader first, and the write transaction only takes what was found.
@Suite("Routing people who take a few of a queue's items")
struct NarrowRoutingTests {
    @Test("a pt-BR reviewer in a mostly English queue gets the Portuguese items, nothing when none is left, and one whose lease ran out",
          arguments: TestBackend.allCases)
    func narrowRouting(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, overlap: 1, leaseSeconds: 60, languages: ["en", "pt-BR"])
            try await Fixtures.items(store, into: queue, count: 30, language: "en")
            try await Fixtures.items(store, into: queue, count: 2, language: "pt-BR", prefix: "pt")
            let people = try await Fixtures.annotators(store, count: 2, prefix: "pt", languages: ["pt-BR"])
            let (ana, bia) = (people[0].person, people[1].person)
            #expect(NarrowRoutingTests.passesOver(queue, ana))

            let first = try #require(try await store.leaseNextItem(in: queue, for: ana, now: now))
            #expect(first.item.externalID == "pt-0001")
            #expect(try await store.leaseNextItem(in: queue, for: ana, now: now)?.assignment.id == first.assignment.id,
                    "asking again returns the lease held")
            let second = try #require(try await store.leaseNextItem(in: queue, for: bia, now: now))
            #expect(second.item.externalID == "pt-0002")
            let later = now.addingTimeInterval(10)
            _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: second.assignment.id, by: bia, now: later)
            #expect(try await store.leaseNextItem(in: queue, for: bia, now: later) == nil, "nothing in Portuguese is left for her")

            // Ana's lease runs out unswept: the search found nothing open, the transaction frees the slot and finds it.
            let expired = now.addingTimeInterval(61)
            let regained = try #require(try await store.leaseNextItem(in: queue, for: bia, now: expired))
            #expect(regained.item.externalID == "pt-0001")
            #expect(try await store.stats(of: queue.id).judgments == 1)
        }
    }

    static func passesOver(_ queue: Queue, _ person: Person) -> Bool { Store.mayPassOverItems(of: queue, for: person) }

    @Test("only people who may be passed over are looked for first on a reader")
    func whoIsProbed() throws {
        func queue(_ languages: [String], _ markets: [String]) throws -> Queue {
            var draft = QueueDraft(name: "q", schema: .singleChoice([LabelOption(code: "a"), LabelOption(code: "b")]))
            draft.languages = languages
            draft.markets = markets
            return try draft.makeQueue(id: UUID(), now: Date())
        }
        func person(_ languages: [String], _ markets: [String]) -> Person {
            Person(id: UUID(), externalID: "p", name: "P", role: .annotator, languages: languages, markets: markets, createdAt: Date())
        }
        #expect(!Store.mayPassOverItems(of: try queue(["en"], ["US"]), for: person([], [])))
        #expect(!Store.mayPassOverItems(of: try queue(["en"], ["US"]), for: person(["en"], ["US", "GB"])))
        #expect(!Store.mayPassOverItems(of: try queue(["pt-BR"], []), for: person(["pt"], [])))
        #expect(Store.mayPassOverItems(of: try queue(["pt"], []), for: person(["pt-BR"], [])), "a pt queue may hold pt-PT items")
        #expect(Store.mayPassOverItems(of: try queue(["en", "pt-BR"], []), for: person(["pt-BR"], [])))
        #expect(Store.mayPassOverItems(of: try queue([], []), for: person(["en"], [])), "a queue of any language")
        #expect(Store.mayPassOverItems(of: try queue(["en"], ["US", "BR"]), for: person(["en"], ["BR"])))
    }
}
