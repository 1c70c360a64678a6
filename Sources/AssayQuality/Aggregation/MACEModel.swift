import Foundation

/// One MACE run: parameters, posteriors, and the EM loop (see `MACE`; https://aclanthology.org/N13-1132).
struct MACEModel {
    let judgments: JudgmentMatrix
    let gold: [Int32]?
    let fitting: MACE.Fitting
    let labelCount: Int
    /// θᵥ: the weight of worker w answering truthfully.
    var competence: [Double]
    /// The weight of worker w spamming: 1 − θᵥ under EM; under variational Bayes, the two weights are
    /// exp E[log ·] of the Beta posterior and sum to slightly less than 1.
    var spamWeight: [Double]
    /// ξᵥ[a] at `[w * labels + a]`: worker w's label habit when spamming.
    var spamming: [Double]
    var posteriors: [Double]
    var logLikelihood = -Double.infinity
    var iterations = 0
    var converged = false

    /// Starting parameters θ and ξ; `nil` for θ = ½ and uniform ξ.
    struct Start {
        var competence: [Double]
        var spamming: [Double]

        /// Draws θ and ξ from normalised U(1, 1 + noise) weights (see ``MACE/startNoise`` for crowd-kit's draw).
        static func random(
            workerCount: Int, labelCount: Int, noise: Double, using rng: inout some RandomNumberGenerator
        ) -> Start {
            var start = Start(
                competence: [Double](repeating: 0, count: workerCount),
                spamming: [Double](repeating: 0, count: workerCount * labelCount))
            for worker in 0..<workerCount {
                let spam = 1 + noise * Double.random(in: 0..<1, using: &rng)
                let truthful = 1 + noise * Double.random(in: 0..<1, using: &rng)
                start.competence[worker] = truthful / (spam + truthful)
                var total = 0.0
                for label in 0..<labelCount {
                    let weight = 1 + noise * Double.random(in: 0..<1, using: &rng)
                    start.spamming[worker * labelCount + label] = weight
                    total += weight
                }
                for label in 0..<labelCount { start.spamming[worker * labelCount + label] /= total }
            }
            return start
        }
    }

    init(_ judgments: JudgmentMatrix, gold: [Int32]?, fitting: MACE.Fitting, start: Start?) {
        self.judgments = judgments
        self.gold = gold
        self.fitting = fitting
        labelCount = judgments.labelCount
        competence = start?.competence ?? [Double](repeating: 0.5, count: judgments.workerCount)
        spamWeight = competence.map { 1 - $0 }
        spamming =
            start?.spamming
            ?? [Double](repeating: 1 / Double(judgments.labelCount), count: judgments.workerCount * labelCount)
        posteriors = [Double](repeating: 0, count: judgments.itemCount * labelCount)
    }

    /// EM until the likelihood settles or the cap is reached.
    mutating func fit(maxIterations: Int, tolerance: Double) {
        var (competent, spam) = eStep()
        while iterations < maxIterations {
            iterations += 1
            mStep(competent: competent, spam: spam)
            let previous = logLikelihood
            (competent, spam) = eStep()
            if (logLikelihood - previous) / Double(judgments.judgmentCount) < tolerance {
                converged = true
                break
            }
        }
    }

    // MARK: - EM steps

    /// Posteriors, log-likelihood, and the expected competent count per worker and spam count per (worker, label).
    private mutating func eStep() -> (competent: [Double], spam: [Double]) {
        let tableSize = judgments.workerCount * labelCount
        // Per (worker, answer): log P(answer | spam), log P(answer | truth = answer), and the share of the latter
        // that is competence — precomputed so the pass over judgments needs no logarithms.
        var tables = [Double](repeating: 0, count: 3 * tableSize)
        for worker in 0..<judgments.workerCount {
            let theta = competence[worker]
            for answer in 0..<labelCount {
                let cell = worker * labelCount + answer
                let spam = max(spamWeight[worker] * spamming[cell], 1e-300)
                tables[cell] = log(spam)
                tables[tableSize + cell] = log(theta + spam)
                tables[2 * tableSize + cell] = theta / (theta + spam)
            }
        }
        // counts = [competent per worker | spam per (worker, answer)]
        var counts = [Double](repeating: 0, count: judgments.workerCount + tableSize)
        var posteriors: [Double] = []
        swap(&posteriors, &self.posteriors)  // a unique local buffer: no copy-on-write checks in the loop
        let judgments = judgments
        let labelCount = labelCount
        let gold = gold
        logLikelihood = judgments.itemOffsets.withUnsafeBufferPointer { offsets in
            judgments.workerIndices.withUnsafeBufferPointer { workers in
                judgments.labelIndices.withUnsafeBufferPointer { labels in
                    tables.withUnsafeBufferPointer { tables in
                        posteriors.withUnsafeMutableBufferPointer { posteriors in
                            counts.withUnsafeMutableBufferPointer { counts in
                                Self.accumulate(
                                    offsets: offsets, workers: workers, labels: labels, tables: tables, gold: gold,
                                    labelCount: labelCount, posteriors: posteriors, counts: counts)
                            }
                        }
                    }
                }
            }
        }
        swap(&posteriors, &self.posteriors)
        let workerCount = judgments.workerCount
        return (Array(counts[..<workerCount]), Array(counts[workerCount...]))
    }

    /// The E-step's pass over items; returns the log marginal likelihood.
    private static func accumulate(
        offsets: UnsafeBufferPointer<Int>, workers: UnsafeBufferPointer<Int32>, labels: UnsafeBufferPointer<Int32>,
        tables: UnsafeBufferPointer<Double>, gold: [Int32]?, labelCount: Int,
        posteriors: UnsafeMutableBufferPointer<Double>, counts: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let tableSize = tables.count / 3
        let workerCount = counts.count - tableSize
        let logSpam = tables.baseAddress!
        let logMatch = logSpam + tableSize
        let competentShare = logSpam + 2 * tableSize
        let competent = counts.baseAddress!
        let spamCounts = competent + workerCount
        let scores = UnsafeMutableBufferPointer<Double>.allocate(capacity: labelCount)
        defer { scores.deallocate() }
        let logUniform = -log(Double(labelCount))
        var total = 0.0
        for item in 0..<(offsets.count - 1) {
            let range = offsets[item]..<offsets[item + 1]
            var allSpam = logUniform
            for k in 0..<labelCount { scores[k] = 0 }
            for position in range {
                let answer = Int(labels[position])
                let cell = Int(workers[position]) * labelCount + answer
                allSpam += logSpam[cell]
                scores[answer] += logMatch[cell] - logSpam[cell]
            }
            for k in 0..<labelCount { scores[k] += allSpam }
            let row = posteriors.baseAddress! + item * labelCount
            total += normalizeLogScores(scores, into: row)
            if let gold, gold[item] >= 0 {
                for k in 0..<labelCount { row[k] = 0 }
                row[Int(gold[item])] = 1
            }
            for position in range {
                let worker = Int(workers[position])
                let answer = Int(labels[position])
                let share = row[answer] * competentShare[worker * labelCount + answer]
                competent[worker] += share
                spamCounts[worker * labelCount + answer] += 1 - share
            }
        }
        return total
    }

    /// θ and ξ from the expected counts: smoothed maximum likelihood (EM), or the exp E[log ·] weights of the
    /// Beta and Dirichlet posteriors (variational Bayes).
    private mutating func mStep(competent: [Double], spam: [Double]) {
        for worker in 0..<judgments.workerCount {
            var spamTotal = 0.0
            for label in 0..<labelCount { spamTotal += spam[worker * labelCount + label] }
            switch fitting {
            case .expectationMaximization(let smoothing):
                let smoothing = smoothing ?? 0.01 / Double(labelCount)
                let denominator = competent[worker] + spamTotal + 2 * smoothing
                if denominator > 0 {
                    competence[worker] = (competent[worker] + smoothing) / denominator
                    spamWeight[worker] = 1 - competence[worker]
                }
                let spamDenominator = spamTotal + Double(labelCount) * smoothing
                guard spamDenominator > 0 else { continue }
                for label in 0..<labelCount {
                    spamming[worker * labelCount + label] =
                        (spam[worker * labelCount + label] + smoothing) / spamDenominator
                }
            case .variationalBayes(let alpha, let beta, let habitPrior):
                let total = digamma(competent[worker] + spamTotal + alpha + beta)
                spamWeight[worker] = exp(digamma(spamTotal + alpha) - total)
                competence[worker] = exp(digamma(competent[worker] + beta) - total)
                let habitTotal = digamma(spamTotal + Double(labelCount) * habitPrior)
                for label in 0..<labelCount {
                    spamming[worker * labelCount + label] =
                        exp(digamma(spam[worker * labelCount + label] + habitPrior) - habitTotal)
                }
            }
        }
    }
}
