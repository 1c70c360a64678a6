import AssayCore
import Foundation

/// The dashboard's model section, for analysts of a queue that works with a predictor: what auto-accept took and
/// its audited precision, how the model and the people agree, both on the same gold, how often people take wrong
/// suggestions, and what the queue's LLM runs cost. Vendor leads do not see it: a model's figures on gold would tell
/// their people the reference answers.
struct ModelPanel: Encodable {
    let predictor: String
    let tiles: [DashboardPage.Tile]
    let runs: [Run]

    struct Run: Encodable {
        let predictor: String
        let model: String
        let state: String
        let answered: Int
        let failed: Int
        let cost: String
        let latency: String
    }

    init(autoAccept: AutoAcceptReport, alignment: ModelAlignment, runs: [LLMRun]) {
        predictor = autoAccept.predictor.description
        let stamp = alignment.rubberStamp
        tiles = [
            DashboardPage.Tile(
                title: "Auto-accepted", value: String(format: "%.1f%%", autoAccept.autoAcceptShare * 100),
                detail: "\(autoAccept.autoAccepted) items; \(autoAccept.audited) audited, \(autoAccept.sentToPeople) to people"),
            DashboardPage.Tile(
                title: "Auto-accept precision", value: Figures.rate(autoAccept.precision), detail: Figures.interval(autoAccept.precision)),
            DashboardPage.Tile(
                title: "Model–people κ", value: Figures.coefficient(alignment.kappa),
                detail: "agree on \(Figures.rate(alignment.agreement)) of \(alignment.agreement.answered) items"),
            DashboardPage.Tile(
                title: "Model on gold", value: Figures.rate(alignment.gold.model),
                detail: "\(Figures.interval(alignment.gold.model)); people on the same items: \(Figures.rate(alignment.gold.people))"),
            DashboardPage.Tile(
                title: "Wrong suggestions taken", value: Figures.rate(stamp.acceptedWhenWrong),
                detail: stamp.acceptedWhenWrong.answered == 0
                    ? "nobody has been shown a wrong suggestion on a gold item yet"
                    : "\(Figures.interval(stamp.acceptedWhenWrong)), of \(stamp.acceptedWhenWrong.answered) wrong suggestions shown on gold"),
        ]
        self.runs = runs.prefix(10).map { run in
            Run(
                predictor: run.predictor.description, model: run.config.model, state: run.state.rawValue, answered: run.succeeded,
                failed: run.failed, cost: String(format: "$%.4f", run.cost), latency: Figures.seconds(run.meanLatency))
        }
    }
}
