import AssayCore
import Testing

@Suite("QA sampling")
struct QASamplingTests {
    @Test("uniform sampling is the rate, doubled for new annotators and for low confidence")
    func uniform() {
        let settings = QualitySettings(qaRate: 0.05)
        let stratum = QAStratumCounts(reviewed: 0, errors: 0)
        #expect(QASampling.probability(settings: settings, stratum: stratum, isNewAnnotator: false, confidence: 1) == 0.05)
        #expect(QASampling.probability(settings: settings, stratum: stratum, isNewAnnotator: true, confidence: 1) == 0.1)
        #expect(QASampling.probability(settings: settings, stratum: stratum, isNewAnnotator: true, confidence: 0.6) == 0.2)
        #expect(QASampling.probability(settings: QualitySettings(), stratum: stratum, isNewAnnotator: true, confidence: 0) == 0)
        #expect(QASampling.probability(
            settings: QualitySettings(qaRate: 0.6), stratum: stratum, isNewAnnotator: true, confidence: 0) == 1, "capped")
    }

    @Test("stratified sampling oversamples a stratum until its interval can be the target width")
    func stratified() {
        let settings = QualitySettings(qaRate: 0.05, qaSampling: .stratified, qaTargetWidth: 0.1)
        // Fresh stratum: plans for p = 1/2, so 1.96² × 0.25 / 0.05² ≈ 385 reviews.
        #expect(QASampling.reviewsNeeded(for: QAStratumCounts(reviewed: 0, errors: 0), width: 0.1) == 385)
        #expect(QASampling.probability(
            settings: settings, stratum: QAStratumCounts(reviewed: 10, errors: 1), isNewAnnotator: false, confidence: 1) == 0.2)
        // 1,000 reviews, 20 errors: p ≈ 0.021 needs about 32 reviews, so back to the base rate.
        let settled = QAStratumCounts(reviewed: 1_000, errors: 20)
        #expect(QASampling.reviewsNeeded(for: settled, width: 0.1) < 40)
        #expect(QASampling.probability(settings: settings, stratum: settled, isNewAnnotator: false, confidence: 1) == 0.05)
        // Reviews waiting for a reviewer count: with 385 sampled, none done, the stratum is back to the base rate.
        let waiting = QAStratumCounts(reviewed: 0, errors: 0, sampled: 385)
        #expect(!waiting.needsMoreSamples(width: 0.1))
        #expect(QASampling.probability(settings: settings, stratum: waiting, isNewAnnotator: false, confidence: 1) == 0.05)
        #expect(QAStratumCounts(reviewed: 0, errors: 0, sampled: 384).needsMoreSamples(width: 0.1))
        // The ceiling drawn against before the stratum is known: 0.05 × 4 × 2 × 2.
        #expect(QASampling.highestProbability(settings: settings) == 0.8)
        #expect(QASampling.highestProbability(settings: QualitySettings(qaRate: 0.05)) == 0.2)
        #expect(QASampling.highestProbability(settings: QualitySettings(qaRate: 0.05), confidence: 1) == 0.1, "no low-confidence factor")
    }

    @Test("per-label errors tell missed violations from over-enforcement")
    func errors() {
        let order = ["hate", "harassment", "spam", "none"]
        #expect(QAError.errors(judged: ["none"], right: ["hate"], labelOrder: order) == [
            QAError(label: "hate", kind: .falseNegative), QAError(label: "none", kind: .falsePositive),
        ])
        #expect(QAError.errors(judged: ["hate", "spam"], right: ["hate"], labelOrder: order) == [
            QAError(label: "spam", kind: .falsePositive),
        ])
        #expect(QAError.errors(judged: ["spam"], right: ["spam"], labelOrder: order).isEmpty)
    }

    @Test("QA settings out of range are refused with the field named")
    func validation() {
        #expect(throws: AssayError.self) { try QualitySettings(qaRate: 1.5).validated() }
        #expect(throws: AssayError.self) { try QualitySettings(qaTargetWidth: 0).validated() }
    }
}
