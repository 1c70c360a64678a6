import AssayQuality
import Foundation

extension CalibrationReport {
    /// One participant's answer to a calibration item, with what the report groups it by.
    public struct Answer: Sendable, Equatable {
        /// The item answered.
        public var itemID: Int64
        /// The participant's external id, and name.
        public var person: String
        public var name: String
        /// Their team and vendor, as the report keys them ("no team", "no vendor" for none).
        public var team: String
        public var vendor: String
        /// The labels they gave, and the item's reference labels.
        public var labels: [String]
        public var reference: [String]

        /// Makes an answer.
        public init(
            itemID: Int64, person: String, name: String, team: String, vendor: String, labels: [String], reference: [String]
        ) {
            self.itemID = itemID
            self.person = person
            self.name = name
            self.team = team
            self.vendor = vendor
            self.labels = labels
            self.reference = reference
        }
    }

    /// Scores a session's answers: accuracy against the references by person, team, vendor and reference label
    /// (each a ``GoldScore`` with its Wilson interval), agreement among the participants on the first label each gave
    /// (nominal Krippendorff's α, and Fleiss' κ over items with two or more answers), and the confusions from the
    /// most to the least frequent.
    ///
    /// ```swift
    /// let report = CalibrationReport(sessionID: id, answers: answers, notes: [], labelNames: ["none": "No violation"])
    /// report.hardestLabel?.key   // the reference label answered right least often
    /// ```
    public init(sessionID: UUID, answers: [Answer], notes: [Note], labelNames: [String: String]) {
        let zero = GoldScore(answered: 0, correct: 0)
        var people: [String: (name: String, score: GoldScore)] = [:]
        var teams: [String: GoldScore] = [:]
        var vendors: [String: GoldScore] = [:]
        var labels: [String: GoldScore] = [:]
        var confusions: [String: [String: Int]] = [:]
        var coded: [(item: String, worker: String, label: String)] = []
        func add(_ score: inout GoldScore, _ correct: Bool) {
            score.answered += 1
            if correct { score.correct += 1 }
        }
        for answer in answers {
            let correct = LabelMatch.isSame(answer.labels, as: answer.reference)
            add(&people[answer.person, default: (answer.name, zero)].score, correct)
            add(&teams[answer.team, default: zero], correct)
            add(&vendors[answer.vendor, default: zero], correct)
            let truth = answer.reference.first ?? "-"
            add(&labels[truth, default: zero], correct)
            if !correct { confusions[truth, default: [:]][answer.labels.first ?? "-", default: 0] += 1 }
            if let first = answer.labels.first { coded.append((String(answer.itemID), answer.person, first)) }
        }
        var alpha: Double?
        var kappa: Double?
        if var builder = try? JudgmentMatrix.Builder() {
            // Without a label order, appending cannot fail.
            for answer in coded { _ = try? builder.append(item: answer.item, worker: answer.worker, label: answer.label) }
            let matrix = builder.build()
            alpha = try? KrippendorffAlpha(level: .nominal).measure(matrix).value
            kappa = try? FleissKappa().measure(matrix).value
        }
        func rows(_ scores: [String: GoldScore], names: [String: String] = [:]) -> [Row] {
            scores.keys.sorted().map { Row(key: $0, name: names[$0], score: scores[$0]!) }
        }
        self.init(
            sessionID: sessionID, participants: people.count, answers: answers.count,
            people: people.keys.sorted().map { Row(key: $0, name: people[$0]!.name, score: people[$0]!.score) },
            teams: rows(teams), vendors: rows(vendors), labels: rows(labels, names: labelNames), alpha: alpha,
            fleissKappa: kappa,
            confusions: confusions.flatMap { reference, answers in
                answers.map { Confusion(reference: reference, answered: $0.key, count: $0.value) }
            }.sorted { ($0.count, $1.reference, $1.answered) > ($1.count, $0.reference, $0.answered) },
            notes: notes)
    }

    /// Every participant's answers together, against the references.
    public var overall: GoldScore {
        people.reduce(GoldScore(answered: 0, correct: 0)) {
            GoldScore(answered: $0.answered + $1.score.answered, correct: $0.correct + $1.score.correct)
        }
    }

    /// The reference label answered right least often: the first thing the session's discussion should take up.
    public var hardestLabel: Row? {
        labels.filter { $0.score.answered > 0 }.min { ($0.score.accuracy ?? 1) < ($1.score.accuracy ?? 1) }
    }
}
