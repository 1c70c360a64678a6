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
    }
}
