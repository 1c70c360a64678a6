import AssayQuality
import Testing

@Suite struct GoldLabelsTests {
    @Test func docExample() {
        let gold = GoldLabels(["post-1": "spam"])
        #expect(gold["post-1"] == "spam")
        #expect(gold.count == 1)
    }

    @Test func rowsWithConflictingLabelsAreRejected() throws {
        let gold = try GoldLabels(rows: [(item: "a", label: "x"), (item: "a", label: "x")])
        #expect(gold.count == 1)
        #expect(throws: QualityError.self) {
            try GoldLabels(rows: [(item: "a", label: "x"), (item: "a", label: "y")])
        }
    }
}
