import AssayQuality
import Testing

@Suite struct CohensKappaTests {
    @Test func docExample() throws {
        let first = Array(repeating: "yes", count: 25) + Array(repeating: "no", count: 25)
        let second =
            Array(repeating: "yes", count: 20) + Array(repeating: "no", count: 5)
            + Array(repeating: "yes", count: 10) + Array(repeating: "no", count: 15)
        let result = try CohensKappa().measure(first, second)
        #expect(isClose(result.value, 0.4))
        #expect(isClose(result.observed, 0.7))
        #expect(isClose(result.expected ?? 0, 0.5))
    }

    /// Hand-worked 2 × 2 table: yes/yes 45, yes/no 15, no/yes 25, no/no 15.
    /// Pₒ = 0.6, Pₑ = 0.6 · 0.7 + 0.4 · 0.3 = 0.54, κ = 0.06 / 0.46.
    @Test func handWorkedTable() throws {
        let first = Array(repeating: 1, count: 60) + Array(repeating: 0, count: 40)
        let second =
            Array(repeating: 1, count: 45) + Array(repeating: 0, count: 15)
            + Array(repeating: 1, count: 25) + Array(repeating: 0, count: 15)
        #expect(isClose(try CohensKappa().measure(first, second).value, 0.06 / 0.46))
    }

    @Test func overItemsBothRatersJudged() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "1", worker: "ann", label: "a"), (item: "1", worker: "bob", label: "a"),
            (item: "2", worker: "ann", label: "b"), (item: "2", worker: "bob", label: "b"),
            (item: "3", worker: "ann", label: "a"), (item: "3", worker: "bob", label: "b"),
            (item: "4", worker: "ann", label: "b"), (item: "4", worker: "cat", label: "a"),
            (item: "5", worker: "bob", label: "a"),
        ])
        let result = try CohensKappa(between: "ann", and: "bob").measure(judgments)
        #expect(result.itemCount == 3)
        #expect(isClose(result.value, try CohensKappa().measure(["a", "b", "a"], ["a", "b", "b"]).value))
        #expect(throws: QualityError.self) { try CohensKappa().measure(judgments) }  // three raters
        #expect(throws: QualityError.self) { try CohensKappa(between: "ann", and: "zed").measure(judgments) }
        #expect(throws: QualityError.noSharedItems(first: "bob", second: "cat")) {
            try CohensKappa(between: "bob", and: "cat").measure(judgments)
        }
    }

    @Test func arraysMustBeParallel() {
        #expect(throws: QualityError.self) { try CohensKappa().measure(["a"], ["a", "b"]) }
        #expect(throws: QualityError.empty) { try CohensKappa().measure([String](), []) }
        #expect(throws: QualityError.noVariation) { try CohensKappa().measure(["a", "a"], ["a", "a"]) }
    }
}
