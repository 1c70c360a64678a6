@testable import AssayCore
import Foundation
import Testing

@Suite("Reading items and judgments from files")
struct ItemRowsTests {
    @Test("the doc example: other fields become content")
    func docExample() throws {
        let row = ImportRow(line: 3, fields: ["external_id": "c-1", "text": "buy followers now", "market": "US"])
        let draft = try ItemRows.draft(from: row)
        #expect(draft.content == ["text": "buy followers now"])
        #expect(draft.market == "US")
    }

    @Test("a slip of a metadata name is refused, not taken for content; a plural is content")
    func misspeltMetadata() throws {
        let slip = #expect(throws: AssayError.self) {
            try ItemRows.draft(from: ImportRow(line: 2, fields: ["external_id": "ty-1", "text": "a", "langauge": "en"]))
        }
        #expect(slip == .invalidInput(field: "langauge", line: 2, reason: "not a column Assay reads; did you mean language?"))
        let plural = try ItemRows.draft(from: ImportRow(line: 2, fields: ["external_id": "p-1", "text": "a", "sources": "web"]))
        #expect(plural.content == ["text": "a", "sources": "web"])
        // Near names that are likely columns of their own stay content.
        let own = try ItemRows.draft(from: ImportRow(line: 2, fields: ["external_id": "p-2", "created_by": "mod-7", "marker": "x"]))
        #expect(own.content == ["created_by": "mod-7", "marker": "x"])
        #expect(throws: AssayError.invalidInput(field: "Market", line: 2, reason: "not a column Assay reads; did you mean market?")) {
            try ItemRows.draft(from: ImportRow(line: 2, fields: ["external_id": "p-3", "text": "a", "Market": "US"]))
        }
    }

    @Test("a data object is the content; metadata is typed and normalised")
    func dataObject() throws {
        let row = ImportRow(line: 2, fields: [
            "id": 42, "data": ["query": "cheap flights", "result": "Lisbon from $89"], "language": "PT-br",
            "priority": "3", "created_at": "2026-11-02T14:05:00Z", "market": "br",
        ])
        let draft = try ItemRows.draft(from: row)
        #expect(draft.externalID == "42")
        #expect(draft.content == ["query": "cheap flights", "result": "Lisbon from $89"])
        #expect(draft.language == "pt-BR")
        #expect(draft.market == "BR")
        #expect(draft.priority == 3)
        #expect(draft.createdAt == Timestamp.parse("2026-11-02T14:05:00Z"))
    }

    @Test("language codes: already normal ones kept, others trimmed and cased, blank ones dropped; null fields left out")
    func languagesAndNulls() throws {
        let languages = [
            "en": "en", "EN": "en", " fr ": "fr", "pt-br": "pt-BR", "PT-BR": "pt-BR", " ": nil, "en_US": "en-US",
            "zh-hans-cn": "zh-Hans-CN", "es-419": "es-419", "fil": "fil",
        ]
        for (given, expected) in languages {
            let draft = try ItemRows.draft(from: ImportRow(line: 2, fields: ["id": "x", "text": "hi", "language": .string(given)]))
            #expect(draft.language == expected, "'\(given)'")
        }
        let nulls = try ItemRows.draft(from: ImportRow(line: 3, fields: ["id": "y", "text": "hi", "media_url": nil]))
        #expect(nulls.content == ["text": "hi"])
        // Fields that are all null still count as content given (the item is kept, with no content fields).
        #expect(try ItemRows.draft(from: ImportRow(line: 4, fields: ["id": "z", "text": nil])).content.isEmpty)
    }

    @Test("bad rows name their line and field")
    func errors() {
        #expect(throws: AssayError.invalidInput(field: "external_id", line: 7, reason: "is required")) {
            try ItemRows.draft(from: ImportRow(line: 7, fields: ["text": "hi"]))
        }
        #expect(throws: AssayError.invalidInput(field: "priority", line: 8, reason: "must be a whole number")) {
            try ItemRows.draft(from: ImportRow(line: 8, fields: ["id": "x", "text": "hi", "priority": 1.5]))
        }
        #expect(throws: AssayError.self) { try ItemRows.draft(from: ImportRow(line: 9, fields: ["id": "x"])) }
        // A JSON Lines line that is not JSON: the column in characters ("é" is two bytes, one column).
        #expect(throws: AssayError.invalidInput(field: nil, line: 4, reason: "not valid JSON: expected a quoted key at column 13")) {
            try ImportRow(jsonLine: Array(#"{"café": 1, x}"#.utf8), line: 4)
        }
        #expect(throws: AssayError.self) {
            try ItemRows.draft(from: ImportRow(line: 10, fields: ["id": "x", "text": "t", "created_at": "yesterday"]))
        }
        // A code no reviewer's languages could match would leave the item waiting for ever.
        for code in ["english", "not a lang!!", "e", "en--US", "en-toolongsubtag"] {
            #expect(throws: AssayError.invalidInput(
                field: "language", line: 11, reason: "'\(code)' is not a language code such as en, pt-BR or zh-Hans-CN")) {
                try ItemRows.draft(from: ImportRow(line: 11, fields: ["id": "x", "text": "t", "language": .string(code)]))
            }
        }
    }

    /// Times outside 1600–9999 are refused with their line, not stored (a Unix time of 1e16 seconds once stopped
    /// the server converting it to milliseconds), and an impossible day is not rolled over into the next.
    @Test("times out of range or impossible are refused with their line")
    func timesOutOfRange() throws {
        for value: JSONValue in [1e300, 1e16, -1e18, 1.8e12, "2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "99999-01-01"] {
            #expect(throws: AssayError.self, "\(value)") {
                try ItemRows.draft(from: ImportRow(line: 12, fields: ["id": "x", "text": "t", "created_at": value]))
            }
        }
        let millis = #expect(throws: AssayError.self) {
            try ItemRows.draft(from: ImportRow(line: 12, fields: ["id": "x", "text": "t", "created_at": 1.8e12]))
        }
        #expect(millis?.description.hasPrefix("line 12: created_at:") == true)
        #expect(millis?.description.contains("milliseconds?") == true, "\(String(describing: millis))")
        let row = ImportRow(line: 13, fields: ["id": "x", "text": "t", "created_at": 1_764_000_000])
        #expect(try ItemRows.draft(from: row).createdAt == Date(timeIntervalSince1970: 1_764_000_000))
        let judgment = ImportRow(line: 14, fields: [
            "item": "x", "annotator": "a", "labels": "spam", "started_at": -1e18, "submitted_at": "2026-11-02T14:05:00Z",
        ])
        #expect(throws: AssayError.self) { try JudgmentRows.judgment(from: judgment) }
    }

    /// A judgments import makes a person of each unknown annotator id: as long as the people API allows, no longer.
    @Test("ids are bounded: annotator ids as the people API's, item ids at 1,000 characters")
    func idLengths() throws {
        let long = String(repeating: "a", count: 201)
        #expect(throws: AssayError.invalidInput(field: "annotator", line: 5, reason: "is 201 characters long; an id may have at most 200")) {
            try JudgmentRows.judgment(from: ImportRow(line: 5, fields: [
                "item": "x", "annotator": .string(long), "labels": "spam", "submitted_at": "2026-11-02T14:05:00Z",
            ]))
        }
        #expect(try ItemRows.externalID(of: ImportRow(line: 6, fields: ["id": .string(long), "text": "t"])) == long)
        #expect(throws: AssayError.self) {
            try ItemRows.externalID(of: ImportRow(line: 7, fields: ["id": .string(String(repeating: "b", count: 1_001)), "text": "t"]))
        }
    }

    @Test("many JSON lines at once (parsed on every core) keep their order, and the first bad line is the one named")
    func manyLines() throws {
        let good = (1...5_000).map { #"{"id": "c-\#($0)", "text": "post \#($0)"}"# }
        var reader = ImportRowReader(format: .jsonl)
        let rows = try reader.feed(Array(good.joined(separator: "\n").utf8)) + reader.finish()
        #expect(rows.map(\.line) == Array(1...5_000))
        #expect(try rows.map { try ItemRows.externalID(of: $0) } == (1...5_000).map { "c-\($0)" })

        var lines = good
        lines[4_499] = "{not json"
        lines[2_999] = "[1, 2]"
        var bad = ImportRowReader(format: .jsonl)
        #expect(throws: AssayError.invalidInput(field: nil, line: 3_000, reason: "each line must be a JSON object")) {
            _ = try bad.feed(Array(lines.joined(separator: "\n").utf8))
        }
    }

    @Test("CSV and JSON Lines read alike, with line numbers that match the file")
    func reader() throws {
        var csv = ImportRowReader(format: .csv, requiredColumns: [["external_id", "id"]])
        let csvRows = try csv.feed(Array("external_id,text\nc-1,\"multi\nline\"\nc-2,plain\n".utf8)) + csv.finish()
        #expect(csvRows.map(\.line) == [2, 4])
        #expect(try csvRows.map(ItemRows.draft(from:)).map(\.content) == [["text": "multi\nline"], ["text": "plain"]])

        var jsonl = ImportRowReader(format: .jsonl)
        let jsonRows = try jsonl.feed(Array("{\"id\": \"a\", \"text\": \"x\"}\n\n{\"id\": \"b\", \"text\": \"y\"}".utf8))
            + jsonl.finish()
        #expect(jsonRows.map(\.line) == [1, 3])

        var missing = ImportRowReader(format: .csv, requiredColumns: [["external_id", "id"]])
        #expect(throws: AssayError.self) { _ = try missing.feed(Array("text\nhello\n".utf8)) + missing.finish() }
        // A repeated column would overwrite the first's values; a nameless one would be content with an empty key.
        var repeated = ImportRowReader(format: .csv)
        #expect(throws: AssayError.invalidInput(
            field: "text", line: 1, reason: "the CSV header names this column twice; each column needs a name of its own")) {
            _ = try repeated.feed(Array("external_id,text,text\nh4,first,second\n".utf8)) + repeated.finish()
        }
        var nameless = ImportRowReader(format: .csv)
        #expect(throws: AssayError.invalidInput(field: nil, line: 3, reason: "column 2 has a value but the header gives it no name")) {
            _ = try nameless.feed(Array("external_id,,text\nh3,,a\nh4,b,c\n".utf8)) + nameless.finish()
        }
        // A spreadsheet's trailing comma: a nameless column left empty is no harm.
        var trailing = ImportRowReader(format: .csv)
        let rows = try trailing.feed(Array("external_id,text,\nh5,hello,\n".utf8)) + trailing.finish()
        #expect(try rows.map(ItemRows.draft(from:)).map(\.content) == [["text": "hello"]])
        var spaced = ImportRowReader(format: .csv)
        #expect(throws: AssayError.self, "names that differ only by spaces are one name twice") {
            _ = try spaced.feed(Array("external_id,text,text \nh6,a,b\n".utf8)) + spaced.finish()
        }
        var notObject = ImportRowReader(format: .jsonl)
        #expect(throws: AssayError.invalidInput(field: nil, line: 2, reason: "each line must be a JSON object")) {
            _ = try notObject.feed(Array("{\"id\": 1}\n[1, 2]\n".utf8)) + notObject.finish()
        }
    }

    @Test("judgment rows accept labels as a list or as text separated by |")
    func judgments() throws {
        let row = ImportRow(line: 2, fields: [
            "item": "c-1", "worker": "w-9", "labels": "scam | adult", "started_at": "2026-11-02T14:05:00Z",
            "submitted_at": "2026-11-02T14:05:30Z",
        ])
        let judgment = try JudgmentRows.judgment(from: row)
        #expect(judgment.labels == ["scam", "adult"])
        #expect(judgment.timeSpentMs == 30_000)
        #expect(throws: AssayError.self) {
            try JudgmentRows.judgment(from: ImportRow(line: 3, fields: ["item": "c", "worker": "w", "label": "a"]))
        }
    }

    @Test("the NUL character is refused in a JSON line, a CSV cell and a JSON body, naming the field (the NULCharacter example)")
    func nulCharacter() throws {
        #expect(NULCharacter.isEscaped(inJSON: Array(#"{"name": "a\u0000b"}"#.utf8)))
        #expect(!NULCharacter.isEscaped(inJSON: Array(#"{"name": "a\\u0000b"}"#.utf8)), "an escaped backslash, then text")
        #expect(NULCharacter.isEscaped(inJSON: Array(#"{"name": "a\\\u0000b"}"#.utf8)), "a backslash, then the escape")
        #expect(NULCharacter.isEscaped(inJSON: Array(#"{"name": "a\u00001"}"#.utf8)), "NUL, then the digit 1")
        #expect(!NULCharacter.isEscaped(inJSON: Array(#"{"x": "\u0001 \u000"}"#.utf8)))
        #expect(throws: AssayError.invalidInput(field: "text", line: 4, reason: NULCharacter.refusal)) {
            try ImportRow(jsonLine: Array(#"{"external_id": "c-1", "text": "a\u0000b"}"#.utf8), line: 4)
        }
        #expect(throws: AssayError.invalidInput(field: "data", line: 2, reason: NULCharacter.refusal)) {
            try ImportRow(jsonLine: Array(#"{"external_id": "c-1", "data": {"text": ["\u0000"]}}"#.utf8), line: 2)
        }
        let record = CSVRecord(line: 3, fields: ["c-1", "a\u{0}b"])
        #expect(throws: AssayError.invalidInput(field: "text", line: 3, reason: NULCharacter.refusal)) {
            try ImportRow(csv: record, header: ["external_id", "text"])
        }
    }

    @Test("a misspelt column of a judgment, gold or prediction row is refused with the name meant; a tool's own columns are not")
    func misspelledColumns() throws {
        func judgment(_ extra: [String: JSONValue]) throws -> ImportedJudgment {
            var fields: [String: JSONValue] = ["item": "c-1", "worker": "w-1", "label": "spam", "submitted_at": "2026-12-01T10:00:00Z"]
            fields.merge(extra) { $1 }
            return try JudgmentRows.judgment(from: ImportRow(line: 2, fields: fields))
        }
        for (column, meant) in [("rationnale", "rationale"), ("anotator", "annotator"), ("Rationale", "rationale"), ("lables", "labels"), ("statred_at", "started_at")] {
            #expect(throws: AssayError.invalidInput(field: column, line: 2, reason: "not a column Assay reads; did you mean \(meant)?")) {
                try judgment([column: "x"])
            }
        }
        // A misspelt submitted_at, with no submitted_at beside it; beside one, a column of the tool's own.
        #expect(throws: AssayError.invalidInput(field: "submited_at", line: 2, reason: "not a column Assay reads; did you mean submitted_at?")) {
            try JudgmentRows.judgment(from: ImportRow(line: 2, fields: ["item": "c-1", "worker": "w-1", "label": "spam", "submited_at": "2026-12-01T10:00:00Z"]))
        }
        #expect(try judgment(["submited_at": "x", "workers": "3"]).labels == ["spam"], "beside submitted_at and worker")
        // A tool's own columns are not slips of Assay's: they are left unread, as before.
        #expect(try judgment([
            "project": "p-9", "lead_time": 12, "task": "t", "labeler": "w-1", "level": "2", "annotation": "x", "items": "3", "label2": "ok",
        ]).labels == ["spam"])
        #expect(throws: AssayError.self, "time spent without a start is not silently dropped") { try judgment(["time_spent_ms": 1200]) }
        #expect(try judgment(["time_spent_ms": 1200, "started_at": "2026-12-01T09:59:00Z"]).startedAt != nil)
        #expect(throws: AssayError.invalidInput(field: "rationnale", line: 3, reason: "not a column Assay reads; did you mean rationale?")) {
            try GoldRows.gold(from: ImportRow(line: 3, fields: ["external_id": "c-1", "label": "spam", "rationnale": "why"]))
        }
        #expect(throws: AssayError.invalidInput(field: "confidance", line: 4, reason: "not a column Assay reads; did you mean confidence?")) {
            try PredictionRows.prediction(from: ImportRow(line: 4, fields: ["item": "c-1", "label": "spam", "confidance": 0.9]))
        }
        #expect(ImportRow.editDistance(Array("ca"), Array("abc"), atMost: 5) == 3)
        #expect(ImportRow.editDistance(Array("abcd"), Array("abdc"), atMost: 5) == 1, "a swap is one edit")
        #expect(ImportRow.editDistance(Array(""), Array("abc"), atMost: 5) == 3)
    }
}
