import Foundation

/// Finds the number a JSON document holds that its type cannot take: Foundation's decoder names no field for a
/// fraction or a number past 2⁶³ where a whole number is expected ("The given data was not valid JSON.").
///
/// Each candidate (the fractions and the numbers past 2⁶³, at most 20) is replaced by 0 in turn; the first whose
/// replacement lets the document decode (or fail otherwise) is the one. Each try decodes the document again, so
/// callers keep this to documents of the usual size.
///
/// ```swift
/// if UnfitNumber.isUnfit(error), let (path, value) = UnfitNumber.locate(in: document, for: QueueDraft.self, decoder: decoder) {
///     print("\(JSONValue.describe(path)): must be a whole number that fits, got \(value)")   // overlap: … got 2.5
/// }
/// ```
public enum UnfitNumber {
    /// Whether the decoder refused a number its field's type cannot hold, which it reports with no field.
    public static func isUnfit(_ error: DecodingError) -> Bool {
        guard case .dataCorrupted(let context) = error else { return false }
        return context.codingPath.isEmpty && context.debugDescription == "The given data was not valid JSON."
    }

    /// The path and value of the number `Value` could not take, if one of the candidates is it.
    public static func locate<Value: Decodable>(in document: JSONValue, for type: Value.Type, decoder: JSONDecoder)
        -> ([JSONValue.PathStep], Double)?
    {
        var candidates: [([JSONValue.PathStep], Double)] = []
        document.numbers { path, value in
            if value.rounded() != value || abs(value) >= 9.2e18 { candidates.append((path, value)) }
        }
        for (path, value) in candidates.prefix(20) {
            var bytes: [UInt8] = []
            document.replacing(at: path, with: .number(0)).write(to: &bytes)
            do {
                _ = try decoder.decode(Value.self, from: Data(bytes))
                return (path, value)
            } catch let error as DecodingError where isUnfit(error) {
                continue
            } catch {
                return (path, value)
            }
        }
        return nil
    }

    /// The reason to give: `overlap: must be a whole number that fits, got 2.5`.
    public static func reason(at path: [JSONValue.PathStep], value: Double) -> String {
        let shown = value.rounded() == value ? String(format: "%.0f", value) : "\(value)"
        return "\(JSONValue.describe(path)): must be a whole number that fits, got \(shown)"
    }
}
