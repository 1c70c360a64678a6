import AssayQuality
import Testing

@Suite struct KrippendorffAlphaBootstrapTests {
    @Test func docExampleIsSeededAndBracketsTheEstimate() throws {
        let judgments = try Fixtures.krippendorff2011()
        var rng = SplitMix64(seed: 42)
        let interval = try KrippendorffAlpha(level: .nominal)
            .bootstrap(judgments, replicates: 1000, confidence: 0.95, using: &rng)
        #expect(abs(interval.estimate - 0.743) < 0.0005)
        #expect(interval.lower < interval.estimate && interval.estimate < interval.upper)
        #expect(interval.upper <= 1)
        #expect(interval.samples.count > 900)
        let belowThreshold = interval.probability(below: 0.667)
        #expect(belowThreshold > 0 && belowThreshold < 0.5)

        var again = SplitMix64(seed: 42)
        let repeated = try KrippendorffAlpha(level: .nominal)
            .bootstrap(judgments, replicates: 1000, confidence: 0.95, using: &again)
        #expect(repeated == interval)
    }

    @Test func rejectsBadSettings() throws {
        let judgments = try Fixtures.krippendorff2011()
        var rng = SplitMix64(seed: 1)
        #expect(throws: QualityError.self) {
            try KrippendorffAlpha().bootstrap(judgments, replicates: 0, using: &rng)
        }
        #expect(throws: QualityError.self) {
            try KrippendorffAlpha().bootstrap(judgments, confidence: 1, using: &rng)
        }
    }

    @Test func intervalDocExample() {
        let interval = BootstrapInterval(estimate: 0.8, confidence: 0.9, samples: [0.7, 0.75, 0.8, 0.85, 0.9])
        #expect(isClose(interval.lower, 0.71))
        #expect(isClose(interval.upper, 0.89))
        #expect(interval.probability(below: 0.8) == 0.4)
    }
}
