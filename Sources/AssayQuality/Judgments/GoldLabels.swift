/// Known true labels for some items (gold or honeypot questions), which aggregators use to clamp those items'
/// posteriors and so to calibrate worker skills.
///
/// Items not present in the judgments are ignored; a gold label that no judgment uses is an error, since the
/// aggregators can only output labels of the judgment matrix's label coding.
///
/// For example:
/// ```swift
/// let gold = GoldLabels(["post-1": "spam"])
/// gold["post-1"]   // "spam"
/// gold.count       // 1
/// ```
public struct GoldLabels: Sendable, Equatable {
    /// The known label of each gold item, keyed by item name.
    public let labelsByItem: [String: String]

    /// Creates gold labels from item name → label name.
    public init(_ labelsByItem: [String: String]) {
        self.labelsByItem = labelsByItem
    }

    /// Creates gold labels from (item, label) rows, as read from a CSV file.
    ///
    /// - Throws: `QualityError.invalidInput` if an item is given two different labels.
    public init(rows: some Sequence<(item: String, label: String)>) throws {
        var labels: [String: String] = [:]
        for row in rows {
            if let existing = labels[row.item], existing != row.label {
                throw QualityError.invalidInput(
                    "gold item '\(row.item)' has two labels, '\(existing)' and '\(row.label)'; keep one.")
            }
            labels[row.item] = row.label
        }
        labelsByItem = labels
    }

    /// The number of gold items.
    public var count: Int { labelsByItem.count }

    /// The known label of `item`, if it is a gold item.
    public subscript(item: String) -> String? { labelsByItem[item] }

    /// The gold label index of every item of `judgments`, or -1 where the item has no gold label.
    ///
    /// - Throws: `QualityError.invalidInput` if a gold label is not in the label coding.
    func labelIndices(in judgments: JudgmentMatrix) throws -> [Int32] {
        var indices = [Int32](repeating: -1, count: judgments.itemCount)
        for (item, label) in labelsByItem {
            guard let itemIndex = judgments.itemCoding.index(of: item) else { continue }
            guard let labelIndex = judgments.labelCoding.index(of: label) else {
                throw QualityError.invalidInput(
                    "gold label '\(label)' of item '\(item)' is not among the judged labels "
                        + "\(judgments.labelCoding.values); fix the gold file or pass the full label order.")
            }
            indices[itemIndex] = Int32(labelIndex)
        }
        return indices
    }
}
