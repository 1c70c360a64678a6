/// When two answers are the same answer: the same set of labels, whatever their order (and repeats).
///
/// One rule for every figure that compares answers: a gold score, an exam or calibration answer, a blind QA
/// verdict, a model's accuracy and its agreement with people. Were one of them to compare otherwise (in order, say),
/// an annotator's gold accuracy and the QA report built on the same judgments would disagree.
///
/// ```swift
/// LabelMatch.isSame(["spam", "scam"], as: ["scam", "spam"])  // true
/// LabelMatch.isSame(["spam"], as: ["spam", "scam"])          // false: a label missed is a wrong answer
/// ```
public enum LabelMatch {
    /// Whether `given` holds exactly the labels of `reference`.
    public static func isSame<Given: Sequence, Reference: Sequence>(_ given: Given, as reference: Reference) -> Bool
    where Given.Element == Reference.Element, Given.Element: Hashable {
        Set(given) == Set(reference)
    }
}
