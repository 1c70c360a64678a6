import AssayQuality
import Testing

@Suite struct KrippendorffAlphaTests {
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, missing data.
    @Test(arguments: [
        (KrippendorffAlpha.Level.nominal, 0.743), (.ordinal, 0.815), (.interval, 0.849), (.ratio, 0.797),
    ])
    func publishedExample(level: KrippendorffAlpha.Level, expected: Double) throws {
        let result = try KrippendorffAlpha(level: level).measure(Fixtures.krippendorff2011())
        #expect(abs(result.value - expected) < 0.0005, "α(\(level)) = \(result.value)")
        #expect(result.itemCount == 11)  // unit 12 has one value and is not pairable
        #expect(result.judgmentCount == 40)
    }

    /// The paper's nominal working: α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 − 39 · 8 / 1216.
    @Test func nominalTermsMatchThePaper() throws {
        let result = try KrippendorffAlpha(level: .nominal).measure(Fixtures.krippendorff2011())
        // n = (9, 13, 10, 5, 3), n = 40; off-diagonal coincidences sum to 8; 1600 − (81+169+100+25+9) = 1216.
        #expect(isClose(result.observed, 8.0 / 40))
        #expect(isClose(result.expected ?? 0, 1216.0 / (40 * 39)))
        #expect(isClose(result.value, 1 - 39.0 * 8 / 1216))
    }

    @Test func docExample() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "u1", worker: "A", label: "1"), (item: "u1", worker: "B", label: "1"),
            (item: "u2", worker: "A", label: "2"), (item: "u2", worker: "B", label: "3"),
            (item: "u3", worker: "A", label: "3"), (item: "u3", worker: "B", label: "3"),
            (item: "u4", worker: "A", label: "1"),  // B missing: not pairable, skipped
        ])
        let nominal = try KrippendorffAlpha(level: .nominal).measure(judgments).value
        let interval = try KrippendorffAlpha(level: .interval).measure(judgments).value
        #expect(interval > nominal)
        #expect(isClose(nominal, 1 - 10.0 / 22))
        #expect(isClose(interval, 1 - 10.0 / 58))
    }

    @Test func ordinalUsesAnExplicitOrderForNamedLabels() throws {
        let names = ["1": "none", "2": "low", "3": "mid", "4": "high", "5": "extreme"]
        let numeric = try Fixtures.krippendorff2011()
        var triples: [(item: String, worker: String, label: String)] = []
        for position in 0..<numeric.judgmentCount {
            triples.append(
                (
                    item: numeric.itemName(at: Int(numeric.itemIndices[position])),
                    worker: numeric.workerName(at: Int(numeric.workerIndices[position])),
                    label: names[numeric.labelName(at: Int(numeric.labelIndices[position]))]!
                ))
        }
        let named = try JudgmentMatrix(triples: triples)
        let order = ["none", "low", "mid", "high", "extreme"]
        let alpha = try KrippendorffAlpha(level: .ordinal, order: order).measure(named).value
        #expect(isClose(alpha, try KrippendorffAlpha(level: .ordinal).measure(numeric).value))

        #expect(throws: QualityError.self) { try KrippendorffAlpha(level: .ordinal).measure(named) }
        #expect(throws: QualityError.self) { try KrippendorffAlpha(level: .interval).measure(named) }
        #expect(throws: QualityError.self) {
            try KrippendorffAlpha(level: .ordinal, order: ["none", "low"]).measure(named)
        }
    }

    /// With a negative value, c + k vanishes for two different labels (−1 and 1) and the ratio distance came out 0:
    /// raters who disagreed on half the items scored α = 1. A ratio scale has a true zero, so such values are refused.
    @Test func ratioRefusesNegativeValues() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "u1", worker: "A", label: "-1"), (item: "u1", worker: "B", label: "1"),
            (item: "u2", worker: "A", label: "-1"), (item: "u2", worker: "B", label: "1"),
            (item: "u3", worker: "A", label: "2"), (item: "u3", worker: "B", label: "2"),
            (item: "u4", worker: "A", label: "1"), (item: "u4", worker: "B", label: "1"),
        ])
        #expect(throws: QualityError.self) { try KrippendorffAlpha(level: .ratio).measure(judgments) }
        #expect(isClose(try KrippendorffAlpha(level: .interval).measure(judgments).value, 0.2631578947368421))
    }

    /// Squared differences of values near Double's limit overflow; α must be refused, never NaN.
    @Test func overflowingValuesAreRefusedNotNaN() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "u1", worker: "A", label: "1e200"), (item: "u1", worker: "B", label: "-1e200"),
            (item: "u2", worker: "A", label: "0"), (item: "u2", worker: "B", label: "0"),
        ])
        #expect(throws: QualityError.self) { try KrippendorffAlpha(level: .interval).measure(judgments) }
        var rng = SplitMix64(seed: 1)
        #expect(throws: QualityError.self) { try KrippendorffAlpha(level: .interval).bootstrap(judgments, replicates: 10, using: &rng) }
    }

    @Test func perfectAgreementIsOne() throws {
        let judgments = try Fixtures.matrix(raters: ["A", "B"], units: [[1, 2, 3, nil], [1, 2, 3, 4]])
        for level in KrippendorffAlpha.Level.allCases {
            #expect(try KrippendorffAlpha(level: level).measure(judgments).value == 1)
        }
    }
}
