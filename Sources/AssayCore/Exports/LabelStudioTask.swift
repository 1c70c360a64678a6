import Foundation

/// A decided item as a Label Studio task, for a team that reviews or trains in Label Studio: the item's content
/// as the task's `data`, the final label as a prediction (model version `assay`, scored by its agreement), and where
/// it came from in `meta`.
///
/// A prediction rather than an annotation: Label Studio records an imported annotation as made by the user who
/// imported it, so a review round trip (export, review, export from Label Studio, import the judgments) would add a
/// vote equal to the final label to every item and inflate its agreement. A prediction is shown to reviewers to
/// accept or correct, and what they submit comes back as their own judgment.
///
/// The prediction's result names the control and the object tag of the Label Studio project it will go into
/// (`from_name` and `to_name`, `label` and `text` unless told): a single- or multi-choice queue and a preference
/// queue give a `choices` result, a rating queue a `rating` result. `meta` keeps Assay's external id, item id,
/// provenance and agreement, since Label Studio numbers the tasks it imports itself, and the item's market and
/// language, which routing needs when the task comes back (``ItemRows`` reads them there).
///
/// For example:
/// ```swift
/// let task = try LabelStudioTask(
///     content: ["text": "buy followers now"], externalID: "c-1", itemID: 7, labels: ["spam"],
///     provenance: "majority", agreement: 0.67, schema: schema)
/// // {"data":{"text":"buy followers now"},"meta":{"assay_item_id":7,"external_id":"c-1",…},
/// //  "predictions":[{"model_version":"assay","result":[{"from_name":"label","to_name":"text","type":"choices",
/// //                  "value":{"choices":["spam"]}}],"score":0.67}]}
/// ```
public struct LabelStudioTask: Encodable, Sendable, Equatable {
    /// The item's content.
    public var data: [String: JSONValue]
    /// The final label, as the one prediction.
    public var predictions: [Prediction]
    /// Assay's record of the item and the decision.
    public var meta: [String: JSONValue]

    /// One prediction: who made it, how sure it is, and its results.
    public struct Prediction: Encodable, Sendable, Equatable {
        /// Always `assay`, so reviewers see where the suggestion came from.
        public var modelVersion = "assay"
        /// The final label's agreement (the share of judgments that chose it), 0 to 1.
        public var score: Double
        /// The results, one per control.
        public var result: [Region]

        enum CodingKeys: String, CodingKey {
            case modelVersion = "model_version", score, result
        }
    }

    /// One result of a prediction.
    public struct Region: Encodable, Sendable, Equatable {
        /// The Label Studio control that holds the answer (`<Choices name=…>`, `<Rating name=…>`).
        public var fromName: String
        /// The object tag the answer is about (`<Text name=…>`).
        public var toName: String
        /// `choices` or `rating`.
        public var type: String
        /// `{"choices": [...]}` or `{"rating": n}`.
        public var value: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case fromName = "from_name", toName = "to_name", type, value
        }
    }

    /// The task for a decided item.
    ///
    /// - Parameters:
    ///   - fromName: the name of the project's choices or rating control.
    ///   - toName: the name of the object tag it labels.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when a rating queue's label is not a whole number,
    ///   which a Label Studio rating cannot hold.
    public init(
        content: [String: JSONValue], externalID: String, itemID: Int64, labels: [String], provenance: String,
        agreement: Double, schema: LabelSchema, market: String? = nil, language: String? = nil,
        fromName: String = "label", toName: String = "text"
    ) throws {
        let region: Region
        if schema.kind == .rating {
            guard labels.count == 1, let point = Int(labels[0]) else {
                throw AssayError.invalidInput(
                    field: "labels", line: nil,
                    reason: "item '\(externalID)': a Label Studio rating holds a whole number, not '\(labels.joined(separator: "|"))'")
            }
            region = Region(fromName: fromName, toName: toName, type: "rating", value: ["rating": .number(Double(point))])
        } else {
            region = Region(
                fromName: fromName, toName: toName, type: "choices", value: ["choices": .array(labels.map(JSONValue.string))])
        }
        data = content
        predictions = [Prediction(score: agreement, result: [region])]
        meta = [
            "external_id": .string(externalID), "assay_item_id": .number(Double(itemID)),
            "provenance": .string(provenance), "agreement": .number(agreement),
        ]
        if let market { meta["market"] = .string(market) }
        if let language { meta["language"] = .string(language) }
    }
}
