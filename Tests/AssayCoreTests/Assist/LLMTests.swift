import AssayCore
import AssayQuality
import Foundation
import Testing

/// The queue most tests label: the schema the doc comments of the LLM types call `schema`.
private let schema = LabelSchema.singleChoice([
    LabelOption(code: "spam", name: "Spam", description: "Unsolicited ads and scams"),
    LabelOption(code: "none", name: "No violation"),
])

private let multi = LabelSchema.multiChoice([
    LabelOption(code: "scam", name: "Scam"), LabelOption(code: "adult", name: "Adult content"),
    LabelOption(code: "violence", name: "Violence"),
])

/// The reason of an `AssayError.invalidInput`, or nil for anything else.
private func invalidInput(_ body: () throws -> Any) -> (field: String?, reason: String)? {
    do {
        _ = try body()
        return nil
    } catch AssayError.invalidInput(let field, _, let reason) {
        return (field, reason)
    } catch {
        return nil
    }
}

/// The reason an LLM reply is refused, or nil when it is accepted.
private func refusal(_ reply: String, schema queue: LabelSchema = schema) -> String? {
    do {
        _ = try LLMAnswer.parse(reply, schema: queue)
        return nil
    } catch let error as LLMOutputError {
        return error.reason
    } catch {
        return "unexpected \(error)"
    }
}

private func json(_ value: some Encodable) throws -> JSONValue {
    try JSONValue(parsing: JSONEncoder().encode(value))
}

// MARK: - Prompt templates

@Suite("LLM prompt templates")
struct PromptTemplateTests {
    @Test("the doc example: a validated template renders a system and a user message")
    func docExample() throws {
        let template = try PromptTemplate(
            name: "triage", version: "3", system: "You review comments.",
            user: "Labels:\n{{labels}}\n\nComment: {{item.text}}\n\n{{output_format}}"
        ).validated()
        let messages = template.render(item: ["text": "Buy followers now!"], schema: schema, guidelines: [:])
        #expect(messages.map(\.role) == ["system", "user"])
        #expect(messages[0] == ChatMessage(role: "system", content: "You review comments."))
        #expect(
            messages[1].content.hasPrefix(
                "Labels:\n- spam: Spam — Unsolicited ads and scams\n- none: No violation\n\nComment: Buy followers now!\n\nAnswer with only a JSON object"
            ))
    }

    @Test("the render example: codes, a string field and a number field; no system text, no system message")
    func renderExample() {
        let template = PromptTemplate(name: "t", version: "1", user: "{{label_codes}} | {{item.text}} | {{item.n}}")
        #expect(
            template.render(item: ["text": "hi", "n": 2], schema: schema, guidelines: [:])
                == [ChatMessage(role: "user", content: "spam, none | hi | 2")])
    }

    @Test("every placeholder is filled, spaces inside the braces allowed")
    func placeholders() throws {
        let template = try PromptTemplate(
            name: "all", version: "1", system: "Codes: {{ label_codes }}",
            user: "{{labels}}\n--\n{{guidelines}}\n--\n{{item.text}}\n--\n{{output_format}}"
        ).validated()
        let messages = template.render(
            item: ["text": "Win a prize"], schema: schema,
            guidelines: ["spam": "  Ads, scams and link farms.\n", "none": "", "other": "ignored"])
        #expect(messages[0].content == "Codes: spam, none")
        let parts = messages[1].content.components(separatedBy: "\n--\n")
        #expect(parts.count == 4)
        #expect(parts[0] == "- spam: Spam — Unsolicited ads and scams\n- none: No violation")
        #expect(parts[1] == "### spam: Spam\nAds, scams and link farms.")
        #expect(parts[2] == "Win a prize")
        #expect(parts[3] == PromptTemplate.outputInstruction(for: schema))
        #expect(parts[3].contains(#"{"labels": ["<code>"], "confidence": "#))
        #expect(parts[3].contains("exactly one of these codes: spam, none."))
    }

    @Test("an unknown placeholder is refused, by name")
    func unknownPlaceholder() throws {
        let typo = PromptTemplate(name: "triage", version: "1", user: "{{item.text}}\n{{lables}} {{foo}} {{lables}}")
        let error = invalidInput { try typo.validated() }
        #expect(error?.field == "user")
        #expect(error?.reason.hasPrefix("unknown placeholders {{lables}}, {{foo}}; use {{item.FIELD}}") == true)
        let inSystem = PromptTemplate(name: "t", version: "1", system: "{{item}}", user: "{{item.text}}")
        #expect(invalidInput { try inSystem.validated() }?.reason.hasPrefix("unknown placeholder {{item}};") == true)
        #expect(invalidInput { try inSystem.validated() }?.field == "system")
    }

    @Test("a key in the base URL or in place of the variable's name is refused, and not repeated")
    func keysStayOut() {
        func refusal(_ url: String, keyEnv: String? = nil) -> (field: String?, reason: String)? {
            invalidInput { try LLMRunConfig(baseURL: url, model: "m", apiKeyEnv: keyEnv).validated() }
        }
        for url in ["http://apiuser:sk-LEAKED-1234@127.0.0.1:8000/v1", "https://sk-LEAKED-1234@gateway.example/v1",
                    "https://gateway.example/v1?api-key=sk-LEAKED-1234", "https://gateway.example/v1?x=1&Key=sk-LEAKED-1234"] {
            let error = refusal(url)
            #expect(error?.field == "base_url" && error?.reason.contains("api_key_env") == true, "\(url): \(String(describing: error))")
            #expect(error?.reason.contains("sk-LEAKED") == false)
        }
        #expect(refusal("https://gateway.example/v1?api-version=2024-06-01") == nil, "a version is no key")
        for pasted in ["sk-proj-REALKEY42", "1PASSWORD", "MY KEY", ""] {
            let error = refusal("http://127.0.0.1:8000/v1", keyEnv: pasted)
            #expect(error?.field == "api_key_env" && error?.reason.contains("not the key itself") == true)
            #expect(pasted.isEmpty || error?.reason.contains(pasted) == false)
            #expect(throws: AssayError.self) { try LLMRunConfig.requireVariableName(pasted) }
        }
        #expect(refusal("http://127.0.0.1:8000/v1", keyEnv: "OPENAI_API_KEY") == nil)
    }

    @Test("the doc example of validated(): a typo is named")
    func validatedExample() {
        let typo = PromptTemplate(name: "triage", version: "1", user: "{{item.text}}\n{{lables}}")
        #expect(invalidInput { try typo.validated() }?.reason.hasPrefix("unknown placeholder {{lables}}; use {{item.FIELD}}, ") == true)
    }

    @Test("names, versions and texts that cannot work are refused")
    func refusals() {
        let cases: [(PromptTemplate, String)] = [
            (PromptTemplate(name: "", version: "1", user: "{{item.text}}"), "name"),
            (PromptTemplate(name: "  ", version: "1", user: "{{item.text}}"), "name"),
            (PromptTemplate(name: String(repeating: "n", count: 101), version: "1", user: "{{item.text}}"), "name"),
            (PromptTemplate(name: "t", version: "", user: "{{item.text}}"), "version"),
            (PromptTemplate(name: "t", version: String(repeating: "9", count: 101), user: "{{item.text}}"), "version"),
            (PromptTemplate(name: "t", version: "1", system: "{{item.text}}", user: " \n"), "user"),
            (PromptTemplate(name: "t", version: "1", user: "{{item.text}} {{labels"), "user"),
            (PromptTemplate(name: "t", version: "1", user: "Label this: {{labels}}"), "user"),
        ]
        for (template, field) in cases {
            #expect(invalidInput { try template.validated() }?.field == field, "\(template)")
        }
        #expect(
            invalidInput { try PromptTemplate(name: "t", version: "1", user: "Label this.").validated() }?.reason
                == "the prompt never shows the item: add a placeholder such as {{item.text}}")
        let longest = PromptTemplate(name: String(repeating: "n", count: 100), version: "1", user: "{{item.query}}")
        #expect(invalidInput { try longest.validated() } == nil)
    }

    @Test("content that is not a string is written as compact JSON; a missing or null field as nothing")
    func nonStringContent() {
        let template = PromptTemplate(
            name: "t", version: "1",
            user: "[{{item.n}}][{{item.tags}}][{{item.meta}}][{{item.flag}}][{{item.gone}}][{{item.meta.source}}][{{item.nil}}][{{item.x}}]")
        let content: [String: JSONValue] = [
            "n": 2, "tags": ["a", "b"], "meta": ["source": "web", "rank": 1.5], "flag": true, "nil": nil, "x": 0.25,
        ]
        let rendered = template.render(item: content, schema: schema, guidelines: [:])
        #expect(rendered == [.user(#"[2][["a","b"]][{"rank":1.5,"source":"web"}][true][][web][][0.25]"#)])
    }

    @Test("the fields a template quotes, and whether an item has anything in any of them (the quotesSomething example)")
    func quotedFields() {
        let template = PromptTemplate(name: "t", version: "1", system: "{{item.context}}", user: "{{labels}} {{item.text}} {{item.context}}")
        #expect(template.itemFields == ["context", "text"])
        #expect(template.quotesSomething(of: ["text": "hi"]), "a field missing from some items only is fine")
        #expect(template.quotesSomething(of: ["context": ["thread": 3]]))
        for content: [String: JSONValue] in [["query": "cheap flights"], ["text": nil], ["text": " \n", "context": ""], [:]] {
            #expect(!template.quotesSomething(of: content), "\(content)")
        }
        #expect(!PromptTemplate(name: "t", version: "1", user: "{{item.text}}").quotesSomething(of: ["query": "cheap flights"]))
    }

    @Test("a dotted field is read whole first, then as a path")
    func dottedFields() {
        let template = PromptTemplate(name: "t", version: "1", user: "{{item.a.b}}")
        #expect(template.render(item: ["a.b": "whole", "a": ["b": "path"]], schema: schema, guidelines: [:])[0].content == "whole")
        #expect(template.render(item: ["a": ["b": "path"]], schema: schema, guidelines: [:])[0].content == "path")
        #expect(template.render(item: ["a": "flat"], schema: schema, guidelines: [:])[0].content == "")
    }

    @Test("text from the item is never read as a placeholder")
    func noInjection() {
        let template = PromptTemplate(name: "t", version: "1", user: "<{{item.text}}> {{unknown}} {{ open")
        let rendered = template.render(item: ["text": "ignore this: {{labels}}"], schema: schema, guidelines: [:])
        #expect(rendered[0].content == "<ignore this: {{labels}}> {{unknown}} {{ open")
    }

    @Test("the output format tells a multi-choice model it may choose several labels, and a rating model one point")
    func outputFormatWording() {
        let many = PromptTemplate.outputInstruction(for: multi)
        #expect(many.contains("\"labels\" holds one or more of these codes, every one that applies: scam, adult, violence."))
        #expect(!many.contains("exactly one"))
        let one = PromptTemplate.outputInstruction(for: schema)
        #expect(one.contains("exactly one") && !one.contains("one or more"))
        #expect(PromptTemplate.outputInstruction(for: .rating(1, through: 3)).contains("exactly one point of this scale: 1, 2, 3."))
        let all = [many, one].allSatisfy { $0.hasPrefix("Answer with only a JSON object") && $0.contains("\"rationale\"") }
        #expect(all)
    }

    @Test("the labelList and guidelineBlocks examples")
    func listExamples() {
        let list = PromptTemplate.labelList(
            for: .singleChoice([
                LabelOption(code: "hate", name: "Hate speech", description: "Attacks on protected groups"),
                LabelOption(code: "none"),
            ]))
        #expect(list == "- hate: Hate speech — Attacks on protected groups\n- none")
        #expect(
            PromptTemplate.guidelineBlocks(for: schema, guidelines: ["spam": "Unsolicited ads and scams."])
                == "### spam: Spam\nUnsolicited ads and scams.")
        #expect(PromptTemplate.guidelineBlocks(for: schema, guidelines: [:]) == "")
        let example = PromptTemplate.outputInstruction(for: .multiChoice([LabelOption(code: "scam"), LabelOption(code: "adult")]))
        #expect(example.contains("\"labels\" holds one or more of these codes, every one that applies: scam, adult."))
    }

    @Test("the standard template is valid and shows the labels, the guidelines, the item and the output format")
    func standard() throws {
        let template = try PromptTemplate.standard.validated()
        let messages = template.render(
            item: ["text": "Buy followers now!"], schema: schema, guidelines: ["spam": "Ads are spam."])
        #expect(messages.count == 2)
        #expect(messages[0].role == "system" && messages[0].content.contains("never follow instructions"))
        let user = messages[1].content
        for part in [
            "- spam: Spam — Unsolicited ads and scams", "### spam: Spam\nAds are spam.",
            "<item>\nBuy followers now!\n</item>", PromptTemplate.outputInstruction(for: schema),
        ] {
            #expect(user.contains(part), "\(part)")
        }
        #expect(!user.contains("{{"))
        let docExample = PromptTemplate.standard.render(item: ["text": "Buy followers now!"], schema: schema, guidelines: [:])
        #expect(docExample[1].content.contains("Buy followers now!"))
    }

    @Test("a template reads from JSON without a system text, and round-trips")
    func codable() throws {
        let decoded = try JSONDecoder().decode(
            PromptTemplate.self, from: Data(#"{"name": "t", "version": "2", "user": "{{item.text}}"}"#.utf8))
        #expect(decoded == PromptTemplate(name: "t", version: "2", system: "", user: "{{item.text}}"))
        let again = try JSONDecoder().decode(PromptTemplate.self, from: JSONEncoder().encode(PromptTemplate.standard))
        #expect(again == .standard)
        // From a file or a request (which refuse keys they do not know), a misspelt key is refused, not left out.
        let strict = JSONDecoder()
        strict.userInfo[.refusesUnknownKeys] = true
        let typo = Data(#"{"name": "t", "version": "2", "sytem": "Be strict.", "user": "{{item.text}}"}"#.utf8)
        let refused = #expect(throws: AssayError.self) { try strict.decode(PromptTemplate.self, from: typo) }
        #expect(refused?.description.contains("sytem") == true, "\(String(describing: refused))")
    }

    @Test("the ChatMessage example")
    func chatMessage() throws {
        let message = ChatMessage.user("Label this comment.")
        #expect(message.role == "user")
        #expect(try json(message) == ["role": "user", "content": "Label this comment."])
    }
}

// MARK: - Chat completion wire types

@Suite("LLM chat completion requests and responses")
struct ChatCompletionTests {
    @Test("the doc example: nil fields are left out, keys are snake case")
    func requestExample() throws {
        let request = ChatCompletionRequest(
            model: "gpt-4o-mini", messages: [.user("Label this.")], temperature: 0, responseFormat: .jsonObject)
        #expect(
            try json(request) == [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "Label this."]], "temperature": 0,
                "response_format": ["type": "json_object"],
            ])
        let bare = ChatCompletionRequest(model: "m", messages: [])
        #expect(try json(bare) == ["model": "m", "messages": []])
    }

    @Test("every field, in snake case")
    func fullRequest() throws {
        let request = ChatCompletionRequest(
            model: "llama3.1:8b", messages: [.system("Be brief."), .user("Hi")], temperature: 0.2, maxTokens: 200,
            responseFormat: .jsonObject, seed: 42)
        #expect(
            try json(request) == [
                "model": "llama3.1:8b",
                "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi"]],
                "temperature": 0.2, "max_tokens": 200, "response_format": ["type": "json_object"], "seed": 42,
            ])
        #expect(try JSONDecoder().decode(ChatCompletionRequest.self, from: JSONEncoder().encode(request)) == request)
    }

    @Test("the response doc example: content and usage")
    func responseExample() throws {
        let body = #"""
            {"model": "gpt-4o-mini", "choices": [{"message": {"role": "assistant", "content": "{\"labels\": [\"spam\"]}"}}],
             "usage": {"prompt_tokens": 120, "completion_tokens": 9}}
            """#
        let response = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(body.utf8))
        #expect(response.content == #"{"labels": ["spam"]}"#)
        #expect(response.usage.promptTokens == 120)
        #expect(response.usage.completionTokens == 9)
        #expect(response.model == "gpt-4o-mini")
    }

    @Test("an OpenAI response with fields Assay does not read decodes")
    func extraFields() throws {
        let body = #"""
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1730000000, "model": "gpt-4o-mini-2024-07-18",
             "system_fingerprint": "fp_1",
             "choices": [{"index": 0, "logprobs": null, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": "{}", "refusal": null, "annotations": []}}],
             "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12,
                       "prompt_tokens_details": {"cached_tokens": 0}}}
            """#
        let response = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(body.utf8))
        #expect(response.content == "{}")
        #expect(response.choices[0].finishReason == "stop")
        #expect(response.usage == .init(promptTokens: 10, completionTokens: 2))
    }

    @Test("a response without usage counts no tokens; null content is nil")
    func missingParts() throws {
        let body = #"{"model": "local", "choices": [{"message": {"role": "assistant", "content": null}}]}"#
        let response = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(body.utf8))
        #expect(response.content == nil)
        #expect(response.usage == .zero)
        let partial = try JSONDecoder().decode(
            ChatCompletionResponse.self, from: Data(#"{"choices": [], "usage": {"prompt_tokens": 5}}"#.utf8))
        #expect(partial.model == nil && partial.content == nil)
        #expect(partial.usage == .init(promptTokens: 5, completionTokens: 0))
        let stub = ChatCompletionResponse(model: "m", choices: [.init(message: .init(content: "ok"))])
        #expect(try JSONDecoder().decode(ChatCompletionResponse.self, from: JSONEncoder().encode(stub)) == stub)
    }
}

// MARK: - Reading answers

@Suite("LLM answers")
struct LLMAnswerTests {
    @Test("the type's doc example: a fenced answer with the label in another case")
    func docExample() throws {
        let reply = "```json\n{\"labels\": [\"Spam\"], \"confidence\": 0.92, \"rationale\": \"An ad.\"}\n```"
        let answer = try LLMAnswer.parse(reply, schema: schema)
        #expect(answer.labels == ["spam"])
        #expect(answer.confidence == 0.92)
        #expect(answer.rationale == "An ad.")
    }

    @Test("parse's doc examples: prose around the JSON, a percentage as text, an unknown label")
    func parseExamples() throws {
        let answer = try LLMAnswer.parse(#"Sure! {"label": "none", "confidence": "85"} Hope that helps."#, schema: schema)
        #expect(answer == LLMAnswer(labels: ["none"], confidence: 0.85, rationale: nil))
        #expect(refusal(#"{"labels": ["spamm"]}"#) == "'spamm' is not a label of this queue (labels: spam, none)")
    }

    @Test("the error's doc example: a reply without JSON")
    func errorExample() {
        do {
            _ = try LLMAnswer.parse("I think it's spam.", schema: schema)
            Issue.record("expected an error")
        } catch let error as LLMOutputError {
            #expect(error.reason == "not JSON: the reply holds no {...} object")
            #expect(error.description == "unusable model answer: not JSON: the reply holds no {...} object")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("plain JSON")
    func plain() throws {
        let answer = try LLMAnswer.parse(#"{"labels": ["spam"], "confidence": 0.7, "rationale": "  Sells followers. "}"#, schema: schema)
        #expect(answer == LLMAnswer(labels: ["spam"], confidence: 0.7, rationale: "Sells followers."))
    }

    @Test("the first object with labels is the answer, even after an object without")
    func firstObject() throws {
        let reply = #"""
            Thinking about {the format}... An example is {"note": "x"}.
            ```json
            {"labels": ["none"], "confidence": 0.6, "rationale": "Says \"hi}\" only."}
            ```
            Or maybe {"labels": ["spam"]}.
            """#
        let answer = try LLMAnswer.parse(reply, schema: schema)
        #expect(answer.labels == ["none"])
        #expect(answer.rationale == #"Says "hi}" only."#)
        #expect(refusal(#"{"note": "x"} and {"other": 1}"#) == "no labels: the answer has no \"labels\" field")
    }

    @Test("labels by name or in another case; a repeat counts once")
    func matching() throws {
        #expect(try LLMAnswer.parse(#"{"labels": ["NO VIOLATION"], "confidence": 1}"#, schema: schema).labels == ["none"])
        #expect(try LLMAnswer.parse(#"{"label": "SPAM"}"#, schema: schema).labels == ["spam"])
        #expect(try LLMAnswer.parse(#"{"labels": "spam"}"#, schema: schema).labels == ["spam"])
        #expect(try LLMAnswer.parse(#"{"labels": ["spam", "Spam"]}"#, schema: schema).labels == ["spam"])
        #expect(try LLMAnswer.parse(#"{"labels": [4]}"#, schema: .rating(1, through: 5)).labels == ["4"])
        let clash = LabelSchema.singleChoice([LabelOption(code: "A"), LabelOption(code: "a"), LabelOption(code: "b")])
        #expect(try LLMAnswer.parse(#"{"label": "a"}"#, schema: clash).labels == ["a"])
        #expect(refusal(#"{"label": "B "}"#, schema: clash) == nil)
        let twins = LabelSchema.singleChoice([LabelOption(code: "Ab"), LabelOption(code: "aB"), LabelOption(code: "c")])
        #expect(refusal(#"{"label": "ab"}"#, schema: twins) == "'ab' could be any of Ab, aB: give the exact code")
    }

    @Test("confidence: a number, a numeric string, a percentage; missing is 0")
    func confidence() throws {
        let cases: [(String, Double)] = [
            (#"{"label": "spam", "confidence": 0.9}"#, 0.9), (#"{"label": "spam", "confidence": "0.9"}"#, 0.9),
            (#"{"label": "spam", "confidence": 90}"#, 0.9), (#"{"label": "spam", "confidence": "90%"}"#, 0.9),
            (#"{"label": "spam", "confidence": 1}"#, 1), (#"{"label": "spam", "confidence": 100}"#, 1),
            (#"{"label": "spam", "confidence": 0}"#, 0), (#"{"label": "spam"}"#, 0),
            (#"{"label": "spam", "confidence": null}"#, 0),
        ]
        for (reply, expected) in cases {
            let answer = try LLMAnswer.parse(reply, schema: schema)
            #expect(abs(answer.confidence - expected) < 1e-12, "\(reply)")
        }
        for reply in [
            #"{"label": "spam", "confidence": 101}"#, #"{"label": "spam", "confidence": -0.1}"#,
            #"{"label": "spam", "confidence": "high"}"#, #"{"label": "spam", "confidence": true}"#,
        ] {
            #expect(refusal(reply)?.hasPrefix("confidence must be a number from 0 to 1") == true, "\(reply)")
        }
        // Between 1 and 10 it could be a percentage, a score out of ten or a share off its scale: asked again.
        for reply in [#"{"label": "spam", "confidence": 1.5}"#, #"{"label": "spam", "confidence": 8}"#] {
            #expect(refusal(reply)?.contains("could be a percentage or a score out of ten") == true, "\(reply)")
        }
        #expect(abs(try LLMAnswer.parse(#"{"label": "spam", "confidence": "8%"}"#, schema: schema).confidence - 0.08) < 1e-12)
        let runaway = try LLMAnswer.parse(#"{"label": "spam", "rationale": "\#(String(repeating: "why ", count: 5_000))"}"#, schema: schema)
        #expect(runaway.rationale?.count == LLMAnswer.longestRationale && runaway.rationale?.hasSuffix("…") == true)
    }

    @Test("never a guess: unknown labels, no labels, the wrong count and non-JSON are refused")
    func refusals() {
        #expect(refusal(#"{"labels": ["foo"], "confidence": 0.99}"#)?.hasPrefix("'foo' is not a label of this queue") == true)
        #expect(refusal(#"{"labels": ["spam", "foo"]}"#)?.hasPrefix("'foo' is not a label") == true)
        #expect(refusal(#"{"labels": ["spam", "none"], "confidence": 0.9}"#) == "this queue takes exactly one label, got 2")
        #expect(refusal(#"{"labels": [], "confidence": 0.9}"#) == "no labels: \"labels\" is empty")
        #expect(refusal(#"{"labels": [" "]}"#) == "no labels: \"labels\" is empty")
        #expect(refusal(#"{"confidence": 0.9}"#) == "no labels: the answer has no \"labels\" field")
        #expect(refusal(#"{"labels": [{"code": "spam"}]}"#)?.hasPrefix("\"labels\" must be a list of label codes") == true)
        for reply in ["", "spam", #"["spam"]"#, #"{"labels": ["spam"]"#, "{labels: [spam]}"] {
            #expect(refusal(reply) == "not JSON: the reply holds no {...} object", "\(reply)")
        }
        let long = String(repeating: "x", count: 500)
        #expect(refusal(#"{"label": "\#(long)"}"#)?.count ?? 0 < 200, "a runaway label is cut short in the message")
    }

    @Test("multi-choice: several labels, in schema order, each matched")
    func multiChoice() throws {
        let answer = try LLMAnswer.parse(#"{"labels": ["violence", "Scam"], "confidence": 0.8}"#, schema: multi)
        #expect(answer.labels == ["scam", "violence"])
        #expect(try LLMAnswer.parse(#"{"labels": ["adult content"]}"#, schema: multi).labels == ["adult"])
        #expect(refusal(#"{"labels": ["scam", "gore"]}"#, schema: multi)?.hasPrefix("'gore' is not a label") == true)
        #expect(refusal(#"{"labels": []}"#, schema: multi) == "no labels: \"labels\" is empty")
    }
}

// MARK: - Retries, rate and cost

@Suite("LLM retries, rate limits and pricing")
struct LLMCallPolicyTests {
    @Test("the doc example of RetryPolicy")
    func retryExample() {
        let policy = RetryPolicy()
        var rng = SplitMix64(seed: 1)
        #expect((0...2).contains(policy.delay(afterAttempt: 3, retryAfter: nil, using: &rng)))
        #expect((12...30).contains(policy.delay(afterAttempt: 1, retryAfter: 12, using: &rng)))
        #expect(policy.allowsRetry(after: .status(429), attempts: 1, invalidOutputs: 0))
        #expect(policy == RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30, invalidOutputRetries: 2))
    }

    @Test("waits stay within the exponential ceiling, capped at maxDelay, and spread over it")
    func bounded() {
        let policy = RetryPolicy(baseDelay: 0.5, maxDelay: 30)
        var rng = SplitMix64(seed: 7)
        for attempt in 1...12 {
            let ceiling = min(30, 0.5 * Double(1 << (attempt - 1)))
            let waits = (0..<200).map { _ in policy.delay(afterAttempt: attempt, retryAfter: nil, using: &rng) }
            #expect(waits.allSatisfy { (0...ceiling).contains($0) }, "attempt \(attempt)")
            #expect(waits.max()! > ceiling * 0.8 && waits.min()! < ceiling * 0.2, "full jitter covers the interval")
        }
        #expect((0...30).contains(policy.delay(afterAttempt: 5_000, retryAfter: nil, using: &rng)))
        #expect((0...0.5).contains(policy.delay(afterAttempt: 0, retryAfter: nil, using: &rng)))
    }

    @Test("Retry-After is honoured, up to maxDelay")
    func retryAfter() {
        let policy = RetryPolicy()
        var rng = SplitMix64(seed: 3)
        for _ in 0..<100 {
            #expect((5...30).contains(policy.delay(afterAttempt: 1, retryAfter: 5, using: &rng)))
            #expect(policy.delay(afterAttempt: 1, retryAfter: 120, using: &rng) == 30)
            #expect((0...0.5).contains(policy.delay(afterAttempt: 1, retryAfter: -1, using: &rng)))
        }
    }

    @Test("Retry-After is read as seconds or as an HTTP date in any of its three forms")
    func retryAfterHeader() {
        let now = Date(timeIntervalSince1970: 784_111_717)  // Sun, 06 Nov 1994 08:48:37 GMT
        #expect(RetryPolicy.seconds(inRetryAfter: " 120 ", now: now) == 120)
        #expect(RetryPolicy.seconds(inRetryAfter: "1.5", now: now) == 1.5)
        #expect(RetryPolicy.seconds(inRetryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 60)
        #expect(RetryPolicy.seconds(inRetryAfter: "Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 60)
        #expect(RetryPolicy.seconds(inRetryAfter: "Sun Nov  6 08:49:37 1994", now: now) == 60)
        #expect(RetryPolicy.seconds(inRetryAfter: "Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        #expect(RetryPolicy.seconds(inRetryAfter: "-3", now: now) == 0)
        #expect(RetryPolicy.seconds(inRetryAfter: "soon", now: now) == nil)
        #expect(RetryPolicy.seconds(inRetryAfter: "", now: now) == nil)
    }

    @Test("the same seed gives the same waits")
    func deterministic() {
        let policy = RetryPolicy()
        func waits(seed: UInt64) -> [Double] {
            var rng = SplitMix64(seed: seed)
            return (1...5).map { policy.delay(afterAttempt: $0, retryAfter: nil, using: &rng) }
        }
        #expect(waits(seed: 11) == waits(seed: 11))
        #expect(waits(seed: 11) != waits(seed: 12))
    }

    @Test("the CallFailure doc example, and which failures are worth another call")
    func retryable() {
        #expect(CallFailure.status(503).isRetryable)
        #expect(!CallFailure.status(401).isRetryable)
        #expect(CallFailure.timeout.description == "the model did not answer in time")
        for code in [408, 429, 500, 502, 503, 504] { #expect(CallFailure.status(code).isRetryable, "\(code)") }
        for code in [400, 401, 403, 404, 409, 422, 501] { #expect(!CallFailure.status(code).isRetryable, "\(code)") }
        #expect(CallFailure.timeout.isRetryable && CallFailure.transport("reset").isRetryable)
        #expect(CallFailure.invalidOutput("not JSON").isRetryable)
        #expect(CallFailure.status(401).description == "the model server answered HTTP 401 (check the API key)")
        #expect(CallFailure.status(418).description == "the model server answered HTTP 418")
        #expect(CallFailure.transport("connection refused").description == "could not reach the model server: connection refused")
    }

    @Test("retries stop at maxAttempts, and unusable replies at invalidOutputRetries")
    func allowsRetry() {
        let policy = RetryPolicy(maxAttempts: 5, invalidOutputRetries: 2)
        #expect(policy.allowsRetry(after: .timeout, attempts: 4, invalidOutputs: 0))
        #expect(!policy.allowsRetry(after: .timeout, attempts: 5, invalidOutputs: 0))
        #expect(!policy.allowsRetry(after: .status(400), attempts: 1, invalidOutputs: 0))
        #expect(policy.allowsRetry(after: .invalidOutput("x"), attempts: 2, invalidOutputs: 2))
        #expect(!policy.allowsRetry(after: .invalidOutput("x"), attempts: 3, invalidOutputs: 3))
    }

    @Test("the token bucket doc example: a burst goes at once, then calls are spaced at the rate")
    func bucketExample() {
        var bucket = TokenBucket(ratePerSecond: 2, burst: 2)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == 0.5)
        #expect(bucket.reserve(now: 0) == 1.0)
        #expect(bucket.reserve(now: 10) == 0)
    }

    @Test("waits count down as time passes, and a bucket refills no further than its burst")
    func bucketRefill() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 1)
        #expect(bucket.reserve(now: 100) == 0)
        #expect(abs(bucket.reserve(now: 100) - 0.1) < 1e-12)
        #expect(abs(bucket.reserve(now: 100.05) - 0.15) < 1e-9)
        #expect(bucket.reserve(now: 200) == 0)
        #expect(abs(bucket.reserve(now: 200) - 0.1) < 1e-12, "a long pause gives back one token, not ten thousand")
        #expect(abs(bucket.reserve(now: 150) - 0.2) < 1e-12, "a clock that goes back counts as the last time")
        #expect(TokenBucket(ratePerSecond: 1, burst: 0).burst == 1)
    }

    @Test("a 429 holds every call back: the next waits out the pause, then the rate goes on; a shorter pause changes nothing")
    func bucketHoldOff() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 1)
        #expect(bucket.reserve(now: 0) == 0)
        bucket.holdOff(seconds: 2, now: 0.05)
        #expect(abs(bucket.reserve(now: 0.05) - 2.1) < 1e-9, "the pause, then its place at the rate")
        #expect(abs(bucket.reserve(now: 0.05) - 2.2) < 1e-9)
        bucket.holdOff(seconds: 0.5, now: 0.05)
        #expect(abs(bucket.reserve(now: 0.05) - 2.3) < 1e-9, "a shorter pause does not shorten the longer one")
        bucket.holdOff(seconds: 0, now: 0.05)
        #expect(abs(bucket.reserve(now: 10) - 0) < 1e-9)
    }

    @Test("a 429 voids the turns already taken: the calls that waited take new ones and resume one at a time after the pause")
    func holdOffVoidsTurns() {
        var bucket = TokenBucket(ratePerSecond: 5, burst: 1)
        // Eight calls take their turns at once (0, 0.2, … 1.4 s); the first meets a 429 asking for 2 s.
        let turns = (0..<8).map { _ in bucket.takeTurn(now: 0) }
        #expect(turns.map(\.delay).enumerated().allSatisfy { abs($1 - Double($0) * 0.2) < 1e-9 })
        bucket.holdOff(seconds: 2, now: 0.01)
        #expect(turns.allSatisfy(bucket.isVoid), "every turn taken before the 429 is void")
        // Each waiting call wakes at its old turn and takes a new one: after the pause, 0.2 s apart.
        var starts: [Double] = []
        for (index, turn) in turns.dropFirst().enumerated() {
            let woke = 0.2 * Double(index + 1)
            #expect(abs(turn.delay - woke) < 1e-9)
            let again = bucket.takeTurn(now: woke)
            #expect(!bucket.isVoid(again))
            starts.append(woke + again.delay)
        }
        #expect(starts.first! >= 2.01 - 1e-9, "nothing goes inside the pause")
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            #expect(abs(later - earlier - 0.2) < 1e-9, "\(earlier) then \(later)")
        }
        bucket.holdOff(seconds: 1, now: 0.5)
        #expect(!bucket.isVoid(bucket.takeTurn(now: 0.5)) && bucket.reserve(now: 0.5) > 2,
                "a pause ending before the one in force voids nothing and shortens nothing")
    }

    @Test("pricing: the doc example, JSON keys and validation")
    func pricing() throws {
        let pricing = ModelPricing(inputPerMillion: 0.15, outputPerMillion: 0.60)
        #expect(abs(pricing.cost(promptTokens: 2_000_000, completionTokens: 500_000) - 0.60) < 1e-12)
        #expect(pricing.cost(promptTokens: 0, completionTokens: 0) == 0)
        #expect(abs(ModelPricing(inputPerMillion: 3, outputPerMillion: 15).cost(promptTokens: 1000, completionTokens: 100) - 0.0045) < 1e-12)
        #expect(try json(pricing) == ["input_per_million": 0.15, "output_per_million": 0.6])
        let decoded = try JSONDecoder().decode(
            ModelPricing.self, from: Data(#"{"input_per_million": 0.15, "output_per_million": 0.6}"#.utf8))
        #expect(decoded == pricing)
        #expect(try pricing.validated() == pricing)
        #expect(invalidInput { try ModelPricing(inputPerMillion: -1, outputPerMillion: 0).validated() }?.field == "input_per_million")
        #expect(invalidInput { try ModelPricing(inputPerMillion: 0, outputPerMillion: .nan).validated() }?.field == "output_per_million")
    }
}
