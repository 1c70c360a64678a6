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
        // Fields that are all null, or blank, are no content: people would be handed an empty item.
        #expect(throws: AssayError.invalidInput(field: "data", line: 4, reason: "the item has no content (give `text` or other content fields)")) {
            try ItemRows.draft(from: ImportRow(line: 4, fields: ["id": "z", "text": nil]))
        }
        #expect(throws: AssayError.self) { try ItemRows.draft(from: ImportRow(line: 4, fields: ["id": "z", "text": " \n"])) }
        #expect(try ItemRows.draft(from: ImportRow(line: 4, fields: ["id": "z", "text": "", "media_url": "https://x/1.jpg"])).content.count == 2)
    }

    @Test("bad rows name their line and field")
    func errors() {
        #expect(throws: AssayError.invalidInput(field: "external_id", line: 7, reason: "is required")) {
            try ItemRows.draft(from: ImportRow(line: 7, fields: ["text": "hi"]))
        }
        #expect(throws: AssayError.invalidInput(field: "priority", line: 8, reason: "must be a whole number from -2147483648 to 2147483647")) {
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
            "project": "p-9", "task": "t", "labeler": "w-1", "level": "2", "annotation": "x", "items": "3", "label2": "ok",
        ]).labels == ["spam"])
        #expect(throws: AssayError.self, "time spent without a start is not silently dropped") { try judgment(["time_spent_ms": 1200]) }
        #expect(try judgment(["time_spent_ms": 1200, "started_at": "2026-12-01T09:59:00Z"]).startedAt != nil)
        // Another tool's name for the start, or for the time taken, would lose every judgment's time spent.
        #expect(throws: AssayError.invalidInput(field: "start_time", line: 2, reason: "not a column Assay reads; did you mean started_at?")) {
            try judgment(["start_time": "2026-12-01T09:59:00Z"])
        }
        #expect(throws: AssayError.invalidInput(
            field: "lead_time", line: 2, reason: "is not read: the time spent is submitted_at − started_at; give started_at instead")
        ) { try judgment(["lead_time": 12.5]) }
        #expect(try judgment(["lead_time": 12.5, "start_time": "x", "started_at": "2026-12-01T09:59:00Z"]).startedAt != nil,
                "beside started_at they are the tool's own")
        // Without submitted_at, a column that may be it is named.
        #expect(throws: AssayError.invalidInput(
            field: "submitted_at", line: 2, reason: "is required; if end_time is when the judgment was submitted, name the column submitted_at")
        ) { try JudgmentRows.judgment(from: ImportRow(line: 2, fields: ["item": "c-1", "worker": "w-1", "label": "spam", "end_time": "x"])) }
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

    @Test("a careless item file is refused with what to change: judgments, answers, slips beside data, blank content")
    func carelessItemFiles() throws {
        func item(_ fields: [String: JSONValue]) throws -> ItemDraft { try ItemRows.draft(from: ImportRow(line: 2, fields: fields)) }
        // A judgments file without --judgments would make an item of every judgment.
        #expect(throws: AssayError.invalidInput(
            field: "annotator_external_id", line: 2,
            reason: "is a column of judgments, not items: import a judgments file with --judgments (POST …/judgments)")
        ) { try item(["id": "9001", "item_external_id": "s-1", "annotator_external_id": "w-1", "labels": "spam"]) }
        // An answer stored as content would be shown to the people asked for it.
        for (fields, field) in [(["id": "x", "text": "win", "gold_label": "spam"], "gold_label"),
                                (["id": "x", "text": "win", "Gold Label": "spam"], "Gold Label"),
                                (["id": "x", "data": ["text": "win", "label": "spam"]], "data.label")] as [([String: JSONValue], String)] {
            #expect(throws: AssayError.self) { try item(fields) }
            do { _ = try item(fields) } catch let AssayError.invalidInput(named, _, reason) {
                #expect(named == field && reason.hasPrefix("would show the answer"), "\(reason)")
            }
        }
        // Beside a `data` object, metadata slips are refused as in a flat row, and a task's data may carry the
        // language and market.
        #expect(throws: AssayError.invalidInput(field: "langauge", line: 2, reason: "not a column Assay reads; did you mean language?")) {
            try item(["id": "x", "data": ["text": "Olá"], "langauge": "pt-BR"])
        }
        #expect(throws: AssayError.invalidInput(field: "Market", line: 2, reason: "not a column Assay reads; did you mean market?")) {
            try item(["id": "x", "data": ["text": "Olá"], "Market": "BR"])
        }
        let task = try item(["id": 900, "data": ["text": "Olá", "language": "pt-BR", "market": "br"], "annotations": []])
        #expect(task.language == "pt-BR" && task.market == "BR")
        // Answers under other spellings; blank lists are no content; invisible characters in ids; kept ids checked too.
        for name in ["goldLabel", "groundTruth", " Labels", "label "] {
            #expect(throws: AssayError.self, "\(name)") { try item(["id": "x", "text": "win", .init(name): "spam"]) }
        }
        #expect(throws: AssayError.self) { try item(["id": "x", "media_urls": []]) }
        #expect(throws: AssayError.self, "a zero-width space") { try item(["id": "a\u{200B}b", "text": "hi"]) }
        #expect(throws: AssayError.self) { try item(["data": ["text": "hi"], "meta": ["external_id": "c\u{7}1"], "annotations": []]) }
        #expect(try item(["id": 902, "data": ["text": "Hola", "market": "LATAM"], "annotations": []]).market == nil,
                "a team's market name beside a task's text is content")
        let prose = try item(["id": 901, "data": ["text": "Hola", "language": "Spanish", "market": "EMEA"]])
        #expect(prose.language == nil && prose.market == nil && prose.content["language"] == "Spanish", "not codes: content only")
        #expect(try item(["id": "q", "question": "Capital of France?", "answer": "Paris"]).content["answer"] == "Paris")
        // An empty source is no source.
        #expect(try item(["id": "x", "text": "hi", "source": "  "]).source == nil)
        // Times: a zone is needed, ISO 8601 has a T, Unix seconds may come as text (nine digits or more).
        #expect(throws: AssayError.invalidInput(
            field: "created_at", line: 2,
            reason: "'2026-11-01T10:00:00' has no time zone; add Z for UTC or an offset such as +02:00 (such as 2026-11-02T14:05:00Z)")
        ) { try item(["id": "x", "text": "hi", "created_at": "2026-11-01T10:00:00"]) }
        #expect(throws: AssayError.invalidInput(
            field: "created_at", line: 2,
            reason: "'2026-11-01 10:00:00Z' has a space between the date and the time; ISO 8601 puts a T there (such as 2026-11-02T14:05:00Z)")
        ) { try item(["id": "x", "text": "hi", "created_at": "2026-11-01 10:00:00Z"]) }
        #expect(try item(["id": "x", "text": "hi", "created_at": "1762000000"]).createdAt == Date(timeIntervalSince1970: 1_762_000_000))
        #expect(throws: AssayError.self, "a date without dashes is not a moment in 1970") {
            try item(["id": "x", "text": "hi", "created_at": "20261102"])
        }
        // Priority: one range, text or number.
        #expect(throws: AssayError.self) { try item(["id": "x", "text": "hi", "priority": "3000000000"]) }
        #expect(try item(["id": "x", "text": "hi", "priority": "-7"]).priority == -7)
        // An id too long is refused once, with the limit.
        #expect(throws: AssayError.invalidInput(field: "external_id", line: 2, reason: "is 301 characters long; an id may have at most 300")) {
            try item(["external_id": .string(String(repeating: "a", count: 301)), "text": "hi"])
        }
        // An item created after now is a zone mistake; within five minutes, a clock's drift.
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let queue = try QueueDraft(name: "q", schema: LabelSchema(kind: .singleChoice, labels: [LabelOption(code: "spam"), LabelOption(code: "none")]))
            .makeQueue(id: UUID(), now: now)
        var check = ItemRowCheck(queue: queue, now: now)
        #expect(throws: AssayError.invalidInput(
            field: "created_at", line: 2, reason: "2027-01-15T10:00:00Z is in the future (check the time's zone: Z is UTC)")
        ) { try check.draft(from: ImportRow(line: 2, fields: ["id": "a", "text": "hi", "created_at": 1_800_007_200])) }
        #expect(try check.draft(from: ImportRow(line: 3, fields: ["id": "b", "text": "hi", "created_at": 1_800_000_200])).createdAt != nil)
    }

    @Test("judgments made elsewhere keep the limits of a submit, and a row names each field once")
    func judgmentLimits() throws {
        func judgment(_ extra: [String: JSONValue]) throws -> [ImportedJudgment] {
            var fields: [String: JSONValue] = ["item": "c-1", "worker": "w-1", "label": "spam", "submitted_at": "2026-12-01T10:00:00Z"]
            fields.merge(extra) { $1 }
            return try JudgmentRows.judgments(from: ImportRow(line: 2, fields: fields))
        }
        // More than a day between start and submission is no measure of work: the judgment stays, its time does not.
        #expect(try judgment(["started_at": "1970-01-01T00:00:00Z"]).first?.startedAt == nil)
        #expect(try judgment(["started_at": "2026-11-30T09:59:59Z"]).first?.timeSpentMs == 0)
        #expect(try judgment(["started_at": "2026-11-30T10:00:01Z"]).first?.timeSpentMs == 86_399_000)
        #expect(throws: AssayError.invalidInput(field: "rationale", line: 2, reason: "is 20001 characters long; a rationale may have at most 20000")) {
            try judgment(["rationale": .string(String(repeating: "r", count: 20_001))])
        }
        #expect(throws: AssayError.invalidInput(field: "worker", line: 2, reason: "'w-2' differs from annotator 'w-1'; give the id once, under one name")) {
            try judgment(["annotator": "w-1", "worker": "w-2"])
        }
        #expect(try judgment(["annotator": "w-1", "worker": "w-1"]).first?.annotatorExternalID == "w-1", "the same id twice is one id")
        #expect(try judgment(["labels": [" spam "]]).first?.labels == ["spam"], "labels in a list are trimmed as CSV's are")
        #expect(throws: AssayError.self, "an id with a right-to-left override") { try judgment(["worker": "w-\u{202E}1"]) }
        // Label Studio's lead_time: at most a day too.
        let task = ImportRow(line: 3, fields: [
            "id": 4, "data": ["text": "x"],
            "annotations": [["id": 7, "completed_by": 1, "created_at": "2026-11-02T10:00:00Z", "lead_time": 1_000_000_000,
                             "result": [["type": "choices", "value": ["choices": ["spam"]]]]]],
        ])
        #expect(try JudgmentRows.judgments(from: task).first?.startedAt == nil)
    }

    @Test("a CSV header's names are trimmed; a row of empty cells is a blank line; a UTF-16 file is named as such")
    func headersAndEncodings() throws {
        var csv = ImportRowReader(format: .csv, requiredColumns: [["external_id", "id"]])
        let rows = try csv.feed(Array("external_id, text ,language, market\nh-1,hello,en,GB\n,,,\n".utf8)) + csv.finish()
        #expect(rows.count == 1)
        let draft = try ItemRows.draft(from: rows[0])
        #expect(draft.market == "GB" && draft.content == ["text": "hello"])
        var utf16 = ImportRowReader(format: .csv)
        #expect(throws: AssayError.invalidInput(
            field: nil, line: 1, reason: "the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8")
        ) { _ = try utf16.feed([0xFF, 0xFE, 0x65, 0x00]) }
    }

    @Test("a preference item gives each response once, as text, and no two alike")
    func preferenceResponses() throws {
        let schema = LabelSchema(kind: .preference, labels: [LabelOption(code: "A"), LabelOption(code: "B")])
        func check(_ content: [String: JSONValue]) throws { try ItemDraft(externalID: "p", content: content).checkJudgeable(on: schema) }
        try check(["prompt": "Q", "responses": ["a", "b"]])
        #expect(throws: AssayError.invalidInput(
            field: "responses", line: nil, reason: "the responses for 'A' and 'B' are the same text; people could not prefer one")
        ) { try check(["prompt": "Q", "responses": ["same", "same"]]) }
        #expect(throws: AssayError.invalidInput(
            field: "response_a", line: nil, reason: "the responses are also given as `responses`; give them one way only")
        ) { try check(["prompt": "Q", "responses": ["a", "b"], "response_a": "other"]) }
        #expect(throws: AssayError.self, "a blank response is no response") { try check(["prompt": "Q", "responses": [" ", "b"]]) }
        #expect(throws: AssayError.self, "nor a blank prompt") { try check(["prompt": "  ", "responses": ["a", "b"]]) }
        #expect(throws: AssayError.self, "an empty response is none") { try check(["prompt": "Q", "responses": ["", "b"]]) }
        #expect(throws: AssayError.self, "alike but for spaces") { try check(["prompt": "Q", "responses": ["same", " same "]]) }
    }
}
