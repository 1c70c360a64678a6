import AssayQuality
import Testing

@Suite struct PercentAgreementTests {
    @Test func docExample() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "x"), (item: "a", worker: "bob", label: "x"),
            (item: "b", worker: "ann", label: "x"), (item: "b", worker: "bob", label: "y"),
        ])
        let result = try PercentAgreement().measure(judgments)
        #expect(result.value == 0.5)
        #expect(result.expected == nil)
    }

    @Test func pairwiseWithinItemsAndSkipsSingletons() throws {
        // Item a: x x y → 1 agreeing pair of 3 (1/3); item b: one judgment, skipped.
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "1", label: "x"), (item: "a", worker: "2", label: "x"),
            (item: "a", worker: "3", label: "y"), (item: "b", worker: "1", label: "x"),
        ])
        let result = try PercentAgreement().measure(judgments)
        #expect(isClose(result.value, 1.0 / 3))
        #expect(result.itemCount == 1)
        #expect(result.judgmentCount == 3)
    }

    @Test func fleissTableObservedAgreement() throws {
        let result = try PercentAgreement().measure(Fixtures.matrix(counts: Fixtures.fleissCounts))
        #expect(abs(result.value - 0.378) < 0.0005)
    }
}
