import AssayTesting
import Foundation
import Testing

/// `assay train` and `assay predict` on files, as a user runs them, through the built executable.
@Suite struct LearningCommandTests {
    /// Seeded posts with cue words per label, as `id,text,label` CSV rows.
    static func posts(count: Int, seed: UInt64, startID: Int = 0) -> [(id: String, text: String, label: String)] {
        let cues = ["hate": ["vermin", "subhuman", "filth"], "spam": ["cheap", "pills", "click"],
                    "none": ["lunch", "weather", "movie"]]
        let filler = ["the", "a", "so", "today", "really", "you", "we", "at", "all"]
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { index in
            let label = ["hate", "spam", "none", "none"][next(4)]
            var words = (0..<(3 + next(4))).map { _ in filler[next(filler.count)] }
            words.insert(cues[label]![next(3)], at: next(words.count + 1))
            return ("p\(startID + index)", words.joined(separator: " "), label)
        }
    }

    static func csv(_ rows: [(id: String, text: String, label: String)]) -> String {
        "id,text,label\n" + rows.map { "\($0.id),\"\($0.text)\",\($0.label)\n" }.joined()
    }

    @Test func trainsPredictsAndScoresFiles() throws {
        let sandbox = try Scratch()
        defer { sandbox.remove() }
        let trainPath = try sandbox.write("train.csv", Self.csv(Self.posts(count: 800, seed: 1)))
        let test = Self.posts(count: 200, seed: 2, startID: 10_000)
        let testPath = try sandbox.write("test.csv", Self.csv(test))

        let train = try sandbox.assay(["train", trainPath, "--out", "posts.model", "--test", testPath, "--json"])
        #expect(train.status == 0, "\(train.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        #expect(summary["examples"] as? Int == 800)
        #expect((summary["model_version"] as? String)?.hasPrefix("tc1-") == true)
        let held = try #require(summary["held_out"] as? [String: Any])
        #expect(held["examples"] as? Int == 80)
        let scored = try #require(summary["test"] as? [String: Any])
        #expect((scored["macro_f1"] as? Double ?? 0) > 0.95)
        #expect(FileManager.default.fileExists(atPath: sandbox.path("posts.model")))
        // --no-refit keeps the twin the calibration was fitted for: the same held-out figures, another model.
        let twin = try sandbox.assay(["train", trainPath, "--out", "twin.model", "--no-refit", "--json"])
        #expect(twin.status == 0, "\(twin.stderr)")
        let twinSummary = try #require(try JSONSerialization.jsonObject(with: Data(twin.stdout.utf8)) as? [String: Any])
        #expect(twinSummary["model_version"] as? String != summary["model_version"] as? String)
        #expect((twinSummary["held_out"] as? [String: Any])?["macro_f1"] as? Double == held["macro_f1"] as? Double)

        let predict = try sandbox.assay(["predict", "--model", "posts.model", testPath, "--out", "predictions.csv"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = try sandbox.read("predictions.csv").split(separator: "\n")
        #expect(lines.first == "id,label,confidence")
        #expect(lines.count == 201)
        let right = zip(lines.dropFirst(), test).filter { line, post in
            let fields = line.split(separator: ",")
            return fields[0] == post.id && fields[1] == post.label && (Double(fields[2]) ?? -1) > 0
        }
        #expect(right.count > 190)

        // The predictions file is what `assay metrics` scores.
        let metrics = try sandbox.assay(
            ["metrics", "--truth", testPath, "--pred", "predictions.csv", "--item-column", "id", "--json"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        #expect(metrics.stdout.contains("\"macro_f1\""))

        let probabilities = try sandbox.assay(["predict", "--model", "posts.model", testPath, "--probabilities"])
        #expect(probabilities.stdout.hasPrefix("id,label,confidence,p_hate,p_none,p_spam\n"))
    }

    @Test("train's per-label table keeps long label names whole")
    func longLabelNames() throws {
        let sandbox = try Scratch()
        defer { sandbox.remove() }
        let long = ["hate": "hate_speech_and_slurs", "spam": "monetisation_abuse", "none": "none"]
        func renamed(_ rows: [(id: String, text: String, label: String)]) -> [(id: String, text: String, label: String)] {
            rows.map { ($0.id, $0.text, long[$0.label]!) }
        }
        let trainPath = try sandbox.write("train.csv", Self.csv(renamed(Self.posts(count: 300, seed: 6))))
        let testPath = try sandbox.write("test.csv", Self.csv(renamed(Self.posts(count: 60, seed: 7, startID: 5_000))))
        // A bad test file stops the command before any model is written.
        let badTest = try sandbox.write("bad-test.csv", "id,text,label\n1,\"unclosed,spam\n")
        let refused = try sandbox.assay(["train", trainPath, "--out", "m.bin", "--test", badTest])
        #expect(refused.status != 0 && refused.stderr.contains("bad-test.csv:2:"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.folder.appendingPathComponent("m.bin").path), "no model written")
        let train = try sandbox.assay(["train", trainPath, "--out", "m.bin", "--test", testPath])
        #expect(train.status == 0, "\(train.stderr)")
        let rows = train.stdout.split(separator: "\n").filter { $0.hasPrefix("hate_speech") || $0.hasPrefix("monetisation") }
        #expect(rows.contains { $0.hasPrefix("hate_speech_and_slurs ") } && rows.contains { $0.hasPrefix("monetisation_abuse ") },
                "\(train.stdout)")
        // The figures start under "precision" on every row.
        let header = try #require(train.stdout.split(separator: "\n").first { $0.hasPrefix("label ") })
        let column = header.distance(from: header.startIndex, to: try #require(header.range(of: "precision")).lowerBound)
        for row in rows {
            let firstDigit = row.firstIndex { $0.isNumber }
            let figures = try #require(firstDigit)
            #expect(row.distance(from: row.startIndex, to: figures) == column, "\(train.stdout)")
        }
    }

    @Test func readsJSONLinesWithNumericLabels() throws {
        let sandbox = try Scratch()
        defer { sandbox.remove() }
        let code = ["hate": 0, "spam": 1, "none": 2]
        let lines = Self.posts(count: 400, seed: 3).map { post in
            "{\"tweet\": \"\(post.text)\", \"class\": \(code[post.label]!), \"row\": \"\(post.id)\"}\n"
        }.joined()
        let path = try sandbox.write("posts.jsonl", lines)
        let train = try sandbox.assay(
            ["train", path, "--text-column", "tweet", "--label-column", "class", "--out", "m.bin", "--calibration-share", "0"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("Labels: 0 ("))
        let predict = try sandbox.assay(
            ["predict", "--model", "m.bin", path, "--text-column", "tweet", "--id-column", "row"])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(predict.stdout.split(separator: "\n").count == 401)
        #expect(predict.stdout.hasPrefix("row,label,confidence\n"), "the id keeps its column's name")
    }

    @Test("the files `assay export --training` writes train and are predicted as they are: labels as a list of one, external_id")
    func readsAssaysOwnTrainingExport() throws {
        let sandbox = try Scratch()
        defer { sandbox.remove() }
        let lines = Self.posts(count: 300, seed: 4).map { post in
            "{\"external_id\": \"\(post.id)\", \"text\": \"\(post.text)\", \"labels\": [\"\(post.label)\"], \"split\": \"train\"}\n"
        }.joined()
        let path = try sandbox.write("train.jsonl", lines)
        let train = try sandbox.assay(["train", path, "--label-column", "labels", "--out", "m.bin"])
        #expect(train.status == 0, "\(train.stderr)")
        let predict = try sandbox.assay(["predict", "--model", "m.bin", path, "--id-column", "external_id"])
        #expect(predict.status == 0 && predict.stdout.hasPrefix("external_id,label,confidence\n"), "\(predict.stderr)")
        // The CSV split, predicted and scored: external_id joins the files, `labels` holds the truth.
        let test = Self.posts(count: 60, seed: 5, startID: 9_000)
        let testPath = try sandbox.write(
            "test.csv", "external_id,text,labels,split\n" + test.map { "\($0.id),\"\($0.text)\",\($0.label),test\n" }.joined())
        #expect(try sandbox.assay(["predict", "--model", "m.bin", testPath, "--id-column", "external_id", "--out", "p.csv"]).status == 0)
        let scored = try sandbox.assay([
            "metrics", "--truth", testPath, "--truth-label-column", "labels", "--pred", "p.csv", "--item-column", "external_id", "--json",
        ])
        #expect(scored.status == 0, "\(scored.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(scored.stdout.utf8)) as? [String: Any])
        #expect(report["items"] as? Int == 60 && report["unpredicted_items"] as? Int == 0, "\(scored.stdout)")
        let two = try sandbox.write("two.jsonl", #"{"external_id": "x", "text": "t", "labels": ["spam", "hate"]}"# + "\n")
        let refused = try sandbox.assay(["train", two, "--label-column", "labels", "--out", "n.bin"])
        #expect(refused.status != 0 && refused.stderr.contains("two.jsonl:1: labels: must be one label"), "\(refused.stderr)")
    }

    @Test func badInputNamesTheFileAndLineAndWritesNothing() throws {
        let sandbox = try Scratch()
        defer { sandbox.remove() }
        let good = try sandbox.write("good.csv", Self.csv(Self.posts(count: 50, seed: 4)))

        let noColumn = try sandbox.write("nolabel.csv", "id,text\n1,hello\n")
        var run = try sandbox.assay(["train", noColumn, "--out", "x.model"])
        #expect(run.status != 0 && run.stderr.contains("nolabel.csv") && run.stderr.contains("'label'"), "\(run.stderr)")

        let emptyLabel = try sandbox.write("empty.csv", "id,text,label\n1,hello,spam\n2,world,\n")
        run = try sandbox.assay(["train", emptyLabel, "--out", "x.model"])
        #expect(run.status != 0 && run.stderr.contains("empty.csv:3") && run.stderr.contains("label"), "\(run.stderr)")

        let oneLabel = try sandbox.write("one.csv", "id,text,label\n1,hello,spam\n2,world,spam\n")
        run = try sandbox.assay(["train", oneLabel, "--out", "x.model"])
        #expect(run.status != 0 && run.stderr.contains("two labels"), "\(run.stderr)")

        let jsonl = try sandbox.write("bad.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"label\": \"y\"}\n")
        run = try sandbox.assay(["train", jsonl, "--out", "x.model"])
        #expect(run.status != 0 && run.stderr.contains("bad.jsonl:2") && run.stderr.contains("text"), "\(run.stderr)")

        run = try sandbox.assay(["train", good, "--out", "x.model", "--char-ngrams", "5-3"])
        #expect(run.status != 0 && run.stderr.contains("--char-ngrams"), "\(run.stderr)")
        run = try sandbox.assay(["train", good, "--out", "x.model", "--bucket-bits", "30"])
        #expect(run.status != 0 && run.stderr.contains("bucket bits"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("x.model")))

        #expect(try sandbox.assay(["train", good, "--out", "ok.model"]).status == 0)
        let noID = try sandbox.write("noid.csv", "id,text\n1,hello\n,world\n")
        run = try sandbox.assay(["predict", "--model", "ok.model", noID])
        #expect(run.status != 0 && run.stderr.contains("noid.csv:3") && run.stderr.contains("id"), "\(run.stderr)")
        run = try sandbox.assay(["predict", "--model", "ok.model", good, "--text-column", "tweet"])
        #expect(run.status != 0 && run.stdout.isEmpty, "nothing on standard output before the failure, not even the header: \(run.stdout)")
        run = try sandbox.assay(["label-errors", good, "--min-confidence", "1.5"])
        #expect(run.status == 64 && run.stderr.contains("--min-confidence must be 0 to 1"), "\(run.stderr)")

        var damaged = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("ok.model")))
        damaged[damaged.count / 2] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: sandbox.path("damaged.model")))
        run = try sandbox.assay(["predict", "--model", "damaged.model", good])
        #expect(run.status != 0 && run.stderr.contains("damaged.model") && run.stderr.contains("checksum"), "\(run.stderr)")
        run = try sandbox.assay(["predict", "--model", good, good])
        #expect(run.status != 0 && run.stderr.contains("not start as an Assay model"), "\(run.stderr)")
    }
}

private typealias Scratch = ScratchFolder
