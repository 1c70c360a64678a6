import AssayCore
import Foundation
import Testing

@Suite("Label schemas")
struct LabelSchemaTests {
    let schema = LabelSchema.singleChoice([
        LabelOption(code: "hate", name: "Hate speech", description: "Attacks on protected groups"),
        LabelOption(code: "none", name: "No violation"),
    ])

    @Test("the doc example validates a label")
    func docExample() throws {
        #expect(try schema.validate(labels: ["hate"], rationale: nil) == ["hate"])
    }

    @Test("unknown codes, wrong counts and missing rationales are refused with the field named")
    func refusals() throws {
        #expect(throws: AssayError.invalidInput(
            field: "labels", line: nil, reason: "'spam' is not a label of this queue (labels: hate, none)")
        ) { try schema.validate(labels: ["spam"], rationale: nil) }
        #expect(throws: AssayError.self) { try schema.validate(labels: ["hate", "none"], rationale: nil) }
        #expect(throws: AssayError.self) { try schema.validate(labels: [], rationale: nil) }
        var strict = schema
        strict.rationale = .required
        #expect(throws: AssayError.self) { try strict.validate(labels: ["hate"], rationale: "  ") }
        #expect(try strict.validate(labels: ["hate"], rationale: "slur in line 2") == ["hate"])
    }

    @Test("multi-choice answers come back de-duplicated in schema order")
    func canonicalMultiChoice() throws {
        let multi = LabelSchema.multiChoice([LabelOption(code: "a"), LabelOption(code: "b"), LabelOption(code: "c")])
        #expect(try multi.validate(labels: ["c", "a", "c"], rationale: nil) == ["a", "c"])
    }

    @Test("a label that stands alone cannot be chosen with another in a multi-choice answer; it survives a JSON round trip")
    func exclusiveLabel() throws {
        let ads = LabelSchema.multiChoice([
            LabelOption(code: "scam", name: "Scam"), LabelOption(code: "adult", name: "Adult content"),
            LabelOption(code: "none", name: "Compliant", exclusive: true),
        ])
        #expect(try ads.validate(labels: ["adult", "scam"], rationale: nil) == ["scam", "adult"])
        #expect(try ads.validate(labels: ["none", "none"], rationale: nil) == ["none"])
        #expect(throws: AssayError.invalidInput(
            field: "labels", line: nil, reason: "'none' (Compliant) stands alone: it cannot be chosen with other labels")
        ) { try ads.validate(labels: ["scam", "none"], rationale: nil) }
        let json = String(decoding: try JSONEncoder().encode(ads), as: UTF8.self)
        #expect(json.components(separatedBy: "\"exclusive\":true").count == 2, "written only where set: \(json)")
        #expect(try JSONDecoder().decode(LabelSchema.self, from: Data(json.utf8)) == ads)
    }

    @Test("a schema needs two distinct labels; a rating scale needs whole numbers")
    func schemaValidation() throws {
        #expect(throws: AssayError.self) { try LabelSchema.singleChoice([LabelOption(code: "a")]).validated() }
        #expect(throws: AssayError.self) {
            try LabelSchema.singleChoice([LabelOption(code: "a"), LabelOption(code: "a")]).validated()
        }
        #expect(throws: AssayError.self) {
            try LabelSchema(kind: .rating, labels: [LabelOption(code: "low"), LabelOption(code: "high")]).validated()
        }
        #expect(try LabelSchema.rating(1, through: 5).validated().codes == ["1", "2", "3", "4", "5"])
    }

    @Test("JSON without optional fields decodes with defaults")
    func decoding() throws {
        let json = #"{"kind": "single_choice", "labels": [{"code": "a"}, {"code": "b", "name": "Bee"}]}"#
        let decoded = try JSONDecoder().decode(LabelSchema.self, from: Data(json.utf8))
        #expect(decoded.rationale == .optional)
        #expect(decoded.labels[0].name == "a")
        #expect(decoded.labels[1].name == "Bee")
    }

    @Test("queue drafts get sensible defaults and refuse bad settings")
    func queueDrafts() throws {
        let queue = try QueueDraft(name: " reviews ", languages: ["EN", "pt-br"], schema: schema).makeQueue(id: UUID(), now: Date())
        #expect(queue.name == "reviews")
        #expect(queue.overlap == 1)
        #expect(queue.leaseSeconds == 600)
        #expect(queue.languages == ["en", "pt-BR"])
        #expect(throws: AssayError.self) { try QueueDraft(name: "q", schema: schema, overlap: 0).makeQueue(id: UUID(), now: Date()) }
        #expect(throws: AssayError.self) { try QueueDraft(name: "", schema: schema).makeQueue(id: UUID(), now: Date()) }
        #expect(throws: AssayError.self) {
            try QueueDraft(name: UUID().uuidString, schema: schema).makeQueue(id: UUID(), now: Date())
        }
    }

    @Test("a label code may not hold '|', which CSV files put between labels")
    func pipeInCode() {
        let schema = LabelSchema.singleChoice([LabelOption(code: "a|b"), LabelOption(code: "b")])
        #expect(throws: AssayError.invalidInput(
            field: "schema.labels", line: nil,
            reason: "label code 'a|b' holds '|', which CSV files use between labels; choose another character")
        ) { try schema.validated() }
    }
}
