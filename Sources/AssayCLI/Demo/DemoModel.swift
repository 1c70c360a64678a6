import AssayCore
import AssayQuality
import Foundation

/// The demo's triage model: a calibrated classifier on the English comments queue, whose predictions are shown to
/// annotators and auto-accepted when it is sure (`demo-triage@v1`).
///
/// For each item it draws a confidence c, skewed high as a decent model's are, and is right with probability c;
/// when wrong, it picks another label at random. So its confidence means what it says, and auto-accept at 0.97
/// gives about 98% precision, which the audit then measures.
struct DemoModel {
    static let predictor = Predictor.Reference(name: "demo-triage", version: "v1")

    /// How the English comments queue works with the model: suggestions shown, auto-accept at 0.97 with a 10%
    /// audit, severe labels always to people.
    static let settings = AssistSettings(
        predictor: predictor, showPredictions: true,
        autoAccept: AutoAccept(threshold: 0.97, auditRate: 0.1, humanOnlyLabels: DemoQueues.severeCodes))

    /// The model's prediction for each item.
    static func predictions(
        for items: [(externalID: String, truth: [String])], labels: [String], rng: inout SplitMix64
    ) -> [PredictionDraft] {
        items.map { item in
            let confidence = 0.5 + 0.5 * pow(Double.random(in: 0..<1, using: &rng), 0.35)
            let isRight = Double.random(in: 0..<1, using: &rng) < confidence
            let predicted = isRight ? item.truth : [labels.filter { !item.truth.contains($0) }.randomElement(using: &rng)!]
            return PredictionDraft(
                itemExternalID: item.externalID, labels: predicted, confidence: (confidence * 1_000).rounded() / 1_000)
        }
    }
}
