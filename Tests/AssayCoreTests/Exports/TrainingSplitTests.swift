import AssayCore
import Foundation
import Testing

@Suite("Training data: de-duplication, stratified splits, preference pairs")
struct TrainingSplitTests {
    static func example(_ id: String, _ text: String, _ label: String) -> TrainingSplit.Example {
        TrainingSplit.Example(
            externalID: id, text: text, labels: [label], provenance: "majority", confidence: 1, judgmentCount: 3,
            decidedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("copies of a text are kept once, differently labelled copies are dropped, and splits keep each label's shares")
    func splits() throws {
        var examples: [TrainingSplit.Example] = []
        for index in 0..<1_000 { examples.append(Self.example("s\(index)", "spam number \(index)", "spam")) }
        for index in 0..<200 { examples.append(Self.example("h\(index)", "hate number \(index)", "hate")) }
        examples.append(Self.example("dup-1", "Spam  NUMBER 5", "spam"))          // a copy of s5, same label
        examples.append(Self.example("clash-1", "shared text", "spam"))
        examples.append(Self.example("clash-2", "SHARED text ", "hate"))          // same text, another label: a tie
        examples.append(Self.example("slip", "Hate  number 7", "spam"))           // outvoted by h7's hate
        examples.append(Self.example("h7-again", "hate number 7", "hate"))
        let result = TrainingSplit(shares: try .init(parsing: "80/10/10"), seed: 3).split(examples)
        #expect(result.duplicatesDropped == 2 && result.outvotedDropped == 1 && result.conflictsDropped == 2)
        #expect(result.rows.count == 1_200)
        #expect(!result.rows.contains { ["dup-1", "slip", "h7-again"].contains($0.example.externalID) || $0.example.externalID.hasPrefix("clash") })
        #expect(result.rows.contains { $0.example.externalID == "h7" && $0.example.labels == ["hate"] }, "the majority's first copy stays")
        for (label, total) in [("spam", 1_000), ("hate", 200)] {
            let rows = result.rows.filter { $0.example.labels == [label] }
            let counts = Dictionary(grouping: rows, by: \.part).mapValues(\.count)
            #expect(counts[.test] == total / 10 && counts[.validation] == total / 10 && counts[.train] == total * 8 / 10, "\(label): \(counts)")
        }
        // The same data and seed give the same split; another seed another one.
        #expect(TrainingSplit(shares: try .init(parsing: "80/10/10"), seed: 3).split(examples) == result)
        let other = TrainingSplit(shares: try .init(parsing: "80/10/10"), seed: 4).split(examples)
        #expect(other.rows.map(\.part) != result.rows.map(\.part))
        // A tiny label still trains: its one text goes to train.
        let tiny = TrainingSplit(shares: try .init(parsing: "0.5/0.25/0.25")).split([Self.example("x", "only one", "rare")])
        #expect(tiny.rows.map(\.part) == [.train])
    }

    @Test("shares are read as percentages or fractions and must add up")
    func shares() throws {
        #expect(try TrainingSplit.Shares(parsing: "70/15/15") == TrainingSplit.Shares(train: 0.7, validation: 0.15, test: 0.15))
        for bad in ["80/10", "80/10/20", "0/50/50", "a/b/c", "90/-5/15"] {
            #expect(throws: AssayError.self, "\(bad)") { try TrainingSplit.Shares(parsing: bad) }
        }
        #expect(TrainingSplit.normalized("  Ｂｕｙ\tNOW  ") == "buy now")
        #expect(TrainingSplit.hash("buy now") == TrainingSplit.hash(TrainingSplit.normalized("BUY   now")))
        // As the classifier reads them: case folded, web addresses and handles one word each.
        #expect(TrainingSplit.normalized("STRASSE") == TrainingSplit.normalized("Straße"))
        #expect(TrainingSplit.normalized("RT @kim_1: click https://a.example/x now")
                == TrainingSplit.normalized("rt @Lee: click www.b.example now"))
        #expect(TrainingSplit.normalized("email me @ noon") == "email me @ noon", "a lone @ is no handle")
        #expect(TrainingSplit.key(of: "@kim you look 14") == TrainingSplit.key(of: "@user95563 you look 14"))
    }

    @Test("preference pairs: the doc example, responses as fields, and items missing a response are refused")
    func preferencePairs() throws {
        let schema = LabelSchema(kind: .preference, labels: [LabelOption(code: "A"), LabelOption(code: "B"), LabelOption(code: "C")])
        let listed: [String: JSONValue] = ["prompt": "Capital of France?", "responses": ["Paris.", "Lyon.", "Nice."]]
        let pairs = try PreferencePair.pairs(content: listed, chosen: "A", schema: schema, externalID: "p-1", agreement: 1)
        #expect(pairs.map(\.chosen) == ["Paris.", "Paris."] && pairs.map(\.rejected) == ["Lyon.", "Nice."])
        let fields: [String: JSONValue] = ["prompt": "Hi", "response_a": "Hello!", "response_b": "Go away.", "response_c": "Hey."]
        let second = try PreferencePair.pairs(content: fields, chosen: "C", schema: schema, externalID: "p-2", agreement: 0.67)
        #expect(second.map(\.rejected) == ["Hello!", "Go away."] && second.allSatisfy { $0.chosen == "Hey." })
        #expect(throws: AssayError.self) { try PreferencePair.responses(in: ["prompt": "Hi", "responses": ["only one"]], schema: schema) }
        #expect(throws: AssayError.self) { try PreferencePair.responses(in: ["responses": ["a", "b", "c"]], schema: schema) }
        // A fourth response on a three-way queue is refused, not dropped: it could never be chosen or exported.
        #expect(throws: AssayError.invalidInput(
            field: "responses", line: nil, reason: "has 4 entries; this queue compares 3 (A, B, C), one response each, in that order")
        ) { try ItemDraft(externalID: "p", content: ["prompt": "Hi", "responses": ["a", "b", "c", "d"]]).checkJudgeable(on: schema) }
        // Read from an item stored before, the fourth is passed over: exports still read what they took.
        #expect(try PreferencePair.responses(in: ["prompt": "Hi", "responses": ["a", "b", "c", "d"]], schema: schema).responses.count == 3)
        #expect(try schema.canonicalLabels(["B"]) == ["B"])
        #expect(throws: AssayError.self) { try schema.canonicalLabels(["A", "B"]) }
        #expect(ConsensusRule.majority.resolve([["B"], ["B"], ["A"]], kind: .preference).labels == ["B"])
    }
}
