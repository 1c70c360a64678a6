import AssayQuality
import Testing

@Suite struct QualityErrorTests {
    @Test func messagesSayWhatToDo() {
        #expect(QualityError.empty.description.contains("add at least one"))
        #expect(QualityError.tooFewRaters(needed: 2, found: 1).description.contains("at least 2"))
        #expect(QualityError.noVariation.description.contains("undefined"))
        #expect(QualityError.invalidInput("label 'x' is not in the label order").description == "label 'x' is not in the label order")
        #expect(QualityError.noSharedItems(first: "a", second: "b").description.contains("'a'"))
    }

    @Test func docExample() throws {
        do {
            _ = try FleissKappa().measure(JudgmentMatrix(triples: []))
            Issue.record("expected an error")
        } catch let error as QualityError {
            #expect(error == .empty)
            #expect(error.description.hasPrefix("There are no judgments"))
        }
    }
}
