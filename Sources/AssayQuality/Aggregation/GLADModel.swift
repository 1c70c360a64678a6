import Foundation

/// GLAD's parameters and posteriors during a fit, with its E-step, objective and M-step (see `GLAD`; Whitehill et al.
/// 2009, as implemented in crowd-kit, https://doi.org/10.21105/joss.06227).
struct GLADModel {
    let judgments: JudgmentMatrix
    let logPriors: [Double]
    let gold: [Int32]?
    let labelCount: Int
    /// log(L − 1): the log of the number of wrong labels.
    let logWrongLabels: Double
    /// αᵥ per worker.
    var abilities: [Double]
    /// bᵢ per item; βᵢ = exp(bᵢ).
    var logInverseDifficulties: [Double]
    var posteriors: [Double]
    /// qⱼ = P(z_{iⱼ} = lⱼ) per judgment, from the last E-step.
    private var agreement: [Double]

    static let abilityPriorMean = 1.0
    static let difficultyPriorMean = 1.0

    init(_ judgments: JudgmentMatrix, logPriors: [Double], gold: [Int32]?) {
        self.judgments = judgments
        self.logPriors = logPriors
        self.gold = gold
        labelCount = judgments.labelCount
        logWrongLabels = log(Double(judgments.labelCount - 1))
        abilities = [Double](repeating: Self.abilityPriorMean, count: judgments.workerCount)
        logInverseDifficulties = [Double](repeating: Self.difficultyPriorMean, count: judgments.itemCount)
        posteriors = [Double](repeating: 0, count: judgments.itemCount * judgments.labelCount)
        agreement = [Double](repeating: 0, count: judgments.judgmentCount)
    }

    /// log σ(x) = −softplus(−x), stable for large |x|.
    @inline(__always) static func logSigmoid(_ x: Double) -> Double {
        x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x))
    }

    /// Posteriors from the current α and b, and qⱼ for the M-step.
    mutating func eStep() {
        var scores = [Double](repeating: 0, count: labelCount)
        for item in 0..<judgments.itemCount {
            let beta = exp(logInverseDifficulties[item])
            let range = judgments.judgments(ofItemAt: item)
            let row = item * labelCount
            if let gold, gold[item] >= 0 {
                for k in 0..<labelCount { posteriors[row + k] = 0 }
                posteriors[row + Int(gold[item])] = 1
            } else {
                var wrongSum = 0.0
                for k in 0..<labelCount { scores[k] = logPriors[k] }
                for position in range {
                    let x = abilities[Int(judgments.workerIndices[position])] * beta
                    let logRight = Self.logSigmoid(x)
                    let logWrong = logRight - x - logWrongLabels  // log σ(−x) = log σ(x) − x
                    wrongSum += logWrong
                    scores[Int(judgments.labelIndices[position])] += logRight - logWrong
                }
                for k in 0..<labelCount { scores[k] += wrongSum }
                posteriors.withUnsafeMutableBufferPointer { posteriors in
                    scores.withUnsafeMutableBufferPointer { scores in
                        _ = normalizeLogScores(scores, into: posteriors.baseAddress! + row)
                    }
                }
            }
            for position in range {
                agreement[position] = posteriors[row + Int(judgments.labelIndices[position])]
            }
        }
    }

    /// Q(α, b) for the current posteriors, without constant terms.
    func objective() -> Double {
        objective(abilities: abilities, logInverseDifficulties: logInverseDifficulties)
    }

    private func objective(abilities: [Double], logInverseDifficulties: [Double]) -> Double {
        var q = 0.0
        for item in 0..<judgments.itemCount {
            let beta = exp(logInverseDifficulties[item])
            for position in judgments.judgments(ofItemAt: item) {
                let x = abilities[Int(judgments.workerIndices[position])] * beta
                let right = agreement[position]
                let logRight = Self.logSigmoid(x)
                q += right * logRight + (1 - right) * (logRight - x - logWrongLabels)
            }
        }
        for ability in abilities { q -= 0.5 * (ability - Self.abilityPriorMean) * (ability - Self.abilityPriorMean) }
        for b in logInverseDifficulties { q -= 0.5 * (b - Self.difficultyPriorMean) * (b - Self.difficultyPriorMean) }
        return q
    }

    /// Fisher-scaled gradient ascent on Q with step halving.
    mutating func mStep(maxSteps: Int, tolerance: Double) {
        var current = objective()
        let scale = Double(judgments.judgmentCount)
        for _ in 0..<maxSteps {
            let (abilityStep, difficultyStep) = ascentDirection()
            var stepSize = 1.0
            var improved = false
            for _ in 0..<20 {
                let trialAbilities = zip(abilities, abilityStep).map { $0 + stepSize * $1 }
                let trialDifficulties = zip(logInverseDifficulties, difficultyStep).map { $0 + stepSize * $1 }
                let trial = objective(abilities: trialAbilities, logInverseDifficulties: trialDifficulties)
                if trial > current {
                    abilities = trialAbilities
                    logInverseDifficulties = trialDifficulties
                    improved = (trial - current) / scale >= tolerance
                    current = trial
                    break
                }
                stepSize /= 2
            }
            if !improved { break }
        }
    }

    /// The gradient of Q divided by the Fisher information, per coordinate, capped at ±2.
    private func ascentDirection() -> (abilities: [Double], logInverseDifficulties: [Double]) {
        var abilityGradient = abilities.map { -($0 - Self.abilityPriorMean) }
        var abilityInformation = [Double](repeating: 1, count: abilities.count)
        var difficultyStep = [Double](repeating: 0, count: logInverseDifficulties.count)
        for item in 0..<judgments.itemCount {
            let beta = exp(logInverseDifficulties[item])
            var gradient = -(logInverseDifficulties[item] - Self.difficultyPriorMean)
            var information = 1.0
            for position in judgments.judgments(ofItemAt: item) {
                let worker = Int(judgments.workerIndices[position])
                let alpha = abilities[worker]
                let sigma = 1 / (1 + exp(-alpha * beta))
                let residual = agreement[position] - sigma
                let curvature = sigma * (1 - sigma)
                abilityGradient[worker] += residual * beta
                abilityInformation[worker] += curvature * beta * beta
                gradient += residual * alpha * beta
                information += curvature * alpha * alpha * beta * beta
            }
            difficultyStep[item] = Self.capped(gradient / information)
        }
        let abilityStep = zip(abilityGradient, abilityInformation).map { Self.capped($0 / $1) }
        return (abilityStep, difficultyStep)
    }

    private static func capped(_ step: Double) -> Double { min(max(step, -2), 2) }
}
