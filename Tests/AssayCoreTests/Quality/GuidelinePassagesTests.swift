import AssayCore
import Foundation
import Testing

@Suite("Guideline passages from headings")
struct GuidelinePassagesTests {
    let labels = [
        LabelOption(code: "hate", name: "Hate speech"), LabelOption(code: "spam", name: "Spam or scam"),
        LabelOption(code: "none", name: "No violation"),
    ]

    @Test("a heading naming a label by code or name starts its passage, which runs to the next heading of its level")
    func headings() {
        let markdown = """
            # Comment policy
            Read all of it.

            ## Hate speech
            Attacks on people for who they are.

            ### Examples
            Slurs, dehumanising comparisons.
            ```
            # not a heading inside a code block
            ```
            ## `spam`:
            Unsolicited ads and scams.
            ## Appeals
            Not a label.
            """
        let passages = GuidelinePassages.fromHeadings(of: markdown, labels: labels)
        #expect(passages.keys.sorted() == ["hate", "spam"])
        #expect(passages["hate"] == """
            Attacks on people for who they are.

            ### Examples
            Slurs, dehumanising comparisons.
            ```
            # not a heading inside a code block
            ```
            """)
        #expect(passages["spam"] == "Unsolicited ads and scams.")
    }

    @Test("CRLF line ends, an empty section and a document without label headings")
    func edges() {
        #expect(GuidelinePassages.fromHeadings(of: "## NONE\r\nNothing wrong.\r\n## Hate speech\r\n", labels: labels)
            == ["none": "Nothing wrong."])
        #expect(GuidelinePassages.fromHeadings(of: "Label carefully.\n#hate is a hashtag, not a heading", labels: labels).isEmpty)
    }

    @Test("a draft without passages takes them from its headings; given passages are kept as sent")
    func draft() throws {
        let schema = LabelSchema.singleChoice(labels)
        let derived = try GuidelineDraft(markdown: "# Policy\n## spam\nAds.").validated(for: schema)
        #expect(derived.passages == ["spam": "Ads."])
        let given = try GuidelineDraft(markdown: "# Policy\n## spam\nAds.", passages: ["hate": "Attacks."]).validated(for: schema)
        #expect(given.passages == ["hate": "Attacks."])
    }

    @Test("the rules for every label are the text before the first section, without the title")
    func generalRules() {
        func rules(_ markdown: String) -> String? {
            Guideline(queueID: UUID(), version: 1, markdown: markdown, passages: [:], effectiveAt: Date(), createdBy: nil, createdAt: Date())
                .generalRules(for: labels)
        }
        #expect(rules("# Ads policy\n\nWhen two labels fit, choose the more severe.\n\n## Scam\nFake offers.") == "When two labels fit, choose the more severe.")
        #expect(rules("# Policy\r\nJudge the act.\r\nNot the words.\r\n## spam\r\nAds.") == "Judge the act.\nNot the words.")
        #expect(rules("# Policy\n## spam\nAds.") == nil)
        #expect(rules("Label carefully.") == "Label carefully.")
        // Passages under any heading level, or a second title, end the rules: no label's passage is ever among them.
        #expect(rules("# Spam\nAds.\n# Hate speech\nAttacks.") == nil, "a first heading that names a label is its section")
        #expect(rules("# Policy\nBe kind.\n### spam\nAds.") == "Be kind.")
        #expect(rules("Be kind.\n# Policy\nAds.") == "Be kind.", "a title after text is a section")
        #expect(rules("# Policy\n```\n# not a heading\n```\n## spam\nAds.") == "```\n# not a heading\n```")
    }
}
