/// The judgments of a labeling job — who gave which label to which item — stored sparsely as three integer columns,
/// so that every agreement coefficient and aggregator can run over millions of judgments without a dense
/// item × worker table.
///
/// Items, workers and labels are coded to dense indices (`itemCoding`, `workerCoding`, `labelCoding`). Judgments are
/// kept grouped by item, in compressed-sparse-row form: the judgments of item `i` are the positions
/// `itemOffsets[i] ..< itemOffsets[i + 1]` of the three columns. Within an item, they keep their input order.
///
/// **Label order.** Unless you pass `labelOrder`, labels are coded in ascending order of their names — in numeric order
/// when every label is a number (`"2"` before `"10"`). Tie rules ("the first label wins") refer to this order.
/// Items and workers are coded in order of first appearance.
///
/// A worker may judge an item more than once; each judgment counts separately.
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "post-1", worker: "ann", label: "spam"),
///     (item: "post-1", worker: "bob", label: "spam"),
///     (item: "post-2", worker: "ann", label: "ham"),
/// ])
/// judgments.itemCount            // 2
/// judgments.labelCoding.values   // ["ham", "spam"]
/// judgments.judgments(ofItemAt: 0).count   // 2
/// ```
/// - Complexity: building from triples is O(n) hashing plus O(labels log labels); memory is 12 bytes per judgment
///   plus the three codings.
public struct JudgmentMatrix: Sendable {
    /// Item names ↔ item indices.
    public let itemCoding: LabelCoding<String>
    /// Worker names ↔ worker indices.
    public let workerCoding: LabelCoding<String>
    /// Label names ↔ label indices, in the label order described above.
    public let labelCoding: LabelCoding<String>
    /// The item index of each judgment (non-decreasing).
    public let itemIndices: [Int32]
    /// The worker index of each judgment.
    public let workerIndices: [Int32]
    /// The label index of each judgment.
    public let labelIndices: [Int32]
    /// Judgment ranges per item: item `i` owns positions `itemOffsets[i] ..< itemOffsets[i + 1]`.
    public let itemOffsets: [Int]

    /// The number of judgments.
    public var judgmentCount: Int { labelIndices.count }
    /// The number of distinct items.
    public var itemCount: Int { itemCoding.count }
    /// The number of distinct workers.
    public var workerCount: Int { workerCoding.count }
    /// The number of labels in the coding (labels given in `labelOrder` count even if unused).
    public var labelCount: Int { labelCoding.count }
    /// Whether there are no judgments at all.
    public var isEmpty: Bool { labelIndices.isEmpty }

    /// The positions of item `index`'s judgments in the three columns.
    public func judgments(ofItemAt index: Int) -> Range<Int> {
        itemOffsets[index]..<itemOffsets[index + 1]
    }

    /// The name of item `index`.
    public func itemName(at index: Int) -> String { itemCoding.value(at: index) }
    /// The name of worker `index`.
    public func workerName(at index: Int) -> String { workerCoding.value(at: index) }
    /// The name of label `index`.
    public func labelName(at index: Int) -> String { labelCoding.value(at: index) }

    // MARK: - Building

    /// Codes (item, worker, label) rows, as read from a CSV file.
    ///
    /// - Parameters:
    ///   - triples: One row per judgment.
    ///   - labelOrder: The label coding to use, in order (for example an ordinal scale, or a schema's labels
    ///     including unused ones). When `nil`, labels are sorted by name, numerically if all are numbers.
    /// - Throws: `QualityError.invalidInput` if `labelOrder` repeats a label or misses one that occurs.
    public init(
        triples: some Sequence<(item: String, worker: String, label: String)>,
        labelOrder: [String]? = nil
    ) throws {
        var builder = try Builder(labelOrder: labelOrder)
        for triple in triples {
            try builder.append(item: triple.item, worker: triple.worker, label: triple.label)
        }
        self = builder.build()
    }

    /// Wraps columns that are already integer-coded, without hashing any strings: the fast path for large imports.
    ///
    /// The judgments need not be grouped by item; they are sorted (stably, in O(n)) if they are not.
    ///
    /// - Parameters:
    ///   - itemIndices: Each judgment's item, in `0..<itemNames.count`.
    ///   - workerIndices: Each judgment's worker, in `0..<workerNames.count`.
    ///   - labelIndices: Each judgment's label, in `0..<labelNames.count`.
    ///   - itemNames: Distinct item names; every item must have at least one judgment.
    ///   - workerNames: Distinct worker names.
    ///   - labelNames: Distinct label names, in the order tie rules and ordinal scales use.
    /// - Throws: `QualityError.invalidInput` for columns of unequal length, out-of-range indices, repeated names,
    ///   or an item without judgments.
    public init(
        itemIndices: [Int32], workerIndices: [Int32], labelIndices: [Int32],
        itemNames: [String], workerNames: [String], labelNames: [String]
    ) throws {
        guard itemIndices.count == workerIndices.count, itemIndices.count == labelIndices.count else {
            throw QualityError.invalidInput(
                "the item, worker and label columns have \(itemIndices.count), \(workerIndices.count) and "
                    + "\(labelIndices.count) entries; they must be equally long.")
        }
        let items = try Self.coding(of: itemNames, kind: "item")
        let workers = try Self.coding(of: workerNames, kind: "worker")
        let labels = try Self.coding(of: labelNames, kind: "label")
        try Self.check(itemIndices, below: items.count, kind: "item")
        try Self.check(workerIndices, below: workers.count, kind: "worker")
        try Self.check(labelIndices, below: labels.count, kind: "label")
        self.init(
            sortingItems: itemIndices, workers: workerIndices, labels: labelIndices,
            itemCoding: items, workerCoding: workers, labelCoding: labels)
        if let empty = (0..<itemCount).first(where: { itemOffsets[$0] == itemOffsets[$0 + 1] }) {
            throw QualityError.invalidInput("item '\(itemNames[empty])' has no judgments; leave it out of itemNames.")
        }
    }

    /// Groups judgments by item with a stable counting sort (skipped when they already are).
    init(
        sortingItems items: [Int32], workers: [Int32], labels: [Int32],
        itemCoding: LabelCoding<String>, workerCoding: LabelCoding<String>, labelCoding: LabelCoding<String>
    ) {
        self.itemCoding = itemCoding
        self.workerCoding = workerCoding
        self.labelCoding = labelCoding
        var offsets = [Int](repeating: 0, count: itemCoding.count + 1)
        var isSorted = true
        var previous: Int32 = 0
        for item in items {
            offsets[Int(item) + 1] += 1
            if item < previous { isSorted = false }
            previous = item
        }
        for index in 0..<itemCoding.count { offsets[index + 1] += offsets[index] }
        itemOffsets = offsets
        if isSorted {
            itemIndices = items
            workerIndices = workers
            labelIndices = labels
            return
        }
        var next = offsets
        var sortedItems = [Int32](repeating: 0, count: items.count)
        var sortedWorkers = sortedItems
        var sortedLabels = sortedItems
        for position in items.indices {
            let item = Int(items[position])
            let target = next[item]
            next[item] += 1
            sortedItems[target] = items[position]
            sortedWorkers[target] = workers[position]
            sortedLabels[target] = labels[position]
        }
        itemIndices = sortedItems
        workerIndices = sortedWorkers
        labelIndices = sortedLabels
    }

    // MARK: - Helpers

    /// Label names in ascending order: numerically when all parse as numbers ("2" before "10"), otherwise by name;
    /// the order every result of this library lists labels in.
    public static func sortedLabelNames(_ names: [String]) -> [String] {
        let numbers = names.map(Double.init)
        guard numbers.allSatisfy({ $0 != nil && !$0!.isNaN }) else { return names.sorted() }
        return zip(names, numbers).sorted { ($0.1!, $0.0) < ($1.1!, $1.0) }.map(\.0)
    }

    static func coding(of names: [String], kind: String) throws -> LabelCoding<String> {
        let coding = LabelCoding(names)
        guard coding.count == names.count else {
            var seen = Set<String>()
            let repeated = names.first { !seen.insert($0).inserted } ?? ""
            throw QualityError.invalidInput("\(kind) name '\(repeated)' appears twice; names must be distinct.")
        }
        return coding
    }

    private static func check(_ column: [Int32], below count: Int, kind: String) throws {
        if let bad = column.first(where: { $0 < 0 || Int($0) >= count }) {
            throw QualityError.invalidInput("\(kind) index \(bad) is outside 0..<\(count).")
        }
    }
}
