/// The ways a quality computation can refuse its input, each with a message that says what to change.
///
/// Degenerate inputs never produce a silent `NaN`: an undefined coefficient throws one of these cases instead.
///
/// For example:
/// ```swift
/// do {
///     _ = try FleissKappa().measure(JudgmentMatrix(triples: []))
/// } catch let error as QualityError {
///     print(error)   // "There are no judgments: …"
/// }
/// ```
public enum QualityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There are no judgments (or no labels) to work with.
    case empty
    /// The computation needs at least `needed` raters on some item (or in total), and found at most `found`.
    case tooFewRaters(needed: Int, found: Int)
    /// The two raters of Cohen's κ never judged the same item.
    case noSharedItems(first: String, second: String)
    /// Every value is the same, so chance agreement is perfect and the coefficient is 0 / 0.
    case noVariation
    /// The input breaks a precondition; the message names the offending value.
    case invalidInput(String)

    /// A sentence a person can act on.
    public var description: String {
        switch self {
        case .empty:
            "There are no judgments: add at least one (item, worker, label) row."
        case .tooFewRaters(let needed, let found):
            "Too few raters: this needs at least \(needed) judgments of the same item, but no item has more than "
                + "\(found). Collect overlapping judgments (overlap ≥ \(needed))."
        case .noSharedItems(let first, let second):
            "Raters '\(first)' and '\(second)' never judged the same item, so their agreement is undefined."
        case .noVariation:
            "Every judgment has the same value, so chance agreement is already perfect and the coefficient is "
                + "undefined (0 / 0). Report percent agreement instead, or add items where raters can differ."
        case .invalidInput(let reason):
            // The reason is a sentence that names the value; a prefix read like a type's name in the CLI's errors.
            reason
        }
    }
}
