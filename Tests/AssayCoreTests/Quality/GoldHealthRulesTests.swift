import AssayCore
import Foundation
import Testing

@Suite("Gold health rules")
struct GoldHealthRulesTests {
    @Test("over-exposed from 50 answers; disputed from 10 answers under half right")
    func itemUse() {
        #expect(!GoldHealth.ItemUse(itemID: 1, answers: 49, accuracy: 1).isOverexposed)
        #expect(GoldHealth.ItemUse(itemID: 1, answers: 50, accuracy: 1).isOverexposed)
        #expect(!GoldHealth.ItemUse(itemID: 1, answers: 9, accuracy: 0).isDisputed, "too few answers to say")
        #expect(GoldHealth.ItemUse(itemID: 1, answers: 10, accuracy: 0.4).isDisputed)
        #expect(!GoldHealth.ItemUse(itemID: 1, answers: 10, accuracy: 0.5).isDisputed)
    }

    @Test("a leak is suspected when gold accuracy runs over 25 points above agreement, each on 20 or more")
    func leaks() {
        func leak(gold: (Int, Int), ordinary: (Int, Int)) -> GoldHealth.SuspectedLeak? {
            GoldHealth.SuspectedLeak(
                annotatorID: UUID(), externalID: "ana", goldAnswers: gold.0, goldCorrect: gold.1, ordinaryJudgments: ordinary.0,
                agreed: ordinary.1)
        }
        let suspected = leak(gold: (20, 20), ordinary: (40, 28))
        #expect(suspected?.goldAccuracy == 1 && suspected?.peerAgreement == 0.7)
        #expect(leak(gold: (20, 20), ordinary: (40, 30)) == nil, "exactly 25 points is not over")
        #expect(leak(gold: (19, 19), ordinary: (40, 0)) == nil && leak(gold: (20, 20), ordinary: (19, 0)) == nil)
    }
}
