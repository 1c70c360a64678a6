import AssayQuality
import Testing

/// The examples of `Documentation.docc`, so they keep compiling and saying the truth.
@Suite struct DocumentationTests {
    @Test func landingPageUsage() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "post-1", worker: "ann", label: "spam"), (item: "post-1", worker: "bob", label: "spam"),
            (item: "post-1", worker: "cat", label: "ham"),
            (item: "post-2", worker: "ann", label: "ham"), (item: "post-2", worker: "bob", label: "ham"),
            (item: "post-2", worker: "cat", label: "ham"),
        ])
        let kappa = try FleissKappa().measure(judgments).value
        let alpha = try KrippendorffAlpha(level: .nominal).measure(judgments).value
        #expect(kappa > 0 && alpha > kappa)

        let result = try DawidSkene().aggregate(judgments, gold: GoldLabels(["post-2": "ham"]))
        #expect(result.label(of: "post-1") == "spam")
        #expect((result.confidence(of: "post-1") ?? 0) > 0.5)
        #expect(result.skill(of: "cat")?.accuracy != nil)

        let report = try ClassificationReport(truth: ["spam", "ham"], predicted: ["spam", "ham"])
        #expect(report.accuracy.value == 1 && report.macroF1 == 1 && report.accuracy.interval.lower < 1)
    }

    @Test func landingPageErrors() throws {
        let same = try JudgmentMatrix(triples: [
            (item: "a", worker: "1", label: "x"), (item: "a", worker: "2", label: "x"),
        ])
        #expect(throws: QualityError.noVariation) { try FleissKappa().measure(same) }
    }

    @Test func agreementArticleExample() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "u1", worker: "A", label: "1"), (item: "u1", worker: "B", label: "2"),
            (item: "u2", worker: "A", label: "3"), (item: "u2", worker: "B", label: "3"),
        ])
        let alpha = try KrippendorffAlpha(level: .ordinal).measure(judgments)
        var rng = SplitMix64(seed: 1)
        let interval = try KrippendorffAlpha(level: .ordinal).bootstrap(judgments, replicates: 500, using: &rng)
        #expect(interval.estimate == alpha.value)
        #expect(interval.lower <= interval.upper)
    }
}
