import AssayCore
import AssayQuality
import AssayStore
import Foundation

/// What the dashboard shows, worked out from a queue's activity: the key figures as tiles, four charts (volume,
/// handling time, gold accuracy and QA score by day, rates with their intervals), and the annotators ranked by
/// the lower bound of their gold accuracy, so that someone with three lucky answers does not top the board.
struct DashboardPage: Encodable {
    struct Tile: Encodable {
        let title: String
        let value: String
        let detail: String
    }

    struct Row: Encodable {
        let externalID: String
        let name: String
        let judgments: Int
        let handling: String
        let handlingValue: Double
        let gold: String
        let goldLower: Double
        let goldInterval: String
        let qa: String
        let qaLower: Double
        let qaInterval: String
    }

    let chrome: Chrome
    let queue: String
    let period: String
    let days: Int
    let tiles: [Tile]
    let volumeChart: String
    let handlingChart: String
    let goldChart: String
    let qaChart: String
    let rows: [Row]
    let daysCSV: String
    let annotatorsCSV: String

    init(chrome: Chrome, queue: Queue, activity: QueueActivity, stats: QueueStats, period: ActivityPeriod) {
        self.chrome = chrome
        self.queue = queue.name
        let formatter = Calendar.utcDayFormatter
        self.period = "\(formatter.string(from: period.from)) to \(formatter.string(from: period.to))"
        days = activity.days.count
        let total = activity.total
        tiles = [
            Tile(title: "Judgments", value: String(total.judgments), detail: "in \(activity.days.count) days"),
            Tile(title: "Average handling time", value: Figures.seconds(total.averageHandlingSeconds), detail: "per judgment"),
            Tile(title: "Gold accuracy", value: Figures.rate(total.gold), detail: Figures.interval(total.gold)),
            Tile(title: "QA score", value: Figures.rate(total.qa), detail: Figures.interval(total.qa)),
            Tile(title: "Progress", value: "\(stats.completedItems) of \(stats.items)", detail: "items with a final label"),
        ]
        let short = activity.days.map { String($0.day.dropFirst(5)) }
        volumeChart = SVGChart.bars(
            id: "volume", title: "Judgments per day", bars: zip(short, activity.days).map { ($0, Double($1.judgments)) })
        handlingChart = SVGChart.bars(
            id: "handling", title: "Average handling time per day (seconds)",
            bars: zip(short, activity.days).map { ($0, (($1.averageHandlingSeconds ?? 0) * 10).rounded() / 10) }, unit: " s")
        goldChart = SVGChart.rates(
            id: "gold", title: "Gold accuracy per day, with 95% intervals",
            points: zip(short, activity.days).map { ($0, $1.gold.accuracy, $1.gold.interval.lower, $1.gold.interval.upper) })
        qaChart = SVGChart.rates(
            id: "qa", title: "QA score per day, with 95% intervals",
            points: zip(short, activity.days).map { ($0, $1.qa.accuracy, $1.qa.interval.lower, $1.qa.interval.upper) })
        rows = activity.annotators
            .sorted { ($0.gold.answered > 0 ? $0.gold.interval.lower : -1) > ($1.gold.answered > 0 ? $1.gold.interval.lower : -1) }
            .map { person in
                Row(
                    externalID: person.externalID, name: person.name, judgments: person.judgments,
                    handling: Figures.seconds(person.averageHandlingSeconds), handlingValue: person.averageHandlingSeconds ?? 0,
                    gold: Figures.rate(person.gold), goldLower: person.gold.answered > 0 ? person.gold.interval.lower : -1,
                    goldInterval: Figures.interval(person.gold), qa: Figures.rate(person.qa),
                    qaLower: person.qa.answered > 0 ? person.qa.interval.lower : -1, qaInterval: Figures.interval(person.qa))
            }
        let base = "/api/v1/queues/\(queue.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? queue.name)/activity"
        let range = "from=\(formatter.string(from: period.from))&to=\(formatter.string(from: period.to))"
        daysCSV = "\(base)?format=csv&table=days&\(range)"
        annotatorsCSV = "\(base)?format=csv&table=annotators&\(range)"
    }
}
