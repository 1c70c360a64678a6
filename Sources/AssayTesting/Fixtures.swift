import AssayCore
import AssayStore
import Foundation

/// Small, hand-checkable workspaces for tests, made through the store.
public enum Fixtures {
    /// A single-choice trust & safety schema: hate, harassment, spam, none.
    public static let safetySchema = LabelSchema.singleChoice([
        LabelOption(code: "hate", name: "Hate speech"), LabelOption(code: "harassment", name: "Harassment"),
        LabelOption(code: "spam", name: "Spam or scam"), LabelOption(code: "none", name: "No violation"),
    ])

    /// Makes a queue with the safety schema.
    public static func queue(
        _ store: Store, name: String = "comments-en", overlap: Int = 1, leaseSeconds: Int = 600,
        languages: [String] = [], markets: [String] = [], consensus: ConsensusRule = .majority, now: Date = Date()
    ) async throws -> Queue {
        try await store.createQueue(
            QueueDraft(
                name: name, markets: markets, languages: languages, schema: safetySchema, overlap: overlap,
                leaseSeconds: leaseSeconds, consensus: consensus),
            now: now)
    }

    /// Imports `count` items with external ids `item-0001`… and the given language and market.
    @discardableResult
    public static func items(
        _ store: Store, into queue: Queue, count: Int, language: String? = nil, market: String? = nil,
        prefix: String = "item", now: Date = Date()
    ) async throws -> ImportReport {
        let drafts = (1...count).map { index in
            ItemDraft(
                externalID: String(format: "%@-%04d", prefix, index),
                content: ["text": .string("comment number \(index)")], market: market, language: language)
        }
        return try await store.importItems(drafts, into: queue, now: now)
    }

    /// Adds annotators and returns each with their token.
    public static func annotators(
        _ store: Store, count: Int, prefix: String = "annotator", languages: [String] = [], markets: [String] = [],
        now: Date = Date()
    ) async throws -> [(person: Person, token: String)] {
        var people: [(Person, String)] = []
        for index in 1...count {
            let person = try await store.createPerson(
                PersonDraft(
                    externalID: "\(prefix)-\(index)", name: "\(prefix.capitalized) \(index)", role: .annotator,
                    languages: languages, markets: markets),
                now: now)
            people.append((person, try await store.issueToken(for: person.id, now: now).value))
        }
        return people
    }

    /// Adds one person of a role and returns their token.
    public static func token(_ store: Store, role: Role, name: String, now: Date = Date()) async throws -> String {
        let person = try await store.createPerson(PersonDraft(name: name, role: role), now: now)
        return try await store.issueToken(for: person.id, now: now).value
    }

    /// Labels the ordinary work `next` serves the person ("none") until it serves a gold item (`isGold`), and returns
    /// that lease, with how many ordinary items were labelled first; nil when the work ran out before.
    public static func leaseGold(
        _ store: Store, in queue: Queue, for person: Person, now: Date, isGold: (Item) -> Bool
    ) async throws -> (lease: Lease?, worked: Int) {
        var worked = 0
        while let next = try await store.leaseNextItem(in: queue, for: person, now: now) {
            if isGold(next.item) { return (next, worked) }
            _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: next.assignment.id, by: person, now: now)
            worked += 1
        }
        return (nil, worked)
    }
}
