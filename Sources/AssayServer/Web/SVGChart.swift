import Foundation

/// Charts drawn on the server as SVG: no scripts, no external resources, readable by a screen reader (each chart
/// has a title and a description listing its values), printable.
///
/// ```swift
/// SVGChart.bars(id: "volume", title: "Judgments per day", bars: [("11-20", 420), ("11-21", 515)])
/// SVGChart.rates(id: "gold", title: "Gold accuracy", points: [("11-20", 0.91, 0.86, 0.94)])
/// ```
enum SVGChart {
    static let width = 640.0
    static let height = 200.0
    static let left = 44.0
    static let bottom = 28.0
    static let top = 12.0

    /// Vertical bars from zero, one per label.
    static func bars(id: String, title: String, bars: [(label: String, value: Double)], unit: String = "") -> String {
        // Four round steps up to the axis top; whole-number data (counts) get whole-number steps, never 0.25 of an item.
        let wholeNumbers = bars.allSatisfy { $0.value.rounded() == $0.value }
        let step = niceCeiling((bars.map(\.value).max() ?? 0) / 4)
        let maximum = 4 * (wholeNumbers ? max(1, step.rounded(.up)) : step)
        let plotWidth = width - left - 8
        let slot = bars.isEmpty ? plotWidth : plotWidth / Double(bars.count)
        var body = axes(maximum: maximum, format: { number($0) })
        for (index, bar) in bars.enumerated() {
            let barHeight = maximum == 0 ? 0 : (bar.value / maximum) * (height - bottom - top)
            let x = left + Double(index) * slot + slot * 0.15
            body += #"<rect class="column" x="\#(f(x))" y="\#(f(height - bottom - barHeight))" width="\#(f(slot * 0.7))" height="\#(f(barHeight))"><title>\#(escape(bar.label)): \#(number(bar.value))\#(escape(unit))</title></rect>"#
        }
        body += xLabels(bars.map(\.label), slot: slot)
        let description = bars.map { "\($0.label) \(number($0.value))\(unit)" }.joined(separator: ", ")
        return svg(id: id, title: title, description: description, body: body)
    }

    /// Rates from 0 to 1 as a line with a shaded band for each point's interval; a day without data leaves a gap.
    static func rates(id: String, title: String, points: [(label: String, value: Double?, lower: Double, upper: Double)]) -> String {
        line(
            id: id, title: title, points: points.map { ($0.label, $0.value, ($0.lower, $0.upper)) },
            axisLabel: { "\(Int(($0 * 100).rounded()))%" }, valueText: percent)
    }

    /// Coefficients from 0 to 1 (agreement, say) as a line of points with no interval, written as decimals: α = 0.56
    /// is not "56%" of anything.
    static func coefficients(id: String, title: String, points: [(label: String, value: Double?)]) -> String {
        line(
            id: id, title: title, points: points.map { ($0.label, $0.value, nil) },
            axisLabel: { String(format: "%.2f", $0) }, valueText: { String(format: "%.3f", $0) })
    }

    private static func line(
        id: String, title: String, points: [(label: String, value: Double?, interval: (lower: Double, upper: Double)?)],
        axisLabel: (Double) -> String, valueText: (Double) -> String
    ) -> String {
        let plotWidth = width - left - 8
        let slot = points.isEmpty ? plotWidth : plotWidth / Double(points.count)
        let plotHeight = height - bottom - top
        func y(_ value: Double) -> Double { height - bottom - value * plotHeight }
        func text(_ point: (label: String, value: Double?, interval: (lower: Double, upper: Double)?)) -> String {
            guard let value = point.value else { return "no data" }
            guard let interval = point.interval else { return valueText(value) }
            return "\(valueText(value)) (95% interval \(valueText(interval.lower))–\(valueText(interval.upper)))"
        }
        var body = axes(maximum: 1, format: axisLabel)
        var path = ""
        var penDown = false
        for (index, point) in points.enumerated() {
            let x = left + (Double(index) + 0.5) * slot
            guard let value = point.value else { penDown = false; continue }
            let tooltip = #"<title>\#(escape(point.label)): \#(escape(text(point)))</title>"#
            if let interval = point.interval {
                body += #"<line class="band" x1="\#(f(x))" x2="\#(f(x))" y1="\#(f(y(interval.lower)))" y2="\#(f(y(interval.upper)))">\#(tooltip)</line>"#
            }
            path += (penDown ? " L" : " M") + "\(f(x)) \(f(y(value)))"
            penDown = true
            body += #"<circle class="dot" cx="\#(f(x))" cy="\#(f(y(value)))" r="2.5">\#(point.interval == nil ? tooltip : "")</circle>"#
        }
        if !path.isEmpty { body += #"<path class="line" d="\#(path)"/>"# }
        body += xLabels(points.map(\.label), slot: slot)
        let description = points.map { "\($0.label) \(text($0))" }.joined(separator: ", ")
        return svg(id: id, title: title, description: description, body: body)
    }

    /// A confusion matrix as a heat map: one row per reference label, one column per answer, each cell shaded by
    /// its share of the row (so a rare label's confusions show as clearly as a common one's) and labelled with its
    /// count. The diagonal is what people got right.
    static func heatMap(id: String, title: String, labels: [String], counts: [[Int]]) -> String {
        let cell = 44.0
        let margin = 150.0
        // The column labels are written slanted up and to the right: room above and to the right for the longest.
        let longest = Double(labels.map(\.count).max() ?? 0)
        let top = 16 + longest * 3.9
        let size = margin + cell * Double(labels.count) + 8 + longest * 5.5
        var body = ""
        var description: [String] = []
        for (row, reference) in labels.enumerated() {
            let rowTotal = counts[row].reduce(0, +)
            let y = top + Double(row) * cell
            body += #"<text class="tick" x="\#(f(margin - 8))" y="\#(f(y + cell / 2 + 4))" text-anchor="end">\#(escape(reference))</text>"#
            for (column, answer) in labels.enumerated() {
                let count = counts[row][column]
                let share = rowTotal == 0 ? 0 : Double(count) / Double(rowTotal)
                let x = margin + Double(column) * cell
                let kind = row == column ? "hit" : "miss"
                body += #"<rect class="cell \#(kind)" x="\#(f(x))" y="\#(f(y))" width="\#(f(cell - 2))" height="\#(f(cell - 2))" style="fill-opacity: \#(String(format: "%.2f", 0.08 + 0.92 * share))"><title>\#(escape(reference)) answered \#(escape(answer)): \#(count) (\#(percent(share)) of \#(escape(reference)))</title></rect>"#
                body += #"<text class="count\#(share > 0.55 ? " on-dark" : "")" x="\#(f(x + cell / 2 - 1))" y="\#(f(y + cell / 2 + 4))" text-anchor="middle">\#(count)</text>"#
                if count > 0 { description.append("\(reference) as \(answer): \(count)") }
            }
        }
        for (column, answer) in labels.enumerated() {
            let x = margin + (Double(column) + 0.5) * cell
            body += #"<text class="tick" x="\#(f(x))" y="\#(f(top - 8))" text-anchor="start" transform="rotate(-35 \#(f(x)) \#(f(top - 8)))">\#(escape(answer))</text>"#
        }
        let height = top + cell * Double(labels.count) + 8
        return #"<svg class="chart heat" viewBox="0 0 \#(f(size)) \#(f(height))" width="\#(f(size * 1.2))" role="img" aria-labelledby="\#(id)-t \#(id)-d" xmlns="http://www.w3.org/2000/svg"><title id="\#(id)-t">\#(escape(title))</title><desc id="\#(id)-d">\#(escape(description.joined(separator: ", ")))</desc>\#(body)</svg>"#
    }

    // MARK: - Parts

    private static func svg(id: String, title: String, description: String, body: String) -> String {
        return #"<svg class="chart" viewBox="0 0 \#(f(width)) \#(f(height))" role="img" aria-labelledby="\#(id)-t \#(id)-d" xmlns="http://www.w3.org/2000/svg"><title id="\#(id)-t">\#(escape(title))</title><desc id="\#(id)-d">\#(escape(description))</desc>\#(body)</svg>"#
    }

    private static func axes(maximum: Double, format: (Double) -> String) -> String {
        var out = ""
        for step in 0...4 {
            let value = maximum * Double(step) / 4
            let y = height - bottom - (Double(step) / 4) * (height - bottom - top)
            out += #"<line class="grid" x1="\#(f(left))" x2="\#(f(width - 8))" y1="\#(f(y))" y2="\#(f(y))"/>"#
            out += #"<text class="tick" x="\#(f(left - 6))" y="\#(f(y + 4))" text-anchor="end">\#(escape(format(value)))</text>"#
        }
        return out
    }

    /// At most about ten labels under the x axis, so they never overlap.
    private static func xLabels(_ labels: [String], slot: Double) -> String {
        let every = max(1, Int((Double(labels.count) / 10).rounded(.up)))
        var out = ""
        for (index, label) in labels.enumerated() where index % every == 0 {
            let x = left + (Double(index) + 0.5) * slot
            out += #"<text class="tick" x="\#(f(x))" y="\#(f(height - 8))" text-anchor="middle">\#(escape(label))</text>"#
        }
        return out
    }

    /// The next round number at or above `value` (1, 2 or 5 times a power of ten), for the top of an axis.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
    private static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Text for SVG content and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
