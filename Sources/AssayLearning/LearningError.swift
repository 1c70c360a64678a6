/// The ways training, prediction or reading a model can refuse its input, each with a message that says what to
/// change.
///
/// For example:
/// ```swift
/// do {
///     _ = try TextClassifier.train(texts: ["spam"], labels: ["spam"])
/// } catch let error as LearningError {
///     print(error)   // "Not enough data: …"
/// }
/// ```
public enum LearningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option is out of range; the message names it.
    case invalidOptions(String)
    /// The examples cannot train a model (too few, or one label only); the message says what is missing.
    case notEnoughData(String)
    /// The inputs do not line up; the message names the offending value.
    case invalidInput(String)
    /// A model file cannot be read; the message says why.
    case invalidModel(String)

    /// A sentence a person can act on.
    public var description: String {
        switch self {
        case .invalidOptions(let reason): "Invalid option: \(reason)."
        case .notEnoughData(let reason): "Not enough data: \(reason)."
        case .invalidInput(let reason): "Invalid input: \(reason)."
        case .invalidModel(let reason): "Not a usable model file: \(reason)."
        }
    }
}
