/// What a model costs, in US dollars per million tokens, so that a batch can report (and cap) its spend.
///
/// For example:
/// ```swift
/// let pricing = ModelPricing(inputPerMillion: 0.15, outputPerMillion: 0.60)
/// pricing.cost(promptTokens: 2_000_000, completionTokens: 500_000)   // 0.60 dollars
/// ```
/// In JSON: `{"input_per_million": 0.15, "output_per_million": 0.6}`.
public struct ModelPricing: Codable, Sendable, Equatable {
    /// Dollars per million prompt (input) tokens.
    public var inputPerMillion: Double
    /// Dollars per million completion (output) tokens.
    public var outputPerMillion: Double

    /// Makes a price list.
    public init(inputPerMillion: Double, outputPerMillion: Double) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// Dollars for a call, or a batch of calls, that used these tokens.
    public func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * inputPerMillion + Double(completionTokens) * outputPerMillion) / 1_000_000
    }

    /// The prices if they are usable, or an error naming the one that is not.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a price that is negative or not a number.
    public func validated() throws -> ModelPricing {
        for (field, value) in [("input_per_million", inputPerMillion), ("output_per_million", outputPerMillion)] {
            guard value.isFinite, value >= 0 else {
                throw AssayError.invalidInput(
                    field: field, line: nil, reason: "must be a price of 0 or more dollars per million tokens, got \(value)")
            }
        }
        return self
    }

    enum CodingKeys: String, CodingKey {
        case inputPerMillion = "input_per_million", outputPerMillion = "output_per_million"
    }
}
