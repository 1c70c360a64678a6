import AssayCore
import Testing

@Suite("Consensus rules")
struct ConsensusRuleTests {
    @Test("the doc example: two of three say spam")
    func docExample() {
        let outcome = ConsensusRule.majority.resolve([["spam"], ["spam"], ["none"]], kind: .singleChoice)
        #expect(outcome.labels == ["spam"])
        #expect(abs(outcome.agreement - 2.0 / 3.0) < 1e-12)
        #expect(FinalLabel.provenance(of: outcome) == .majority)
    }

    @Test("a tie is unresolved, under majority and unanimous alike")
    func ties() {
        for rule in [ConsensusRule.majority, .unanimous] {
            let outcome = rule.resolve([["a"], ["b"]], kind: .singleChoice)
            #expect(outcome.labels == nil)
            #expect(outcome.reason == .tie)
        }
        let plurality = ConsensusRule.majority.resolve([["a"], ["a"], ["b"], ["b"], ["c"]], kind: .singleChoice)
        #expect(plurality.reason == .tie)
    }

    @Test("unanimous needs every judgment to agree")
    func unanimous() {
        #expect(ConsensusRule.unanimous.resolve([["a"], ["a"], ["b"]], kind: .singleChoice).reason == .disagreement)
        let agreed = ConsensusRule.unanimous.resolve([["a"], ["a"], ["a"]], kind: .rating)
        #expect(agreed.labels == ["a"])
        #expect(FinalLabel.provenance(of: agreed) == .unanimous)
    }

    @Test("a minimum agreement share turns weak majorities into unresolved items")
    func minimumAgreement() throws {
        let rule = try ConsensusRule(kind: .majority, minimumAgreement: 0.75).validated()
        #expect(rule.resolve([["a"], ["a"], ["b"]], kind: .singleChoice).reason == .belowMinimumAgreement)
        #expect(rule.resolve([["a"], ["a"], ["a"], ["b"]], kind: .singleChoice).labels == ["a"])
        #expect(throws: AssayError.self) { try ConsensusRule(kind: .majority, minimumAgreement: 1.5).validated() }
    }

    @Test("multi-choice decides each label on its own")
    func multiChoice() {
        let outcome = ConsensusRule.majority.resolve([["scam", "adult"], ["scam"], ["scam", "adult"]], kind: .multiChoice)
        #expect(outcome.labels == ["scam", "adult"])
        #expect(abs(outcome.agreement - 2.0 / 3.0) < 1e-12, "adult had 2 of 3")
        #expect(ConsensusRule.majority.resolve([["a"], ["b"]], kind: .multiChoice).reason == .tie)
        #expect(ConsensusRule.majority.resolve([["a"], ["b"], ["c"]], kind: .multiChoice).reason == .noLabelChosenByMajority)
    }

    @Test("no judgments, no label")
    func empty() {
        #expect(ConsensusRule.majority.resolve([], kind: .singleChoice).reason == .noJudgments)
    }
}
