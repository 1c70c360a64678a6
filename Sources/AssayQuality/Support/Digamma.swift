import Foundation

/// The digamma function ψ(x) = d/dx log Γ(x) for x > 0, to about 1e-13 relative error: the expectation
/// E[log p] under a Dirichlet or Beta posterior is ψ(αₖ) − ψ(Σα), which variational Bayes M-steps need.
///
/// Method: the recurrence ψ(x) = ψ(x + 1) − 1/x lifts x to at least 6, where the asymptotic series
/// ψ(x) ≈ log x − 1/(2x) − Σ B₂ₙ / (2n x²ⁿ) is accurate to double precision with six terms
/// (Abramowitz and Stegun 6.3.18).
///
/// For example:
/// ```swift
/// digamma(1)   // −0.5772156649… (minus the Euler–Mascheroni constant)
/// ```
func digamma(_ value: Double) -> Double {
    precondition(value > 0, "digamma is only used for positive arguments")
    var x = value
    var result = 0.0
    while x < 6 {
        result -= 1 / x
        x += 1
    }
    let inverseSquare = 1 / (x * x)
    // B₂/2, B₄/4, …, B₁₂/12 in Horner form over 1/x².
    let series =
        inverseSquare
        * (1.0 / 12 - inverseSquare
            * (1.0 / 120 - inverseSquare
                * (1.0 / 252 - inverseSquare * (1.0 / 240 - inverseSquare * (1.0 / 132 - inverseSquare * 691.0 / 32760)))))
    return result + log(x) - 0.5 / x - series
}
