extension JudgmentMatrix {
    /// Codes judgments one row at a time, as a file is read, without holding the rows' strings: each name is
    /// hashed once into its coding, and only the three integer columns grow.
    ///
    /// `append` returns the row's item and worker indices so that a reader can check its own rules (such as one
    /// judgment per worker and item) without hashing the names again.
    ///
    /// For example:
    /// ```swift
    /// var builder = try JudgmentMatrix.Builder()
    /// try builder.append(item: "post-1", worker: "ann", label: "spam")
    /// try builder.append(item: "post-1", worker: "bob", label: "ham")
    /// let judgments = builder.build()
    /// judgments.labelCoding.values   // ["ham", "spam"]
    /// ```
    public struct Builder {
        private var items = LabelCoding<String>()
        private var workers = LabelCoding<String>()
        private var labels = LabelCoding<String>()
        private let labelOrder: [String]?
        private var itemColumn: [Int32] = []
        private var workerColumn: [Int32] = []
        private var labelColumn: [Int32] = []
        /// The previous row's item: files usually list an item's judgments together, and comparing with the last
        /// name is cheaper than hashing into a coding of a million items.
        private var lastItem: (name: String, index: Int32)?

        /// Starts an empty matrix.
        ///
        /// - Parameter labelOrder: The label coding to use, in order (an ordinal scale, or a schema's labels
        ///   including unused ones). When `nil`, labels are sorted by name, numerically if all are numbers.
        /// - Throws: `QualityError.invalidInput` if `labelOrder` repeats a label.
        public init(labelOrder: [String]? = nil) throws {
            self.labelOrder = labelOrder
            if let labelOrder {
                labels = try JudgmentMatrix.coding(of: labelOrder, kind: "label")
            }
        }

        /// The number of judgments appended so far.
        public var count: Int { labelColumn.count }

        /// Adds one judgment.
        ///
        /// - Returns: The item's and the worker's index in the matrix being built.
        /// - Throws: `QualityError.invalidInput` if a label order was given and does not contain `label`; the
        ///   builder is unchanged then.
        @discardableResult
        public mutating func append(item: String, worker: String, label: String) throws -> (item: Int32, worker: Int32)
        {
            let labelIndex: Int32
            if labelOrder == nil {
                labelIndex = labels.encode(label)
            } else if let index = labels.index(of: label) {
                labelIndex = Int32(index)
            } else {
                throw QualityError.invalidInput(
                    "label '\(label)' of item '\(item)' is not in the label order "
                        + "\(labels.values); add it to the order or fix the row.")
            }
            let itemIndex: Int32
            if let lastItem, lastItem.name == item {
                itemIndex = lastItem.index
            } else {
                itemIndex = items.encode(item)
                lastItem = (item, itemIndex)
            }
            let workerIndex = workers.encode(worker)
            itemColumn.append(itemIndex)
            workerColumn.append(workerIndex)
            labelColumn.append(labelIndex)
            return (itemIndex, workerIndex)
        }

        /// The first place where a worker judged the same item again: the positions (in append order) of both
        /// judgments and the names involved, or `nil` when every (item, worker) pair is distinct. "First" means the
        /// repeat that comes earliest.
        ///
        /// Readers that allow one judgment per worker and item call this once at the end instead of hashing every
        /// pair as it arrives: grouping by item is a counting sort, and items have few judgments each.
        ///
        /// - Complexity: O(n + Σ kᵢ²) for kᵢ judgments of item i (O(n log n) for items with over 64).
        public func firstRepeatedJudgment() -> (earlier: Int, later: Int, item: String, worker: String)? {
            var offsets = [Int](repeating: 0, count: items.count + 1)
            for item in itemColumn { offsets[Int(item) + 1] += 1 }
            for index in 0..<items.count { offsets[index + 1] += offsets[index] }
            var next = offsets
            var grouped = [Int32](repeating: 0, count: itemColumn.count)
            for (position, item) in itemColumn.enumerated() {
                grouped[next[Int(item)]] = Int32(position)
                next[Int(item)] += 1
            }
            var best: (earlier: Int, later: Int)?
            for item in 0..<items.count {
                let group = grouped[offsets[item]..<offsets[item + 1]]  // positions, ascending
                if group.count > 64 {
                    let sorted = group.sorted { (workerColumn[Int($0)], $0) < (workerColumn[Int($1)], $1) }
                    for (a, b) in zip(sorted, sorted.dropFirst()) where workerColumn[Int(a)] == workerColumn[Int(b)] {
                        if best == nil || Int(b) < best!.later { best = (Int(a), Int(b)) }
                    }
                    continue
                }
                for later in group.indices {
                    for earlier in group.startIndex..<later
                    where workerColumn[Int(group[earlier])] == workerColumn[Int(group[later])] {
                        if best == nil || Int(group[later]) < best!.later {
                            best = (Int(group[earlier]), Int(group[later]))
                        }
                        break
                    }
                }
            }
            guard let best else { return nil }
            return (
                best.earlier, best.later, items.value(at: Int(itemColumn[best.later])),
                workers.value(at: Int(workerColumn[best.later]))
            )
        }

        /// The matrix of everything appended, grouped by item.
        public func build() -> JudgmentMatrix {
            var labelColumn = labelColumn
            var labels = labels
            if labelOrder == nil {
                // Recode labels into sorted order so the coding (and every tie rule) does not depend on row order.
                let sortedCoding = LabelCoding(JudgmentMatrix.sortedLabelNames(labels.values))
                let remap = labels.values.map { Int32(sortedCoding.index(of: $0)!) }
                for position in labelColumn.indices { labelColumn[position] = remap[Int(labelColumn[position])] }
                labels = sortedCoding
            }
            return JudgmentMatrix(
                sortingItems: itemColumn, workers: workerColumn, labels: labelColumn,
                itemCoding: items, workerCoding: workers, labelCoding: labels)
        }
    }
}
