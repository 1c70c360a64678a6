import AssayCore
import Foundation
import Testing

@Suite("QA verdicts and the QA report")
struct QASettlingTests {
    static let schema = LabelSchema.singleChoice([LabelOption(code: "hate"), LabelOption(code: "spam"), LabelOption(code: "none")])

    @Test("open review: correct, or wrong with other labels; contradictions and missing parts are refused by field")
    func openReview() throws {
        #expect(try QAVerdict(correct: true).settle(judged: ["none"], blind: false, schema: Self.schema) == (true, ["none"]))
        let wrong = try QAVerdict(correct: false, labels: ["hate"]).settle(judged: ["none"], blind: false, schema: Self.schema)
        #expect(wrong == (false, ["hate"]))
        func refused(_ verdict: QAVerdict) -> String? {
            do { _ = try verdict.settle(judged: ["none"], blind: false, schema: Self.schema); return nil }
            catch { return "\(error)" }
        }
        #expect(refused(QAVerdict()) == "correct: say whether the judgment is correct")
        #expect(refused(QAVerdict(correct: false)) == "labels: a wrong judgment needs the right labels")
        #expect(refused(QAVerdict(correct: false, labels: ["none"]))?.contains("the annotator's own") == true)
        #expect(refused(QAVerdict(correct: true, labels: ["spam"]))?.contains("yet the judgment is marked correct") == true)
        #expect(refused(QAVerdict(correct: false, labels: ["fraud"])) != nil, "a label the schema lacks")
    }

    @Test("blind review: the reviewer's own labels decide")
    func blindReview() throws {
        #expect(try QAVerdict(labels: ["spam"]).settle(judged: ["spam"], blind: true, schema: Self.schema) == (true, ["spam"]))
        #expect(try QAVerdict(labels: ["hate"]).settle(judged: ["spam"], blind: true, schema: Self.schema) == (false, ["hate"]))
        #expect(throws: AssayError.self) { try QAVerdict(correct: true).settle(judged: ["spam"], blind: true, schema: Self.schema) }
    }

    @Test("the score and the annotators count the score's sample; the strata count every review")
    func report() {
        let missedHate = [QAError(label: "hate", kind: .falseNegative), QAError(label: "none", kind: .falsePositive)]
        let report = QAReport(reviews: [
            .init(stratum: "hate", annotator: "ana", correct: false, critical: true, errors: missedHate, inScore: true),
            .init(stratum: "hate", annotator: "ana", correct: true, critical: false, errors: [], inScore: false),
            .init(stratum: "none", annotator: "bo", correct: true, critical: false, errors: [], inScore: true),
        ], pending: 4)
        #expect(report.overall.reviewed == 2 && report.overall.errors == 1 && report.overall.criticalErrors == 1)
        #expect(report.overall.falseNegatives == ["hate": 1] && report.overall.falsePositives == ["none": 1])
        #expect(report.strata.map(\.key) == ["hate", "none"] && report.strata.map(\.reviewed) == [2, 1])
        #expect(report.annotators.map(\.key) == ["ana", "bo"] && report.annotators.map(\.reviewed) == [1, 1])
        #expect(report.pending == 4)
    }
}
