import AssayQuality
import Testing

@Suite struct AgreementCoefficientTests {
    @Test func docExampleRunsEveryCoefficientAlike() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "1"), (item: "a", worker: "bob", label: "1"),
            (item: "b", worker: "ann", label: "2"), (item: "b", worker: "bob", label: "2"),
            (item: "c", worker: "ann", label: "1"), (item: "c", worker: "bob", label: "2"),
        ])
        let coefficients: [any AgreementCoefficient] = [
            PercentAgreement(), FleissKappa(), KrippendorffAlpha(level: .nominal),
        ]
        var values: [Double] = []
        for coefficient in coefficients {
            values.append(try coefficient.measure(judgments).value)
        }
        #expect(isClose(values[0], 2.0 / 3))
        #expect(isClose(values[1], 1.0 / 3))
        // α's small-sample correction makes it a little higher than Fleiss' κ.
        #expect(values[2] > values[1])
    }

    @Test func resultDocExample() throws {
        let result = try CohensKappa().measure(["yes", "yes", "no"], ["yes", "no", "no"])
        #expect(isClose(result.value, 0.4))
        #expect(isClose(result.observed, 2.0 / 3))
        #expect(isClose(result.expected ?? -1, 4.0 / 9))
    }

    /// Empty input, one label only and one rater give a defined value or a clear error, never NaN.
    @Test(arguments: [
        ("percent", PercentAgreement() as any AgreementCoefficient), ("fleiss", FleissKappa()),
        ("alpha", KrippendorffAlpha()), ("alpha-interval", KrippendorffAlpha(level: .interval)),
        ("cohen", CohensKappa()),
    ])
    func degenerateInputs(name: String, coefficient: any AgreementCoefficient) throws {
        #expect(throws: QualityError.empty) { try coefficient.measure(JudgmentMatrix(triples: [])) }

        let oneRater = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "1"), (item: "b", worker: "ann", label: "2"),
        ])
        #expect(throws: QualityError.tooFewRaters(needed: 2, found: 1)) { try coefficient.measure(oneRater) }

        let oneLabel = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "1"), (item: "a", worker: "bob", label: "1"),
            (item: "b", worker: "ann", label: "1"), (item: "b", worker: "bob", label: "1"),
        ])
        if coefficient is PercentAgreement {
            #expect(try coefficient.measure(oneLabel).value == 1)
        } else {
            #expect(throws: QualityError.noVariation) { try coefficient.measure(oneLabel) }
        }
    }
}
