import AssayQuality
import Testing

@Suite struct FleissKappaTests {
    /// Fleiss (1971) / Wikipedia worked example: P̄ = 0.378, Pₑ = 0.213, κ = 0.210.
    @Test func fleissWorkedExample() throws {
        let result = try FleissKappa().measure(Fixtures.matrix(counts: Fixtures.fleissCounts))
        #expect(abs(result.value - 0.210) < 0.0005)
        #expect(abs(result.observed - 0.378) < 0.0005)
        #expect(abs((result.expected ?? 0) - 0.213) < 0.0005)
        #expect(result.itemCount == 10)
        #expect(result.judgmentCount == 140)
    }

    @Test func docExample() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "x"), (item: "a", worker: "bob", label: "x"),
            (item: "b", worker: "ann", label: "y"), (item: "b", worker: "bob", label: "y"),
            (item: "c", worker: "ann", label: "x"), (item: "c", worker: "bob", label: "y"),
        ])
        #expect(isClose(try FleissKappa().measure(judgments).value, 1.0 / 3))
    }

    @Test func unequalRaterCountsUseEachItemsOwnCount() throws {
        // a: x x x (Pᵢ = 1); b: x y (Pᵢ = 0); c: y (skipped). P̄ = 0.5; p = (4/5, 1/5); Pₑ = 0.68.
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "1", label: "x"), (item: "a", worker: "2", label: "x"),
            (item: "a", worker: "3", label: "x"), (item: "b", worker: "1", label: "x"),
            (item: "b", worker: "2", label: "y"), (item: "c", worker: "1", label: "y"),
        ])
        let result = try FleissKappa().measure(judgments)
        #expect(isClose(result.value, (0.5 - 0.68) / (1 - 0.68)))
        #expect(result.itemCount == 2)
    }
}
