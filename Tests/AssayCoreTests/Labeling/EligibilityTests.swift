import AssayCore
import Foundation
import Testing

@Suite("Who may work on which queue")
struct EligibilityTests {
    func person(languages: [String], markets: [String]) -> Person {
        Person(id: UUID(), externalID: "p", name: "P", role: .annotator, languages: languages, markets: markets, createdAt: Date())
    }

    func queue(languages: [String], markets: [String]) throws -> Queue {
        try QueueDraft(
            name: "q", markets: markets, languages: languages,
            schema: .singleChoice([LabelOption(code: "a"), LabelOption(code: "b")])
        ).makeQueue(id: UUID(), now: Date())
    }

    @Test("regional variants count as the language")
    func variants() {
        #expect(Eligibility.speaks("pt", "pt-BR"))
        #expect(Eligibility.speaks("pt-BR", "pt"))
        #expect(!Eligibility.speaks("pt-BR", "pt-PT"))
        #expect(!Eligibility.speaks("en", "es"))
    }

    @Test("a person must share a language and a market with the queue")
    func queueLevel() throws {
        let queue = try queue(languages: ["pt-BR", "es"], markets: ["BR", "MX"])
        try Eligibility.requireCanWork(person(languages: ["pt"], markets: ["BR"]), on: queue)
        try Eligibility.requireCanWork(person(languages: [], markets: []), on: queue)
        #expect(throws: AssayError.self) { try Eligibility.requireCanWork(person(languages: ["en"], markets: ["BR"]), on: queue) }
        #expect(throws: AssayError.self) { try Eligibility.requireCanWork(person(languages: ["es"], markets: ["US"]), on: queue) }
        #expect(Eligibility.languages(of: person(languages: ["pt-BR"], markets: [])) == .init(exactly: ["pt-BR", "pt"], variantsOf: ["pt-BR"]))
        #expect(Eligibility.languages(of: person(languages: [], markets: [])) == nil)
    }

    /// The lease query's lists must take exactly the items `speaks` allows; they once let a `pt-BR` reviewer take
    /// `pt-PT` items, since the base `pt` they add was also matched with its variants.
    @Test("the lease query's language lists agree with speaks")
    func languageListsAgreeWithSpeaks() throws {
        let codes = ["pt", "pt-BR", "pt-PT", "en", "en-GB", "zh", "zh-Hans", "zh-Hans-CN", "zh-Hant-TW", "es-419"]
        for first in codes {
            for second in [nil] + codes {
                let offered = [first] + (second.map { [$0] } ?? [])
                let match = try #require(Eligibility.languages(of: person(languages: offered, markets: [])))
                for item in codes {
                    let listed = match.exactly.contains(item) || match.variantsOf.contains { item.hasPrefix($0 + "-") }
                    #expect(listed == offered.contains { Eligibility.speaks($0, item) }, "\(offered) on \(item)")
                }
            }
        }
    }

    @Test("roles and statuses decide who labels")
    func policy() {
        var annotator = person(languages: [], markets: [])
        #expect(throws: Never.self) { try Policy.requireCanLabel(Actor(person: annotator)) }
        annotator.status = .suspended
        #expect(throws: AssayError.self) { try Policy.requireCanLabel(Actor(person: annotator)) }
        var analyst = person(languages: [], markets: [])
        analyst.role = .analyst
        #expect(throws: AssayError.self) { try Policy.requireCanLabel(Actor(person: analyst)) }
        #expect(throws: Never.self) { try Policy.requireCanManageQueues(Actor(person: analyst)) }
        #expect(throws: AssayError.self) { try Policy.requireCanManageWorkspace(Actor(person: analyst)) }
    }
}

@Suite("When two answers are the same")
struct LabelMatchTests {
    @Test("the same set of labels, whatever the order or repeats; a label missed or added is another answer")
    func sets() {
        #expect(LabelMatch.isSame(["spam", "scam"], as: ["scam", "spam"]))
        #expect(LabelMatch.isSame(["spam", "spam"], as: ["spam"]))
        #expect(!LabelMatch.isSame(["spam"], as: ["spam", "scam"]))
        #expect(!LabelMatch.isSame(["spam", "scam", "hate"], as: ["spam", "scam"]))
        #expect(LabelMatch.isSame("a+b".split(separator: "+"), as: "b+a".split(separator: "+")))
    }
}
