import AssayCore
import AssayQuality
import Testing

@Suite("Gold standing")
struct GoldStandingTests {
    let settings = QualitySettings(goldRate: 0.1, minGoldAccuracy: 0.8, minGoldAnswers: 10, goldWindow: 50, autoSuspend: true)

    @Test("nobody is judged before the minimum number of gold answers")
    func minimumAnswers() {
        #expect(GoldStanding.status(after: GoldScore(answered: 9, correct: 0), settings: settings, current: .active) == .active)
        #expect(GoldStanding.status(after: GoldScore(answered: 10, correct: 0), settings: settings, current: .active) == .suspended)
    }

    @Test("below the threshold only when the whole 95% interval is")
    func intervalRule() {
        // 9 of 20: 45%, interval 26–66%, wholly below 80%.
        let low = GoldScore(answered: 20, correct: 9)
        #expect(abs(low.interval.lower - 0.258) < 0.001 && abs(low.interval.upper - 0.658) < 0.001)
        #expect(GoldStanding.status(after: low, settings: settings, current: .active) == .suspended)
        // 14 of 20: 70% is below 80%, but the interval (48–85%) reaches it: not enough evidence yet.
        #expect(GoldStanding.status(after: GoldScore(answered: 20, correct: 14), settings: settings, current: .active) == .active)
        var flagOnly = settings
        flagOnly.autoSuspend = false
        #expect(GoldStanding.status(after: low, settings: flagOnly, current: .active) == .flagged)
        #expect(GoldStanding.reason(for: low, settings: settings).contains("45% (95% interval 26%–66%)"))
    }

    @Test("a flag clears when accuracy is back at the threshold; a suspension never clears by itself")
    func recovery() {
        var flagOnly = settings
        flagOnly.autoSuspend = false
        let recovered = GoldScore(answered: 20, correct: 16)
        #expect(GoldStanding.status(after: recovered, settings: flagOnly, current: .flagged) == .active)
        #expect(GoldStanding.status(after: GoldScore(answered: 20, correct: 15), settings: flagOnly, current: .flagged) == .flagged)
        #expect(GoldStanding.status(after: GoldScore(answered: 50, correct: 50), settings: settings, current: .suspended) == .suspended)
        #expect(GoldStanding.status(after: GoldScore(answered: 50, correct: 0), settings: QualitySettings(), current: .active) == .active,
                "no threshold, nobody judged")
    }

    @Test("settings out of range are refused with the field named", arguments: [
        (QualitySettings(goldRate: 0.6), "gold_rate"), (QualitySettings(goldRate: .nan), "gold_rate"),
        (QualitySettings(minGoldAccuracy: 1.5), "min_gold_accuracy"), (QualitySettings(minGoldAnswers: 0), "min_gold_answers"),
        (QualitySettings(minGoldAnswers: 20, goldWindow: 10), "gold_window"), (QualitySettings(autoSuspend: true), "auto_suspend"),
    ])
    func validation(settings: QualitySettings, field: String) {
        let error = #expect(throws: AssayError.self) { try settings.validated() }
        if case .invalidInput(let named, _, _)? = error { #expect(named == field) } else { Issue.record("\(String(describing: error))") }
    }
}
