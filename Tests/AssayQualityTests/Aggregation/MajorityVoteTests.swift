import AssayQuality
import Testing

@Suite struct MajorityVoteTests {
    @Test func docExampleTieGoesToFirstLabel() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "q1", worker: "ann", label: "cat"), (item: "q1", worker: "bob", label: "dog"),
        ])
        let result = try MajorityVote().aggregate(judgments)
        #expect(result.label(of: "q1") == "cat")
        #expect(result.confidence(of: "q1") == 0.5)
    }

    @Test func tieRuleFollowsLabelOrderNotRowOrder() throws {
        let rows: [(item: String, worker: String, label: String)] = [
            (item: "q", worker: "1", label: "b"), (item: "q", worker: "2", label: "a"),
            (item: "q", worker: "3", label: "c"), (item: "q", worker: "4", label: "c"),
            (item: "q", worker: "5", label: "b"),
        ]
        #expect(try MajorityVote().aggregate(JudgmentMatrix(triples: rows)).label(of: "q") == "b")
        let reordered = try JudgmentMatrix(triples: rows, labelOrder: ["c", "b", "a"])
        #expect(try MajorityVote().aggregate(reordered).label(of: "q") == "c")
    }

    @Test func confidenceIsVoteShareAndSkillIsAgreement() throws {
        let result = try MajorityVote().aggregate(Fixtures.posts())
        #expect(result.label(of: "post-2") == "ham")
        #expect(result.confidence(of: "post-2") == 1)
        #expect(result.skill(of: "ann") == WorkerSkill(judgmentCount: 2, accuracy: 1))
        #expect(result.converged && result.iterations == 0 && result.logLikelihood == nil)
    }
}
