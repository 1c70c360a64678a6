import AssayCore
import Foundation
import Testing

@Suite("Queue drafts")
struct QueueDraftTests {
    func draft(named name: String, languages: [String] = []) -> QueueDraft {
        QueueDraft(name: name, languages: languages, schema: .singleChoice([LabelOption(code: "a"), LabelOption(code: "b")]))
    }

    /// The name is the queue's address in the API and the CLI: one a path splits or resolves away is unreachable.
    @Test("queue names that could not be used as an address are refused")
    func unreachableNames() throws {
        for name in ["comments-en", "Comentários pt_BR", "v1.2", "広告", "Ads (EN)", "Trust & Safety"] {
            #expect(try draft(named: name).makeQueue(id: UUID(), now: Date()).name == name)
        }
        for name in [".", "..", "a/b", "tab\there", "nul\u{0}x", "what?", "50%", "back\\slash", "#tag"] {
            let error = #expect(throws: AssayError.self, "\(name)") { try draft(named: name).makeQueue(id: UUID(), now: Date()) }
            #expect(error?.description.hasPrefix("name: a queue name cannot") == true, "\(String(describing: error))")
        }
    }

    @Test("a queue's languages must be language codes; they are stored in one casing")
    func languages() throws {
        let queue = try draft(named: "q", languages: ["PT_br", " en "]).makeQueue(id: UUID(), now: Date())
        #expect(queue.languages == ["pt-BR", "en"])
        #expect(throws: AssayError.invalidInput(
            field: "languages", line: nil, reason: "'english' is not a language code such as en, pt-BR or zh-Hans-CN")) {
            try draft(named: "q", languages: ["english"]).makeQueue(id: UUID(), now: Date())
        }
        #expect(try draft(named: "q", languages: ["en", "EN", " en"]).makeQueue(id: UUID(), now: Date()).languages == ["en"])
    }

    @Test("markets are names of letters, digits, spaces and a little punctuation, stored upper-cased once; anything else is refused")
    func markets() throws {
        var queue = draft(named: "q")
        queue.markets = [" br", "LATAM", "eu_west", "BR", "", "Ελλάδα", "us west", "LATAM (ES)", "N/A"]
        #expect(try queue.makeQueue(id: UUID(), now: Date()).markets
                == ["BR", "LATAM", "EU_WEST", "ΕΛΛΆΔΑ", "US WEST", "LATAM (ES)", "N/A"])
        for bad in ["\u{0B}X\u{01}", "say \"x\"", "<b>", String(repeating: "X", count: 33), "🇧🇷"] {
            queue.markets = [bad]
            let error = #expect(throws: AssayError.self, "\(bad)") { try queue.makeQueue(id: UUID(), now: Date()) }
            #expect(error?.description.hasPrefix("markets: ") == true && error?.description.contains("is not a market code") == true,
                    "\(String(describing: error))")
        }
        var person = PersonDraft(name: "Mk", role: .annotator)
        person.markets = ["us", "US "]
        #expect(try person.validated().markets == ["US"])
        person.markets = ["\u{0B}"]
        #expect(throws: AssayError.self) { try person.validated() }
    }

    @Test("a description is at most 20,000 characters, a person's name at most 200")
    func lengths() throws {
        var queue = draft(named: "q")
        queue.description = String(repeating: "x", count: 20_001)
        let error = #expect(throws: AssayError.self) { try queue.makeQueue(id: UUID(), now: Date()) }
        #expect(error?.description.hasPrefix("description: must be at most 20000 characters") == true)
        #expect(throws: AssayError.self) { try PersonDraft(name: String(repeating: "n", count: 201), role: .annotator).validated() }
        #expect(try PersonDraft(name: String(repeating: "n", count: 200), role: .annotator).validated().name.count == 200)
    }

    @Test("from a person, a key the schema, a label, the consensus, an exam or a calibration does not know is refused")
    func unknownNestedKeys() throws {
        let decoder = JSONDecoder()
        decoder.userInfo[.refusesUnknownKeys] = true
        decoder.dateDecodingStrategy = .iso8601
        func refusal<T: Decodable>(_ type: T.Type, _ json: String) -> String {
            do {
                _ = try decoder.decode(type, from: Data(json.utf8))
                return "accepted"
            } catch let error as AssayError {
                return error.description
            } catch {
                return "\(error)"
            }
        }
        let schema = #"{"name": "q", "schema": {"kind": "multi_choice", "labels": [{"code": "a"}, {"code": "none", "exclusiv": true}]}}"#
        #expect(refusal(QueueDraft.self, schema).hasPrefix("schema.labels[1].exclusiv: not a field here"))
        let rationale = #"{"name": "q", "schema": {"kind": "single_choice", "labels": [{"code": "a"}, {"code": "b"}], "rationale_required": true}}"#
        #expect(refusal(QueueDraft.self, rationale).hasPrefix("schema.rationale_required: not a field here"))
        let consensus = #"{"name": "q", "schema": {"kind": "single_choice", "labels": [{"code": "a"}, {"code": "b"}]}, "consensus": {"kind": "majority", "minimum_agrement": 0.9}}"#
        #expect(refusal(QueueDraft.self, consensus).hasPrefix("consensus.minimum_agrement: not a setting here"))
        #expect(refusal(ExamDraft.self, #"{"name": "E", "items": ["a"], "pass_mark": 0.8, "trainig": true}"#).hasPrefix("trainig: not a field here"))
        let calibration = #"{"name": "C", "items": ["a"], "participants": {"people": ["p"], "vendor": ["v"]}, "closes_at": "2027-01-01T00:00:00Z"}"#
        #expect(refusal(CalibrationDraft.self, calibration).hasPrefix("participants.vendor: not a field here"))
        #expect(refusal(CalibrationDraft.self, #"{"name": "C", "items": ["a"], "participants": {"people": ["p"]}, "closes_at": "2027-01-01T00:00:00Z", "bogus": 1}"#)
                    .hasPrefix("bogus: not a field here"))
        // What Assay stored is read without the check: an older version may have written other keys.
        #expect(try JSONDecoder().decode(LabelOption.self, from: Data(#"{"code": "a", "old": 1}"#.utf8)).code == "a")
    }
}
