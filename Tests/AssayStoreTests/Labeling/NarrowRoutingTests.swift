import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// Next items for people whose languages or markets pass over much of a queue: their search probes the places
/// (language and market pairs) they take, one index probe each, and must come to the queue's order all the same.
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

    @Test("only people who may pass over items are searched for by place")
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

    /// One item: external id, language, market, priority.
    typealias Spot = (id: String, language: String?, market: String?, priority: Int)

    /// Items in several places, imported in this order (so `a` is the oldest).
    static let spots: [Spot] = [
        ("a", "en", "US", 0), ("b", "pt-BR", "BR", 5), ("c", nil, nil, 1), ("d", "pt-PT", "PT", 9),
        ("e", "pt-BR", nil, 2), ("f", "pt-BR", "BR", 5), ("g", "en", "BR", 7),
    ]

    /// What the person is served, labelling each item as it comes, until nothing is left for them.
    static func served(
        ordering: ItemOrdering, languages: [String], markets: [String], uncertainty: [String: Double] = [:],
        on backend: TestBackend
    ) async throws -> [String] {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var draft = QueueDraft(name: "global", schema: Fixtures.safetySchema)
            draft.ordering = ordering
            let queue = try await store.createQueue(draft, now: now)
            let drafts = spots.map {
                ItemDraft(externalID: $0.id, content: ["text": .string($0.id)], market: $0.market, language: $0.language, priority: $0.priority)
            }
            _ = try await store.importItems(drafts, into: queue, now: now)
            for (id, score) in uncertainty {
                try await store.sql().raw("UPDATE items SET uncertainty = \(bind: score) WHERE external_id = \(bind: id)").run()
            }
            let person = try await Fixtures.annotators(store, count: 1, languages: languages, markets: markets)[0].person
            #expect(passesOver(queue, person))
            var served: [String] = []
            while let lease = try await store.leaseNextItem(in: queue, for: person, now: now), served.count < spots.count {
                served.append(lease.item.externalID)
                _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: person, now: now)
            }
            return served
        }
    }

    @Test("the places a person takes are served in the queue's order, items without a language or market included",
          arguments: TestBackend.allCases)
    func placesInOrder(on backend: TestBackend) async throws {
        let brazil = (languages: ["pt-BR"], markets: ["BR"])
        #expect(try await Self.served(ordering: .priority, languages: brazil.languages, markets: brazil.markets, on: backend)
                == ["b", "f", "e", "c"])
        #expect(try await Self.served(ordering: .oldest, languages: brazil.languages, markets: brazil.markets, on: backend)
                == ["b", "c", "e", "f"])
        #expect(try await Self.served(ordering: .newest, languages: brazil.languages, markets: brazil.markets, on: backend)
                == ["f", "e", "c", "b"])
        // Scored items first, most uncertain first (d is scored highest but Portuguese of Portugal); then the rest, oldest first.
        #expect(try await Self.served(
            ordering: .uncertainty, languages: brazil.languages, markets: brazil.markets,
            uncertainty: ["c": 0.9, "f": 0.5, "b": 0.1, "d": 0.99], on: backend) == ["c", "f", "b", "e"])
        // Someone who reads every Portuguese takes both variants, in any market.
        #expect(try await Self.served(ordering: .priority, languages: ["pt"], markets: [], on: backend) == ["d", "b", "f", "e", "c"])
        // Someone who covers Brazil in any language.
        #expect(try await Self.served(ordering: .priority, languages: [], markets: ["BR"], on: backend) == ["g", "b", "f", "e", "c"])
    }

    @Test("someone who takes more places than one statement probes is served in the queue's order across statements",
          arguments: TestBackend.allCases)
    func manyPlaces(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, overlap: 1)
            let markets = (0..<(Store.placesPerStatement + 6)).map { String(format: "M%02d", $0) }
            var drafts = (0..<5).map {
                ItemDraft(externalID: "fr-\($0)", content: ["text": .string("fr")], market: "FR", language: "fr", priority: 9)
            }
            drafts += markets.enumerated().map { index, market in
                ItemDraft(externalID: "en-\(market)", content: ["text": .string("en")], market: market, language: "en", priority: index % 3)
            }
            _ = try await store.importItems(drafts, into: queue, now: now)
            let person = try await Fixtures.annotators(store, count: 1, languages: ["en"])[0].person
            #expect(Self.passesOver(queue, person))
            var served: [String] = []
            while let lease = try await store.leaseNextItem(in: queue, for: person, now: now) {
                served.append(lease.item.externalID)
                _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: person, now: now)
            }
            let expected = markets.enumerated().sorted { ($0.offset % 3, -$0.offset) > ($1.offset % 3, -$1.offset) }.map { "en-\($0.element)" }
            #expect(served == expected)
        }
    }

    /// Thirty-two people who take only part of a queue ask for work at once, over and over: everyone who hears
    /// "nothing left" has nothing left. (On PostgreSQL, each waited on the same unlocked first item of the place,
    /// lost it, moved on together, and after five rounds heard "nothing left" with hundreds of items open.)
    @Test("people searched for by place, all at once, hear nothing left only when nothing is left for them",
          arguments: TestBackend.allCases)
    func placeSearchUnderContention(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, overlap: 3, languages: ["en", "de"], markets: ["US", "DE"])
            _ = try await Fixtures.items(store, into: queue, count: 200, language: "en", market: "US")
            _ = try await Fixtures.items(store, into: queue, count: 20, language: "de", market: "DE", prefix: "de")
            let people = try await Fixtures.annotators(store, count: 32, prefix: "us", languages: ["en"], markets: ["US"])
            #expect(Self.passesOver(queue, people[0].person))
            let sql = try store.sql()
            let falseEnds = try await withThrowingTaskGroup(of: [String].self) { group in
                for (person, _) in people {
                    group.addTask {
                        var judged = 0
                        while true {
                            guard let lease = try await store.leaseNextItem(in: queue, for: person, now: now) else {
                                // Slots only ever close here (no lease runs out, nobody skips): whatever is open now
                                // was open when the answer was given.
                                let left = try await sql.raw("""
                                    SELECT COUNT(*) AS n FROM items i
                                    WHERE i.queue_id = \(bind: queue.id) AND i.language = 'en' AND i.open_slots > 0
                                      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.annotator_id = \(bind: person.id))
                                    """).first()!.decode(column: "n", as: Int.self)
                                return left == 0 ? [] : ["\(person.externalID) heard nothing left after \(judged) with \(left) open"]
                            }
                            _ = try await store.submitJudgment(
                                JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: person, now: now)
                            judged += 1
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(falseEnds.isEmpty, "\(falseEnds.prefix(5))")
            let stats = try await store.stats(of: queue.id)
            #expect(stats.judgments == 600, "every English item judged three times, the German ones by nobody")
        }
    }

    /// A batch (an import of judgments, a re-estimate) holds the first 150 items of a place for a while: a person
    /// searched for by place gets an item past them at once, not "busy" and not a wait for the batch.
    @Test("a place search passes over items another transaction holds (PostgreSQL: SQLite has one writer)",
          arguments: TestBackend.allCases.filter { $0 == .postgres })
    func placeSearchPastHeldItems(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, overlap: 1, languages: ["en", "de"], markets: ["US", "DE"])
            _ = try await Fixtures.items(store, into: queue, count: 200, language: "en", market: "US")
            let person = try await Fixtures.annotators(store, count: 1, languages: ["en"], markets: ["US"])[0].person
            #expect(Self.passesOver(queue, person))
            let (locked, lockedSignal) = AsyncStream.makeStream(of: [Int64].self)
            let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await store.transaction { sql in
                    let ids = try await sql.raw("""
                        SELECT id FROM items WHERE queue_id = \(bind: queue.id) ORDER BY id LIMIT 150 FOR UPDATE
                        """).all().map { try $0.int64("id") }
                    lockedSignal.yield(ids)
                    // Held until the lease is in, or two minutes at most (the whole suite shares two cores).
                    _ = await Task { for await _ in release { break } }.result
                }
            }
            var iterator = locked.makeAsyncIterator()
            let held = try #require(await iterator.next())
            let lease = try await withThrowingTaskGroup(of: Lease?.self) { group in
                group.addTask { try await store.leaseNextItem(in: queue, for: person, now: now) }
                group.addTask { try await Task.sleep(for: .seconds(120)); releaseSignal.yield(); return nil }
                defer { group.cancelAll() }
                return try await group.next()!
            }
            releaseSignal.yield()
            releaseSignal.finish()
            try await holder.value
            let leased = try #require(lease, "a lease while the batch held its items, not once it let them go")
            #expect(!held.contains(leased.item.id) && leased.item.externalID == "item-0151", "\(leased.item.externalID)")
        }
    }
}
