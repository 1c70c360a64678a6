import AssayQuality
import Foundation

/// Multinomial logistic regression over hashed features, fitted by averaged stochastic gradient descent.
///
/// Method. For K classes the model scores a row x with zₖ = wₖ · x + bₖ and predicts P(k | x) = softmax(z)ₖ. It
/// minimises the class-weighted cross-entropy with an L2 penalty on the weights (not the biases):
///
///     L(W, b) = (1/n) Σᵢ c(yᵢ) · −log softmax(W xᵢ + b)_{yᵢ}  +  (λ/2) ‖W‖²
///
/// where c(k) is the weight of class k: 1 for every class, or n / (K · nₖ) ("balanced", as scikit-learn's
/// `class_weight='balanced'`) so that a rare class counts as much as a common one.
///
/// Each step takes one row and moves along its gradient, ∂/∂wₖ = c(y) (pₖ − [k = y]) x + λ wₖ. The class weights
/// are applied by *how often* a class's rows are drawn rather than by how far a step goes (``ClassBalancedOrder``):
/// an epoch of n steps draws about n · c(k) · nₖ / Σⱼ c(j) nⱼ rows of class k, so the expected gradient is the weighted
/// one but no step is c(k) times longer than another. With balanced weights and a 6% class, a weighted step on it
/// was 5.8 times longer, and that noise kept SGD from the optimum: after 10 epochs on the Davidson et al. tweets
/// (one fold, words only) the objective was 4.4% above scikit-learn's converged optimum, against 1.5% now.
///
/// The step size is ηₜ = η₀ (1 + η₀ λ t)^−¾ (Xu 2011). The weight decay (1 − ηₜλ) is kept in a scalar divisor of
/// all weights, so a step costs O(K · features in the row) rather than O(K · buckets) (Bottou 2012, §5.1). Over the
/// second half of the steps, the model is the running average of the iterates, ā ← (1 − μₜ) ā + μₜ w with
/// μₜ = 1 / (steps averaged), kept sparse with the same divisor trick (Xu 2011, §5):
/// averaging cancels most of the noise of SGD and reaches the accuracy of a full optimiser in a few epochs
/// (Polyak and Juditsky 1992). Averaging only a suffix of the iterates, rather than all but the first epoch's, keeps
/// the early ones, far from the optimum, out of the average; for a strongly convex objective the average of the last
/// half reaches the optimal O(1/T) rate where the average of all iterates does not (Rakhlin, Shamir and Sridharan
/// 2012, "α-suffix averaging" with α = ½). On the Davidson et al. tweets (five folds, seeds 1–5) it raised macro-F1
/// from 0.7490 to 0.7504.
///
/// References: L. Bottou (2012), "Stochastic Gradient Descent Tricks", Neural Networks: Tricks of the Trade, LNCS
/// 7700, 421–436. W. Xu (2011), "Towards Optimal One Pass Large Scale Learning with Averaged Stochastic Gradient
/// Descent", arXiv:1107.2490.
/// B. T. Polyak and A. B. Juditsky (1992), "Acceleration of Stochastic Approximation by Averaging", SIAM J. Control
/// Optim. 30(4):838–855.
/// A. Rakhlin, O. Shamir and K. Sridharan (2012), "Making Gradient Descent Optimal for Strongly Convex Stochastic
/// Optimization", ICML.
struct SoftmaxRegression: Sendable, Equatable {
    /// The number of classes, K.
    let classCount: Int
    /// Weights, bucket-major: the K weights of bucket j are `weights[j*K ..< (j+1)*K]`.
    var weights: [Float]
    /// One bias per class.
    var bias: [Float]

    /// The settings of a fit.
    struct Options: Sendable, Equatable {
        var epochs: Int
        var l2: Double
        var learningRate: Double
        var seed: UInt64
    }

    /// The scores z = W x + b of a row.
    func logits(ofRow row: Int, in matrix: FeatureMatrix) -> [Double] {
        var scores = bias.map(Double.init)
        weights.withUnsafeBufferPointer { weights in
            matrix.forEachEntry(ofRow: row) { bucket, value in
                let base = bucket * classCount
                for label in 0..<classCount { scores[label] += Double(weights[base + label] * value) }
            }
        }
        return scores
    }

    /// Fits the model to some rows of `matrix` with their class indices.
    ///
    /// - Parameters:
    ///   - matrix: A weighted feature matrix.
    ///   - rows: The rows to learn from (a split or fold, without copying the matrix).
    ///   - labels: The class index (0..<classCount) of each row of the matrix.
    ///   - classWeights: c(k) per class.
    ///   - progress: Called after each epoch with the share of training done.
    static func fit(
        _ matrix: FeatureMatrix, rows: [Int], labels: [Int], classCount: Int, classWeights: [Double], options: Options,
        progress: (Double) -> Void = { _ in }
    ) -> SoftmaxRegression {
        let classes = classCount
        // One row of `table` per column holds the current iterate's K weights, the average's K weights and the
        // column's idf, so a feature costs one cache miss rather than three: training is bound by memory, not
        // arithmetic. The current iterate is w = current / currentDivisor and the average is
        // (average + currentShare · current) / averageDivisor (Xu's bookkeeping; see `renormalize`).
        //
        // Classes are read and written four at a time (`SIMD4`), in G = ⌈K/4⌉ groups: the current weights fill
        // slots 0..<4G, the average's 4G..<8G, and the idf takes the first spare slot after the current weights
        // (K < 4G) or slot 8G. A group's lanes past K carry a gradient of zero, so they are written back unchanged.
        // The two blocks must not overlap: a 16-byte load that overlaps a 16-byte store just before it at another
        // offset cannot be forwarded from the store, and that stall cost a third of the training time. A row is 8
        // floats (K ≤ 3) or a whole number of 64-byte cache lines, and the table starts on a line, so a row never
        // straddles two lines.
        let groups = (classes + 3) / 4
        let averageSlot = 4 * groups
        let idfSlot = classes < 4 * groups ? classes : 8 * groups
        let slotsInUse = max(8 * groups, idfSlot + 1)
        let stride = slotsInUse <= 8 ? 8 : (slotsInUse + 15) / 16 * 16
        let columnCount = matrix.columnCount
        let tableCount = columnCount * stride
        let table = UnsafeMutableRawPointer.allocate(byteCount: tableCount * MemoryLayout<Float>.stride, alignment: 64)
            .initializeMemory(as: Float.self, repeating: 0, count: tableCount)
        defer { table.deallocate() }
        for column in 0..<columnCount { table[column * stride + idfSlot] = matrix.idf[column] }
        var currentDivisor = 1.0, averageDivisor = 1.0, currentShare = 0.0
        var bias = [Double](repeating: 0, count: classes)
        var averageBias = [Double](repeating: 0, count: classes)
        var random = SplitMix64(seed: options.seed)
        var sampler = ClassBalancedOrder(rows: rows, labels: labels, classCount: classes, classWeights: classWeights)
        let longestRow = rows.reduce(0) { max($0, matrix.offsets[$1 + 1] - matrix.offsets[$1]) }
        // Per row: the table offsets and weights of its features; per class, its score and then its gradient.
        let bases = UnsafeMutablePointer<Int>.allocate(capacity: max(longestRow, 1))
        let values = UnsafeMutablePointer<Float>.allocate(capacity: max(longestRow, 1))
        let gradient = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: groups)
        gradient.initialize(repeating: .zero, count: groups)
        var scores = [Double](repeating: 0, count: classes)
        defer {
            bases.deallocate()
            values.deallocate()
            gradient.deallocate()
        }
        let lambda = options.l2, rate0 = options.learningRate
        // Averaging starts halfway through the steps (see above): the earlier iterates are farther from the
        // optimum and would only drag the average.
        let averagingStart = Double(rows.count * options.epochs / 2)
        var step = 0.0
        var averageHoldsValues = false

        func renormalize() {
            let averageScale = Float(1 / averageDivisor), currentWeight = Float(currentShare / averageDivisor)
            let currentScale = Float(1 / currentDivisor)
            for base in Swift.stride(from: 0, to: columnCount * stride, by: stride) {
                for label in 0..<classes {
                    let current = table[base + label]
                    table[base + averageSlot + label] = table[base + averageSlot + label] * averageScale + current * currentWeight
                    table[base + label] = current * currentScale
                }
            }
            currentDivisor = 1
            averageDivisor = 1
            currentShare = 0
        }

        do {
            @inline(__always) func classes4(at offset: Int) -> SIMD4<Float> {
                UnsafeRawPointer(table + offset).loadUnaligned(as: SIMD4<Float>.self)
            }
            @inline(__always) func setClasses4(_ value: SIMD4<Float>, at offset: Int) {
                UnsafeMutableRawPointer(table + offset).storeBytes(of: value, as: SIMD4<Float>.self)
            }
            matrix.entries.withUnsafeBufferPointer { entries in
                matrix.offsets.withUnsafeBufferPointer { offsets in
                    matrix.scales.withUnsafeBufferPointer { scales in
                        FeatureMatrix.countWeight.withUnsafeBufferPointer { countWeight in
                            for epoch in 0..<options.epochs {
                                for row in sampler.nextEpoch(using: &random) {
                                    // The row's features: table offsets and weights.
                                    let wordScale = scales[2 * row], characterScale = scales[2 * row + 1]
                                    var length = 0
                                    for position in offsets[row]..<offsets[row + 1] {
                                        let entry = entries[position]
                                        let base = Int(entry & FeatureMatrix.bucketMask) &* stride
                                        var value = countWeight[Int(entry >> 24)] * table[base &+ idfSlot]
                                        value *= entry & FeatureMatrix.characterBit == 0 ? wordScale : characterScale
                                        bases[length] = base
                                        values[length] = entry & FeatureMatrix.negativeBit == 0 ? value : -value
                                        length &+= 1
                                    }
                                    // Scores of the current iterate, four classes at a time, then softmax.
                                    for first in Swift.stride(from: 0, to: classes, by: 4) {
                                        // Two sums halve the chain of dependent additions.
                                        var even = SIMD4<Float>.zero, odd = SIMD4<Float>.zero
                                        var index = 0
                                        while index &+ 1 < length {
                                            even += classes4(at: bases[index] &+ first) * values[index]
                                            odd += classes4(at: bases[index &+ 1] &+ first) * values[index &+ 1]
                                            index &+= 2
                                        }
                                        if index < length { even += classes4(at: bases[index] &+ first) * values[index] }
                                        let sum = even + odd
                                        for lane in 0..<min(4, classes - first) { scores[first + lane] = Double(sum[lane]) }
                                    }
                                    var highest = -Double.infinity
                                    for label in 0..<classes {
                                        scores[label] = scores[label] / currentDivisor + bias[label]
                                        highest = max(highest, scores[label])
                                    }
                                    var total = 0.0
                                    for label in 0..<classes {
                                        scores[label] = exp(scores[label] - highest)
                                        total += scores[label]
                                    }
                                    // The gradient of the loss in the scores, c(y) (p − e_y), into `scores`.
                                    let truth = labels[row], weight = sampler.stepWeights[truth]
                                    for label in 0..<classes {
                                        scores[label] = weight * (scores[label] / total - (label == truth ? 1 : 0))
                                    }
                                    let rate = rate0 / pow(1 + rate0 * lambda * step, 0.75)
                                    let averageRate = step < averagingStart ? 1.0 : 1 / (step - averagingStart + 1)
                                    step += 1
                                    // w ← (1 − ηλ) w − η g x, with the decay kept in the divisor.
                                    currentDivisor /= 1 - rate * lambda
                                    let move = rate * currentDivisor
                                    for label in 0..<classes { gradient[label / 4][label % 4] = Float(move * scores[label]) }
                                    if averageRate < 1 {
                                        let averageMove = Float(currentShare)
                                        for index in 0..<length {
                                            let base = bases[index], value = values[index]
                                            for group in 0..<groups {
                                                let change = gradient[group] * value
                                                let current = base &+ 4 &* group, average = current &+ averageSlot
                                                setClasses4(classes4(at: current) - change, at: current)
                                                setClasses4(classes4(at: average) + averageMove * change, at: average)
                                            }
                                        }
                                    } else {
                                        // Before averaging starts the average's slots stay zero: only the iterate moves.
                                        for index in 0..<length {
                                            let base = bases[index], value = values[index]
                                            for group in 0..<groups {
                                                let current = base &+ 4 &* group
                                                setClasses4(classes4(at: current) - gradient[group] * value, at: current)
                                            }
                                        }
                                    }
                                    for label in 0..<classes { bias[label] -= rate * scores[label] }
                                    // ā ← (1 − μ) ā + μ w.
                                    if averageRate >= 1 {
                                        // Before averaging starts, the average is the current iterate.
                                        averageDivisor = currentDivisor
                                        currentShare = 1
                                        if averageHoldsValues {
                                            for base in Swift.stride(from: 0, to: columnCount * stride, by: stride) {
                                                for label in 0..<classes { table[base + averageSlot + label] = 0 }
                                            }
                                            averageHoldsValues = false
                                        }
                                        for label in 0..<classes { averageBias[label] = bias[label] }
                                    } else {
                                        averageDivisor /= 1 - averageRate
                                        currentShare += averageRate * averageDivisor / currentDivisor
                                        for label in 0..<classes {
                                            averageBias[label] += averageRate * (bias[label] - averageBias[label])
                                        }
                                    }
                                    if currentDivisor > 1e5 || averageDivisor > 1e5 {
                                        renormalize()
                                        averageHoldsValues = true
                                    }
                                }
                                progress(Double(epoch + 1) / Double(options.epochs))
                            }
                        }
                    }
                }
            }
            renormalize()
        }
        var weights = [Float](repeating: 0, count: matrix.features.bucketCount * classes)
        for column in 0..<columnCount {
            let bucket = matrix.columnBuckets.isEmpty ? column : Int(matrix.columnBuckets[column])
            for label in 0..<classes { weights[bucket * classes + label] = table[column * stride + averageSlot + label] }
        }
        return SoftmaxRegression(classCount: classes, weights: weights, bias: averageBias.map { Float($0) })
    }
}
