import Foundation

/// Writes metrics in Prometheus' text exposition format (version 0.0.4), for figures read at scrape time.
///
/// For example:
/// ```swift
/// var text = PrometheusText()
/// text.family("assay_queue_items", type: .gauge, help: "Items imported into the queue.")
/// text.sample("assay_queue_items", labels: ["queue": "hate-en"], value: 1200)
/// // # HELP assay_queue_items Items imported into the queue.
/// // # TYPE assay_queue_items gauge
/// // assay_queue_items{queue="hate-en"} 1200
/// ```
struct PrometheusText {
    enum MetricType: String {
        case counter, gauge
    }

    private(set) var text = ""

    /// Starts a metric family: its help line and type, written once before its samples.
    mutating func family(_ name: String, type: MetricType, help: String) {
        text += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))\n"
        text += "# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample; labels are written in key order, their values escaped as the format asks.
    mutating func sample(_ name: String, labels: [String: String] = [:], value: Double) {
        text += name
        if !labels.isEmpty {
            let pairs = labels.sorted { $0.key < $1.key }.map { key, value in "\(key)=\"\(Self.escaped(value))\"" }
            text += "{" + pairs.joined(separator: ",") + "}"
        }
        text += " \(Self.formatted(value))\n"
    }

    private static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whole numbers without a fraction (counts read better), others as Swift prints a Double.
    private static func formatted(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
