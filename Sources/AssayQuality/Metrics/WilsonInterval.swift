import Foundation

/// The Wilson score confidence interval for a proportion — the interval to show next to every rate a person reads
/// (accuracy on 40 gold items is not the same claim as accuracy on 4,000), and one that stays inside [0, 1] and
/// behaves at 0 and 100 %.
///
/// Model: k successes in n independent trials with success probability p. With p̂ = k / n and z the normal
/// quantile for the wanted coverage, the interval is
/// (p̂ + z²/(2n) ± z · √(p̂(1 − p̂)/n + z²/(4n²))) / (1 + z²/n),
/// obtained by inverting the score test |p̂ − p| ≤ z √(p(1 − p)/n). With n = 0 nothing is known and the interval
/// is [0, 1].
///
/// E. B. Wilson (1927), "Probable Inference, the Law of Succession, and Statistical Inference", Journal of the
/// American Statistical Association 22(158):209–212. https://doi.org/10.1080/01621459.1927.10502953
///
/// For example:
/// ```swift
/// let interval = WilsonInterval(successes: 81, trials: 263)   // 95 %
/// interval.proportion   // 0.308
/// interval.lower        // 0.2553
/// interval.upper        // 0.3662
/// WilsonInterval(successes: 81, trials: 263, confidence: 0.99).upper   // wider: 0.3853
/// ```
/// - Complexity: O(1).
public struct WilsonInterval: Sendable, Equatable {
    /// The normal quantile for 95 % coverage, Φ⁻¹(0.975).
    public static let z95 = 1.959963984540054

    /// The number of successes k.
    public let successes: Int
    /// The number of trials n.
    public let trials: Int
    /// The normal quantile z that sets the coverage.
    public let z: Double
    /// The lower bound.
    public let lower: Double
    /// The upper bound.
    public let upper: Double

    /// The observed proportion k / n, or 0 when there are no trials.
    public var proportion: Double { trials == 0 ? 0 : Double(successes) / Double(trials) }

    /// Creates the interval for `successes` out of `trials` at normal quantile `z` (95 % by default).
    ///
    /// - Parameters:
    ///   - successes: k, in `0...trials`.
    ///   - trials: n ≥ 0.
    ///   - z: The normal quantile; 1.96 gives 95 %, 2.576 gives 99 %.
    public init(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        precondition(trials >= 0 && successes >= 0 && successes <= trials, "need 0 ≤ successes ≤ trials")
        self.successes = successes
        self.trials = trials
        self.z = z
        guard trials > 0 else {
            lower = 0
            upper = 1
            return
        }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let halfWidth = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At k = 0 and k = n the bounds are exactly 0 and 1; rounding would otherwise leave 1 − 1e-16.
        lower = successes == 0 ? 0 : max(0, center - halfWidth)
        upper = successes == trials ? 1 : min(1, center + halfWidth)
    }

    /// Creates the interval with coverage `confidence` (for example 0.9, 0.95, 0.99).
    public init(successes: Int, trials: Int, confidence: Double) {
        self.init(successes: successes, trials: trials, z: Self.normalQuantile(forCoverage: confidence))
    }

    /// Whether `proportion` lies within the interval.
    public func contains(_ proportion: Double) -> Bool {
        lower <= proportion && proportion <= upper
    }

    /// z = Φ⁻¹((1 + coverage) / 2): Acklam's rational approximation refined by one Halley step (error < 1e-15).
    public static func normalQuantile(forCoverage coverage: Double) -> Double {
        precondition(coverage > 0 && coverage < 1, "coverage must be in (0, 1)")
        let p = (1 + coverage) / 2
        let a = [
            -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716,
            2.506628277459239,
        ]
        let b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
        let c = [
            -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
            4.374664141464968, 2.938163982698783,
        ]
        let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
        var x: Double
        if p > 0.97575 {
            let q = (-2 * log(1 - p)).squareRoot()
            x =
                -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5
            let r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        let error = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = error * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
