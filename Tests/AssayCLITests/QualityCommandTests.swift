import AssayTesting
import Foundation
import Testing

private typealias Scratch = ScratchFolder

/// The JSON object a command printed.
private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
}

/// A JSON number as a `Double`, whether `JSONSerialization` gave it as an `Int`, a `Double` or an `NSNumber`.
private func number(_ value: Any?) -> Double? {
    switch value {
    case let value as Int: Double(value)
    case let value as Double: value
    case let value as NSNumber: value.doubleValue
    default: nil
    }
}

/// A JSON number as an `Int`, if it is a whole number.
private func integer(_ value: Any?) -> Int? {
    number(value).flatMap { $0 == $0.rounded() ? Int($0) : nil }
}

/// Whether `text` shows a NaN anywhere, as `%f` or `String(Double.nan)` would print it.
private func showsNaN(_ text: String) -> Bool {
    text.range(of: #"\bnan\b"#, options: [.regularExpression, .caseInsensitive]) != nil
}

/// The rows of a CSV without quoted fields, split into fields.
private func rows(_ text: String) -> [[String]] {
    text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, missing data
/// (`nil`). Published α: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
private let reliabilityData: [(observer: String, values: [Int?])] = [
    ("A", [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil]),
    ("B", [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3]),
    ("C", [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil]),
    ("D", [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil]),
]

private var reliabilityCSV: String {
    var lines = ["item,worker,label"]
    for unit in 0..<12 {
        for (observer, values) in reliabilityData {
            if let value = values[unit] { lines.append("unit-\(unit + 1),\(observer),\(value)") }
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Eight items, truth alternating cat/dog; five workers, worker k wrong on item k only, so every item has a
/// majority of at least 4 to 1.
private let truth = ["cat", "dog", "cat", "dog", "cat", "dog", "cat", "dog"]
private func clearCutCSV(header: String = "item,worker,label") -> String {
    var lines = [header]
    for (index, label) in truth.enumerated() {
        for worker in 1...5 {
            let given = worker == index + 1 ? (label == "cat" ? "dog" : "cat") : label
            lines.append("i\(index + 1),w\(worker),\(given)")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite("assay agree / aggregate / metrics")
struct QualityCommandTests {
    // MARK: - agree

    @Test("agree reproduces Krippendorff's published α at every level", arguments: [
        ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797),
    ])
    func agreeOnPublishedData(level: String, alpha: Double) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("reliability.csv", reliabilityCSV)
        let run = try scratch.assay(["agree", file, "--json", "--level", level])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try object(run.stdout)
        let measured = try #require(number(report["krippendorff_alpha"]), "\(run.stdout)")
        #expect(abs(measured - alpha) < 0.0005, "α(\(level)) = \(measured), published \(alpha)")
        #expect(report["level"] as? String == level)
        #expect(number(report["percent_agreement"]) != nil, "\(run.stdout)")
        #expect(number(report["fleiss_kappa"]) != nil, "\(run.stdout)")
        #expect(integer(report["items"]) == 12)
        #expect(integer(report["workers"]) == 4)
        #expect(integer(report["judgments"]) == 41)
        #expect(integer(report["pairable_items"]) == 11)
        #expect(report["labels"] as? [String] == ["1", "2", "3", "4", "5"])
        // Four workers: no Cohen's κ, and a note that says why.
        #expect(report["cohens_kappa"] == nil || report["cohens_kappa"] is NSNull, "\(run.stdout)")
        let notes = try #require(report["notes"] as? [String: String], "\(run.stdout)")
        let note = try #require(notes["cohens_kappa"])
        #expect(note.contains("two workers") && note.contains("4"), "\(note)")
        #expect(!showsNaN(run.stdout))
    }

    @Test("agree prints a table by default, and a bootstrap interval around α on request")
    func agreeTableAndBootstrap() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("reliability.csv", reliabilityCSV)
        let table = try scratch.assay(["agree", "reliability.csv"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("reliability.csv: 41 judgments of 12 items by 4 workers"), "\(table.stdout)")
        #expect(table.stdout.contains("Krippendorff's α (nominal)"), "\(table.stdout)")
        #expect(table.stdout.contains("0.7434"), "\(table.stdout)")
        #expect(!table.stdout.contains("Cohen"), "Cohen's κ row shown for 4 workers: \(table.stdout)")
        #expect(!showsNaN(table.stdout))

        let booted = try scratch.assay(["agree", "reliability.csv", "--json", "--bootstrap", "200", "--seed", "7"])
        #expect(booted.status == 0, "\(booted.stderr)")
        let report = try object(booted.stdout)
        let alpha = try #require(number(report["krippendorff_alpha"]))
        let interval = try #require(report["krippendorff_alpha_interval"] as? [String: Any], "\(booted.stdout)")
        let low = try #require(number(interval["low"]))
        let high = try #require(number(interval["high"]))
        #expect(low <= alpha && alpha <= high, "\(low) … \(alpha) … \(high)")
        #expect(integer(interval["replicates"]) == 200)
        #expect(number(interval["confidence"]) == 0.95)
        let again = try scratch.assay(["agree", "reliability.csv", "--json", "--bootstrap", "200", "--seed", "7"])
        #expect(again.stdout == booted.stdout, "the same seed gives the same interval")
    }

    @Test("agree with two workers adds Cohen's κ")
    func agreeCohensKappa() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Agreement on 4 of 6 items (p_o = 2/3); each says yes 3 times of 6 (p_e = 1/2): κ = (2/3 − 1/2)/(1/2) = 1/3.
        let pairs = [("yes", "yes"), ("yes", "yes"), ("no", "no"), ("no", "yes"), ("yes", "no"), ("no", "no")]
        var lines = ["item,worker,label"]
        for (index, (a, b)) in pairs.enumerated() { lines += ["i\(index),ann,\(a)", "i\(index),bob,\(b)"] }
        let file = try scratch.write("two.csv", lines.joined(separator: "\n") + "\n")
        let run = try scratch.assay(["agree", file, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try object(run.stdout)
        let kappa = try #require(number(report["cohens_kappa"]), "\(run.stdout)")
        #expect(abs(kappa - 1.0 / 3.0) < 1e-9, "κ = \(kappa)")
        let agreement = try #require(number(report["percent_agreement"]))
        #expect(abs(agreement - 2.0 / 3.0) < 1e-9)
        let notes = report["notes"] as? [String: String] ?? [:]
        #expect(notes["cohens_kappa"] == nil, "\(notes)")

        let table = try scratch.assay(["agree", file])
        #expect(table.stdout.contains("Cohen's κ"), "\(table.stdout)")
        #expect(table.stdout.contains("0.3333"), "\(table.stdout)")
    }

    @Test("agree with one label throughout: κ and α are n/a with a reason, never NaN")
    func agreeOneLabel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("same.csv", "item,worker,label\ni1,ann,ok\ni1,bob,ok\ni2,ann,ok\ni2,bob,ok\ni3,ann,ok\n")
        let run = try scratch.assay(["agree", file, "--json"])
        // Percent agreement is defined (1), so the command succeeds and reports the others as missing.
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!showsNaN(run.stdout), "\(run.stdout)")
        let report = try object(run.stdout)
        #expect(number(report["percent_agreement"]) == 1)
        for key in ["krippendorff_alpha", "fleiss_kappa", "cohens_kappa"] {
            #expect(report[key] == nil || report[key] is NSNull, "\(key) reported: \(run.stdout)")
        }
        let notes = try #require(report["notes"] as? [String: String], "\(run.stdout)")
        #expect(notes["krippendorff_alpha"]?.contains("same value") == true, "\(notes)")
        #expect(notes["fleiss_kappa"] != nil, "\(notes)")
        #expect(notes["cohens_kappa"] != nil, "\(notes)")

        let table = try scratch.assay(["agree", file])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(!showsNaN(table.stdout), "\(table.stdout)")
        #expect(table.stdout.contains("n/a ("), "\(table.stdout)")
    }

    /// With two units, a replicate draws one of them twice as often as not: α is undefined there. The coefficients
    /// stand; the interval is left out with its reason, or says how many replicates it is made of.
    @Test("a bootstrap that finds no variation loses its interval, not the report")
    func agreeBootstrapWithoutVariation() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("perfect.csv", "item,worker,label\ni1,ann,a\ni1,bob,a\ni2,ann,b\ni2,bob,b\n")
        var withoutInterval = 0
        for seed in 1...8 {
            let run = try scratch.assay(["agree", file, "--json", "--bootstrap", "1", "--seed", String(seed)])
            #expect(run.status == 0, "seed \(seed): \(run.stderr)")
            let report = try object(run.stdout)
            #expect(number(report["krippendorff_alpha"]) == 1, "\(run.stdout)")
            if let note = (report["notes"] as? [String: String])?["krippendorff_alpha_interval"] {
                #expect(note.hasPrefix("no bootstrap interval:"), "\(note)")
                withoutInterval += 1
            }
        }
        #expect(withoutInterval > 0 && withoutInterval < 8, "\(withoutInterval) of 8 seeds drew one unit twice")
        let many = try object(try scratch.assay(["agree", file, "--json", "--bootstrap", "200", "--seed", "3"]).stdout)
        let replicates = try #require((many["krippendorff_alpha_interval"] as? [String: Any])?["replicates"] as? Int)
        #expect(replicates < 200 && replicates > 50, "only replicates with variation count: \(replicates)")
        #expect((many["notes"] as? [String: String])?["krippendorff_alpha_interval"]?.contains("of 200 replicates drew units without variation") == true)
    }

    @Test("agree fails with a message when no item was judged twice")
    func agreeNothingToCompare() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("single.csv", "item,worker,label\ni1,ann,yes\ni2,bob,no\ni3,ann,no\n")
        let run = try scratch.assay(["agree", file, "--json"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("Error: no agreement coefficient is defined for this file"), "\(run.stderr)")
        #expect(!showsNaN(run.stdout + run.stderr))
    }

    @Test("agree --level ordinal on text labels without --order is a usage mistake, exit 1; with --order it measures")
    func agreeOrdinalNeedsOrder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("levels.csv", "item,worker,label\ni1,ann,low\ni1,bob,mid\ni2,ann,high\ni2,bob,high\n")
        let run = try scratch.assay(["agree", file, "--level", "ordinal"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--level ordinal needs --order for labels that are not numbers, lowest first (the labels of \(file): high, low, mid)"),
                "\(run.stderr)")
        let ordered = try scratch.assay(["agree", file, "--level", "ordinal", "--order", "low,mid,high", "--json"])
        #expect(ordered.status == 0, "\(ordered.stderr)")
        for bad in ["low,,high", "low,mid,low", "low,mid,"] {
            let refused = try scratch.assay(["agree", file, "--level", "ordinal", "--order", bad])
            #expect(refused.status == 64 && refused.stderr.contains("--order"), "\(bad): \(refused.stderr)")
        }
    }

    @Test("agree reports a bad judgments file with FILE:LINE")
    func agreeBadFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("bad.csv", "item,worker,label\ni1,ann,yes\ni1,,no\n")
        let run = try scratch.assay(["agree", file])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(file):3: worker: is empty"), "\(run.stderr)")
    }

    // MARK: - aggregate

    @Test("aggregate recovers the obvious labels with every method", arguments: ["mv", "wmv", "ds", "ods", "glad", "mace"])
    func aggregateClearCut(method: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("judgments.csv", clearCutCSV())
        let run = try scratch.assay([
            "aggregate", file, "--method", method, "--out", "labels.csv", "--workers", "workers.csv",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty, "labels went to --out, not standard output: \(run.stdout)")
        #expect(run.stderr.contains("8 items, 5 workers, 40 judgments, 2 labels"), "summary: \(run.stderr)")

        let labels = rows(try scratch.read("labels.csv"))
        #expect(labels.first == ["item", "label", "confidence"])
        #expect(labels.dropFirst().map { $0[0] } == (1...8).map { "i\($0)" })
        #expect(labels.dropFirst().map { $0[1] } == truth, "\(method): \(labels)")
        for row in labels.dropFirst() {
            let confidence = try #require(Double(row[2]), "\(row)")
            #expect(confidence > 0.5 && confidence <= 1, "\(method): \(row)")
        }
        if method == "mv" {
            #expect(labels.dropFirst().map { Double($0[2]) } == [0.8, 0.8, 0.8, 0.8, 0.8, 1, 1, 1])
        }

        let workers = rows(try scratch.read("workers.csv"))
        let header = try #require(workers.first)
        #expect(Array(header.prefix(4)) == ["worker", "judgments", "accuracy", "score"], "\(header)")
        #expect(workers.dropFirst().map { $0[0] } == ["w1", "w2", "w3", "w4", "w5"])
        #expect(workers.dropFirst().allSatisfy { $0.count == header.count }, "\(workers)")
        #expect(workers.dropFirst().allSatisfy { $0[1] == "8" }, "\(workers)")
        if method == "mv" {
            #expect(workers.dropFirst().allSatisfy { Double($0[2]) == 0.875 }, "\(workers)")
        }
        #expect(!showsNaN(try scratch.read("labels.csv") + scratch.read("workers.csv")))
    }

    @Test("aggregate --gold clamps an item to its gold label", arguments: ["mv", "wmv", "ds", "ods", "glad", "mace"])
    func aggregateGold(method: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("judgments.csv", clearCutCSV())
        // Every worker says i7 is a cat; the gold file says dog.
        try scratch.write("gold.csv", "item,label\ni7,dog\n")
        let run = try scratch.assay([
            "aggregate", "judgments.csv", "--method", method, "--gold", "gold.csv", "--out", "labels.csv", "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "--quiet: \(run.stderr)")
        let labels = rows(try scratch.read("labels.csv"))
        let gold = try #require(labels.first { $0.first == "i7" })
        #expect(gold[1] == "dog", "\(method): \(gold)")
        #expect(Double(gold[2]) == 1, "\(method): \(gold)")
        var expected = truth
        expected[6] = "dog"
        #expect(labels.dropFirst().map { $0[1] } == expected, "\(method): \(labels)")
    }

    @Test("aggregate reads and writes custom column names, to standard output by default")
    func aggregateCustomColumns() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = clearCutCSV(header: "task,annotator,answer").replacingOccurrences(of: "\n", with: ",extra\n")
            .replacingOccurrences(of: "task,annotator,answer,extra", with: "task,annotator,answer,note")
        try scratch.write("judgments.csv", text)
        try scratch.write("gold.csv", "task,answer\ni1,dog\n")
        let run = try scratch.assay([
            "aggregate", "judgments.csv", "--method", "mv", "--item-column", "task", "--worker-column", "annotator",
            "--label-column", "answer", "--gold", "gold.csv",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let labels = rows(run.stdout)
        #expect(labels.first == ["task", "answer", "confidence"], "\(run.stdout)")
        #expect(labels.count == 9)
        #expect(labels.dropFirst().first == ["i1", "dog", "1.0"], "\(run.stdout)")
    }

    @Test("aggregate --method wmv --weights uses the given weights")
    func aggregateGivenWeights() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Two workers disagree on one item; the heavier one wins.
        try scratch.write("judgments.csv", "item,worker,label\ni1,ann,cat\ni1,bob,dog\n")
        try scratch.write("weights.csv", "worker,weight\nann,1\nbob,3\n")
        let run = try scratch.assay(["aggregate", "judgments.csv", "--method", "wmv", "--weights", "weights.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let labels = rows(run.stdout)
        #expect(labels.dropFirst().first?.prefix(2) == ["i1", "dog"], "\(run.stdout)")
        #expect(labels.dropFirst().first.flatMap { Double($0[2]) } == 0.75, "\(run.stdout)")
    }

    @Test("aggregate reports bad input with the file, line and column, and writes nothing")
    func aggregateBadInput() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }

        let empty = try scratch.write("empty-label.csv", "item,worker,label\ni1,w1,cat\ni1,w2,\n")
        let emptyRun = try scratch.assay(["aggregate", empty, "--out", "labels.csv"])
        #expect(emptyRun.status != 0)
        #expect(emptyRun.stderr.contains("Error: \(empty):3: label: is empty"), "\(emptyRun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("labels.csv")), "labels written despite the error")

        // A setting the method has no use for is refused, not silently ignored.
        let plain = try scratch.write("plain.csv", "item,worker,label\ni1,w1,cat\ni1,w2,cat\n")
        let unused: [(arguments: [String], message: String)] = [
            (["--method", "ds", "--restarts", "3"], "--restarts and --seed apply to --method mace only"),
            (["--method", "glad", "--seed", "4"], "--restarts and --seed apply to --method mace only"),
            (["--method", "mv", "--tolerance", "0.1"], "--tolerance applies to ds, ods, glad and mace"),
            (["--method", "mv", "--max-iterations", "5"], "--max-iterations does not apply to mv"),
        ]
        for (arguments, message) in unused {
            let run = try scratch.assay(["aggregate", plain] + arguments)
            #expect(run.status != 0 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        #expect(try scratch.assay(["aggregate", plain, "--method", "mace", "--restarts", "2", "--seed", "3"]).status == 0)

        let missing = try scratch.write("no-worker.csv", "item,annotator,label\ni1,w1,cat\n")
        let missingRun = try scratch.assay(["aggregate", missing])
        #expect(missingRun.status != 0)
        #expect(missingRun.stderr.contains(#"\#(missing):1: worker: no column named "worker""#), "\(missingRun.stderr)")
        #expect(missingRun.stderr.contains(#"the header has "item", "annotator", "label""#), "\(missingRun.stderr)")

        let renamed = try scratch.assay(["aggregate", missing, "--worker-column", "annotator"])
        #expect(renamed.status == 0, "\(renamed.stderr)")

        let duplicate = try scratch.write("duplicate.csv", "item,worker,label\ni1,w1,cat\ni1,w2,cat\ni1,w1,dog\n")
        let duplicateRun = try scratch.assay(["aggregate", duplicate])
        #expect(duplicateRun.status != 0)
        #expect(
            duplicateRun.stderr.contains("\(duplicate):4: worker: 'w1' already judged item 'i1' on line 2"),
            "\(duplicateRun.stderr)")

        let headerOnly = try scratch.write("header.csv", "item,worker,label\n")
        let headerRun = try scratch.assay(["aggregate", headerOnly])
        #expect(headerRun.status != 0)
        #expect(headerRun.stderr.contains("\(headerOnly): the file has no judgments, only a header"), "\(headerRun.stderr)")

        let good = try scratch.write("good.csv", "item,worker,label\ni1,w1,cat\ni1,w2,dog\n")
        let orderRun = try scratch.assay(["aggregate", good, "--order", "cat,bird"])
        #expect(orderRun.status != 0)
        #expect(orderRun.stderr.contains("\(good):3: label:"), "\(orderRun.stderr)")
        #expect(orderRun.stderr.contains("'dog'"), "\(orderRun.stderr)")

        try scratch.write("weights.csv", "worker,weight\nw1,heavy\n")
        let weightsRun = try scratch.assay(["aggregate", good, "--method", "wmv", "--weights", "weights.csv"])
        #expect(weightsRun.status != 0)
        #expect(
            weightsRun.stderr.contains("weights.csv:2: weight: the weight of worker 'w1' must be a number ≥ 0, not 'heavy'"),
            "\(weightsRun.stderr)")

        let weightsForDS = try scratch.assay(["aggregate", good, "--method", "ds", "--weights", "weights.csv"])
        #expect(weightsForDS.status != 0)
        #expect(weightsForDS.stderr.contains("--weights applies to --method wmv only"), "\(weightsForDS.stderr)")

        let absent = scratch.path("absent.csv")
        let absentRun = try scratch.assay(["aggregate", absent])
        #expect(absentRun.status != 0)
        #expect(absentRun.stderr.contains("\(absent): no such file"), "\(absentRun.stderr)")

        let absentGold = try scratch.assay(["aggregate", good, "--gold", "nope.csv"])
        #expect(absentGold.status != 0)
        #expect(absentGold.stderr.contains("nope.csv: no such file"), "\(absentGold.stderr)")

        // A gold label nobody judged with is named by its file, line and column.
        let judgedItem = "i1"
        try scratch.write("gold-unknown.csv", "item,label\n\(judgedItem),zzz\n")
        let unknownGold = try scratch.assay(["aggregate", good, "--gold", "gold-unknown.csv"])
        #expect(unknownGold.status != 0)
        #expect(unknownGold.stderr.contains("gold-unknown.csv:2: label: gold label 'zzz' of item '\(judgedItem)' is not among the judged labels"),
                "\(unknownGold.stderr)")

        let badMethod = try scratch.assay(["aggregate", good, "--method", "vote"])
        #expect(badMethod.status != 0)
        #expect(badMethod.stderr.contains("vote"), "\(badMethod.stderr)")
    }

    @Test("aggregate --out writes through a symbolic link instead of replacing it")
    func outputThroughASymbolicLink() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("judgments.csv", clearCutCSV())
        let target = try scratch.write("target.csv", "")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.csv"), withDestinationPath: target)
        let run = try scratch.assay(["aggregate", "judgments.csv", "--method", "mv", "--out", "link.csv", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: scratch.path("link.csv"))
        let written = try scratch.read("target.csv")
        #expect(destination == target, "link.csv is no longer a link")
        #expect(written.hasPrefix("item,label,confidence"), "target.csv: \(written.debugDescription)")
    }

    @Test("aggregate --out - --workers - writes both tables to standard output")
    func bothTablesToStandardOutput() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("judgments.csv", clearCutCSV())
        let run = try ServerProcess.run(
            ["aggregate", "judgments.csv", "--method", "mv", "--out", "-", "--workers", "-", "--quiet"],
            environment: ["ASSAY_DATABASE_URL": "", "SWIFT_BACKTRACE": "enable=no"], currentDirectory: scratch.folder)
        #expect(run.stdout.hasPrefix("item,label,confidence"), "\(run.stdout)")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("worker,judgments,accuracy,score"), "\(run.stdout)")
    }

    // MARK: - metrics

    @Test("metrics scores predictions against the truth")
    func metrics() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Scored items i1…i5: truth cat cat cat dog dog, predicted cat cat dog dog cat.
        // i6 has no prediction; i7 has no truth.
        try scratch.write("t.csv", "item,label\ni1,cat\ni2,cat\ni3,cat\ni4,dog\ni5,dog\ni6,dog\n")
        try scratch.write("p.csv", "item,label,confidence\ni1,cat,0.9\ni2,cat,1\ni3,dog,0.5\ni4,dog,1\ni5,cat,0.6\ni7,cat,1\n")
        let run = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "p.csv", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try object(run.stdout)
        #expect(integer(report["items"]) == 5)
        #expect(integer(report["unpredicted_items"]) == 1)
        #expect(integer(report["unscored_items"]) == 1)
        let accuracy = try #require(report["accuracy"] as? [String: Any])
        #expect(number(accuracy["value"]) == 0.6)
        #expect(integer(accuracy["successes"]) == 3)
        #expect(integer(accuracy["trials"]) == 5)
        let low = try #require(number(accuracy["low"]))
        let high = try #require(number(accuracy["high"]))
        #expect(low < 0.6 && 0.6 < high)

        let perLabel = try #require(report["per_label"] as? [[String: Any]])
        func values(_ label: String) throws -> (precision: Double, recall: Double, f1: Double, support: Int) {
            let entry = try #require(perLabel.first { $0["label"] as? String == label }, "\(label) missing")
            let precision = try #require(number((entry["precision"] as? [String: Any])?["value"]))
            let recall = try #require(number((entry["recall"] as? [String: Any])?["value"]))
            return (precision, recall, try #require(number(entry["f1"])), try #require(integer(entry["support"])))
        }
        // cat: predicted for i1, i2, i5 (2 right); true for i1, i2, i3 (2 found).
        let cat = try values("cat")
        #expect(abs(cat.precision - 2.0 / 3) < 1e-9)
        #expect(abs(cat.recall - 2.0 / 3) < 1e-9)
        #expect(abs(cat.f1 - 2.0 / 3) < 1e-9)
        #expect(cat.support == 3)
        // dog: predicted for i3, i4 (1 right); true for i4, i5 (1 found).
        let dog = try values("dog")
        #expect(abs(dog.precision - 0.5) < 1e-9)
        #expect(abs(dog.recall - 0.5) < 1e-9)
        #expect(abs(dog.f1 - 0.5) < 1e-9)
        #expect(dog.support == 2)
        let macroF1 = try #require(number(report["macro_f1"]))
        #expect(abs(macroF1 - 7.0 / 12) < 1e-9, "macro F1 = \(macroF1)")
        #expect(abs((number((report["micro_f1"] as? [String: Any])?["value"]) ?? 0) - 0.6) < 1e-9)
        let confusion = try #require(report["confusion"] as? [String: Any])
        #expect(confusion["labels"] as? [String] == ["cat", "dog"])
        #expect((confusion["counts"] as? [[Any]])?.map { $0.map(integer) } == [[2, 1], [1, 1]])

        let table = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "p.csv"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("p.csv against t.csv: 5 items scored"), "\(table.stdout)")
        #expect(table.stdout.contains("1 items of t.csv have no prediction"), "\(table.stdout)")
        #expect(table.stdout.contains("accuracy     0.6000"), "\(table.stdout)")
        #expect(table.stdout.contains("macro F1     0.5833"), "\(table.stdout)")
        #expect(!showsNaN(table.stdout))

        // A label never predicted has no precision: "n/a", not a 0.0000 [0.0000, 1.0000] that reads as a score.
        try scratch.write("all-cat.csv", "item,label\ni1,cat\ni2,cat\ni3,cat\ni4,cat\ni5,cat\n")
        let neverDog = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "all-cat.csv"])
        let dogRow = try #require(neverDog.stdout.split(separator: "\n").first { $0.hasPrefix("dog ") }, "\(neverDog.stdout)")
        #expect(dogRow.contains("n/a (0 of 0)") && !dogRow.contains("0.0000 [0.0000, 1.0000]"), "\(dogRow)")
    }

    @Test("metrics fails with a message when the files share no item, or a file is bad")
    func metricsNoSharedItems() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("t.csv", "item,label\ni1,cat\ni2,dog\n")
        try scratch.write("p.csv", "item,label\nx1,cat\nx2,dog\n")
        let run = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "p.csv", "--json"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("t.csv and p.csv share no item"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "\(run.stdout)")

        try scratch.write("twice.csv", "item,label\ni1,cat\ni2,dog\ni1,dog\n")
        let twice = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "twice.csv"])
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("twice.csv:4: item: 'i1' already has a row on line 2"), "\(twice.stderr)")

        let absent = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "absent.csv"])
        #expect(absent.status != 0)
        #expect(absent.stderr.contains("absent.csv: no such file"), "\(absent.stderr)")

        // A file of a header alone is named as that, not as "no shared item"; a label outside --order names its file.
        try scratch.write("header.csv", "item,label\n")
        let headerOnly = try scratch.assay(["metrics", "--truth", "header.csv", "--pred", "t.csv"])
        #expect(headerOnly.status != 0 && headerOnly.stderr.contains("header.csv: the file has no rows, only a header"), "\(headerOnly.stderr)")
        try scratch.write("p2.csv", "item,label\ni1,cat\ni2,bird\n")
        let stray = try scratch.assay(["metrics", "--truth", "t.csv", "--pred", "p2.csv", "--order", "cat,dog"])
        #expect(stray.status != 0 && stray.stderr.contains("p2.csv: label 'bird' is not in --order (cat,dog)"), "\(stray.stderr)")
    }
}
