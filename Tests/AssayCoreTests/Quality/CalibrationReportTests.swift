import AssayCore
import AssayQuality
import Foundation
import Testing

@Suite("Calibration report scoring")
struct CalibrationReportTests {
    /// Three people answer two items; `hate` is missed twice, `none` once.
    static let answers: [CalibrationReport.Answer] = [
        .init(itemID: 1, person: "ana", name: "Ana", team: "t1", vendor: "v1", labels: ["hate"], reference: ["hate"]),
        .init(itemID: 1, person: "bo", name: "Bo", team: "t1", vendor: "v1", labels: ["harassment"], reference: ["hate"]),
        .init(itemID: 1, person: "cy", name: "Cy", team: "t2", vendor: "v2", labels: ["harassment"], reference: ["hate"]),
        .init(itemID: 2, person: "ana", name: "Ana", team: "t1", vendor: "v1", labels: ["none"], reference: ["none"]),
        .init(itemID: 2, person: "bo", name: "Bo", team: "t1", vendor: "v1", labels: ["none"], reference: ["none"]),
        .init(itemID: 2, person: "cy", name: "Cy", team: "t2", vendor: "v2", labels: ["spam"], reference: ["none"]),
    ]

    @Test("scores by person, team, vendor and label; confusions most frequent first; the hardest label and the overall score")
    func scoring() {
        let report = CalibrationReport(
            sessionID: UUID(), answers: Self.answers, notes: [], labelNames: ["hate": "Hate speech", "none": "No violation"])
        #expect(report.participants == 3 && report.answers == 6)
        #expect(report.people.map(\.key) == ["ana", "bo", "cy"])
        #expect(report.people.map(\.score.correct) == [2, 1, 0])
        #expect(report.teams.map(\.score) == [GoldScore(answered: 4, correct: 3), GoldScore(answered: 2, correct: 0)])
        #expect(report.vendors.map(\.key) == ["v1", "v2"])
        #expect(report.confusions.first == CalibrationReport.Confusion(reference: "hate", answered: "harassment", count: 2))
        #expect(report.confusions.count == 2)
        #expect(report.hardestLabel?.key == "hate" && report.hardestLabel?.name == "Hate speech")
        #expect(report.overall == GoldScore(answered: 6, correct: 3))
        // Item 1 splits 1–2 and item 2 2–1: agreement is below chance-corrected zero or near it, never missing.
        #expect(report.alpha != nil && report.fleissKappa != nil)
    }

    @Test("no answers: no hardest label, and agreement undefined")
    func empty() {
        let report = CalibrationReport(sessionID: UUID(), answers: [], notes: [], labelNames: [:])
        #expect(report.hardestLabel == nil && report.overall == GoldScore(answered: 0, correct: 0))
        #expect(report.alpha == nil && report.fleissKappa == nil && report.people.isEmpty)
    }
}
