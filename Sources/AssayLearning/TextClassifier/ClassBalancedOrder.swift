import AssayQuality

/// The rows SGD visits in each epoch, drawn so that class weights act through how often a class is seen rather than
/// through longer steps (see ``SoftmaxRegression``).
///
/// Method. With rows of class k numbering nₖ and class weights c(k), the weighted objective gives class k the share
/// c(k) nₖ / Σⱼ c(j) nⱼ of the loss. An epoch of n steps takes that share of its steps from class k, going through
/// the class's rows in a random order and starting a fresh order when they run out, so over the epochs every row is
/// seen equally often within its class. Each step of class k then carries the weight (its share of the loss) ÷ (its
/// share of the steps), which is 1 up to rounding: the expected step is the weighted gradient, and no step is longer
/// than another. When every class weighs the same, an epoch is simply every row once, in a random order.
///
/// For example, 1,000 rows of which 60 are hate, balanced: each epoch draws about 333 hate rows (every hate row five
/// or six times), 333 of the next class and 333 of the last.
struct ClassBalancedOrder {
    /// The weight of a step on each class.
    private(set) var stepWeights: [Double]
    private let rows: [Int]
    private var byClass: [[Int]]
    private var cursors: [Int]
    private let perEpoch: [Int]

    init(rows: [Int], labels: [Int], classCount: Int, classWeights: [Double]) {
        self.rows = rows
        var byClass = [[Int]](repeating: [], count: classCount)
        for row in rows { byClass[labels[row]].append(row) }
        self.byClass = byClass
        cursors = byClass.map(\.count)   // each class starts by shuffling
        let n = Double(rows.count)
        let shares = (0..<classCount).map { classWeights[$0] * Double(byClass[$0].count) }
        let total = shares.reduce(0, +)
        let uniform = Set(zip(classWeights, byClass).filter { !$1.isEmpty }.map(\.0)).count <= 1
        let perEpoch = uniform || total <= 0
            ? byClass.map(\.count)
            : (0..<classCount).map { k in byClass[k].isEmpty ? 0 : max(1, Int((n * shares[k] / total).rounded())) }
        self.perEpoch = perEpoch
        let steps = Double(perEpoch.reduce(0, +))
        stepWeights = (0..<classCount).map { k in
            perEpoch[k] == 0 ? 0 : (classWeights[k] * Double(byClass[k].count) / n) / (Double(perEpoch[k]) / steps)
        }
    }

    /// The rows of the next epoch, in a random order.
    mutating func nextEpoch(using random: inout SplitMix64) -> [Int] {
        if perEpoch.elementsEqual(byClass.map(\.count)) {
            var order = rows
            order.shuffle(using: &random)
            return order
        }
        var order: [Int] = []
        order.reserveCapacity(perEpoch.reduce(0, +))
        for k in byClass.indices {
            var needed = perEpoch[k]
            while needed > 0 {
                if cursors[k] == byClass[k].count {
                    byClass[k].shuffle(using: &random)
                    cursors[k] = 0
                }
                let take = min(needed, byClass[k].count - cursors[k])
                order += byClass[k][cursors[k]..<(cursors[k] + take)]
                cursors[k] += take
                needed -= take
            }
        }
        order.shuffle(using: &random)
        return order
    }
}
