import AssayCore
import Foundation
import Testing

@Suite("Consensus decider")
struct ConsensusDeciderTests {
    static let schema = LabelSchema.singleChoice([LabelOption(code: "spam"), LabelOption(code: "none")])

    static func queue(_ kind: ConsensusRule.Kind) throws -> Queue {
        try QueueDraft(name: "q", schema: schema, overlap: 3, consensus: ConsensusRule(kind: kind, minimumAgreement: 0.6))
            .makeQueue(id: UUID(), now: Date())
    }

    @Test("the doc example: agreeing votes give a unanimous label with its count and time")
    func docExample() throws {
        let now = Date(timeIntervalSince1970: 1_000)
        let label = ConsensusDecider(queue: try Self.queue(.majority), model: nil)
            .finalLabel(of: 42, votes: [("ann-1", ["spam"]), ("ann-2", ["spam"])], decidedAt: now)
        #expect(label.itemID == 42 && label.labels == ["spam"] && label.provenance == .unanimous)
        #expect(label.judgmentCount == 2 && label.confidence == 1 && label.decidedAt == now)
    }

    @Test("a tie is unresolved; a Dawid–Skene queue without its first estimate decides by majority")
    func tiesAndModelBasedQueuesWithoutAModel() throws {
        let tie = ConsensusDecider(queue: try Self.queue(.majority), model: nil)
            .finalLabel(of: 1, votes: [("a", ["spam"]), ("b", ["none"])], decidedAt: Date())
        #expect(tie.labels == nil && tie.provenance == .unresolved && tie.unresolvedReason != nil)
        let early = ConsensusDecider(queue: try Self.queue(.dawidSkene), model: nil)
            .finalLabel(of: 2, votes: [("a", ["spam"]), ("b", ["spam"]), ("c", ["none"])], decidedAt: Date())
        #expect(early.labels == ["spam"] && early.provenance == .majority)
    }

    @Test("arbitrators' decisions and appeals are settled by people; consensus labels are not")
    func settledByPeople() {
        #expect(FinalLabel.isSettledByPeople(.arbitration, reason: nil))
        #expect(FinalLabel.isSettledByPeople(.unresolved, reason: .appealed))
        #expect(!FinalLabel.isSettledByPeople(.majority, reason: nil))
        #expect(!FinalLabel.isSettledByPeople(.unresolved, reason: .tie))
    }
}
