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
            let itemIndex = items.encode(item)
            let workerIndex = workers.encode(worker)
            itemColumn.append(itemIndex)
            workerColumn.append(workerIndex)
            labelColumn.append(labelIndex)
            return (itemIndex, workerIndex)
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
