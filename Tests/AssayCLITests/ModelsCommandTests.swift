import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// `assay models` as a user runs it: the built binary on a real database.
@Suite("assay models")
struct ModelsCommandTests {
    @Test("predictions are checked line by line, imported, routed by auto-accept, and reported", arguments: TestBackend.allCases)
    func predictionsAndAutoAccept(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let queue = try cli.write("queue.json", """
                {"name": "ads", "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "scam"}, {"code": "adult"}]}}
                """)
            #expect(try cli.assay(["queues", "create", queue]).status == 0)
            let items = (1...6).map { #"{"external_id": "ad-\#($0)", "text": "ad \#($0)"}"# }.joined(separator: "\n")
            #expect(try cli.assay(["import", try cli.write("items.jsonl", items), "--queue", "ads"]).status == 0)
            #expect(try cli.assay(["users", "add", "Ana", "--role", "analyst", "--external-id", "ana"]).status == 0)
            #expect(try cli.assay(["users", "add", "Al", "--role", "annotator", "--external-id", "al"]).status == 0)

            let bad = try cli.write("bad.csv", "external_id,label,confidence\nad-1,scam,0.99\nad-2,fraud,0.9\nad-3,ok,\nzz,ok,0.5\n")
            let refused = try cli.assay(["models", "import", bad, "--queue", "ads", "--predictor", "ad-llm@3", "--by", "ana"])
            #expect(refused.status != 0)
            // Every bad row at once, each as FILE:LINE, not one per run.
            #expect(refused.stderr.contains("bad.csv:4: confidence: is required"), "\(refused.stderr)")
            let labels = try cli.write("labels.csv", "external_id,label,confidence\nad-1,scam,0.99\nad-2,fraud,0.9\nad-1,ok,0.5\n")
            let both = try cli.assay(["models", "import", labels, "--queue", "ads", "--predictor", "ad-llm@3", "--by", "ana"])
            #expect(both.stderr.contains("labels.csv:3: labels: 'fraud' is not a label") && both.stderr.contains("labels.csv:4: external_id: item 'ad-1' already has a row on line 2"),
                    "\(both.stderr)")
            let unknown = try cli.write("unknown.csv", "external_id,label,confidence\nzz,ok,0.5\nyy,ok,0.5\n")
            let missing = try cli.assay(["models", "import", unknown, "--queue", "ads", "--predictor", "ad-llm@3", "--by", "ana"])
            #expect(missing.stderr.contains("unknown.csv:2: external_id: no item 'zz'") && missing.stderr.contains("unknown.csv:3: external_id: no item 'yy'"),
                    "\(missing.stderr)")
            let noVersion = try cli.assay(["models", "import", bad, "--queue", "ads", "--predictor", "ad-llm", "--by", "ana"])
            #expect(noVersion.status != 0 && noVersion.stderr.contains("NAME@VERSION"), "\(noVersion.stderr)")
            let good = try cli.write("predictions.csv", """
                external_id,label,confidence
                ad-1,scam,0.99
                ad-2,ok,0.98
                ad-3,adult,0.99
                ad-4,ok,0.6
                """)
            let byAnnotator = try cli.assay(["models", "import", good, "--queue", "ads", "--predictor", "ad-llm@3", "--by", "al"])
            #expect(byAnnotator.status != 0 && byAnnotator.stderr.contains("may not manage models"), "\(byAnnotator.stderr)")
            #expect(try await cli.store { try await $0.predictors() }.isEmpty, "refused imports stored nothing")

            let imported = try cli.assay(["models", "import", good, "--queue", "ads", "--predictor", "ad-llm@3", "--by", "ana"])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Stored 4 predictions of ad-llm@3 in 'ads' (4 new, 0 replaced)."), "\(imported.stdout)")
            let set = try cli.assay([
                "models", "assist", "--queue", "ads", "--by", "ana", "--predictor", "ad-llm@3", "--show-suggestions",
                "--auto-accept", "0.95", "--audit-rate", "0", "--human-only", "adult",
            ])
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stdout.contains("\"human_only_labels\" : [\n      \"adult\"\n    ]"), "\(set.stdout)")
            let shown = try cli.assay(["models", "assist", "--queue", "ads"])
            #expect(shown.stdout == set.stdout)
            let report = try cli.assay(["models", "auto-accept", "--queue", "ads"])
            #expect(report.status == 0, "\(report.stderr)")
            let figures = try JSONValue(parsing: Array(report.stdout.utf8))
            #expect(figures["auto_accepted"] == 2 && figures["sent_to_people"] == 2, "\(report.stdout)")
            let listed = try cli.assay(["models", "list"])
            #expect(listed.stdout.contains("ad-llm@3,imported,4,"), "\(listed.stdout)")
            let alignment = try cli.assay(["models", "alignment", "--queue", "ads", "--predictor", "ghost@1"])
            #expect(alignment.status != 0 && alignment.stderr.contains("predictor 'ghost@1' was not found"), "\(alignment.stderr)")
            let wrongThreshold = try cli.assay(["models", "assist", "--queue", "ads", "--by", "ana", "--predictor", "ad-llm@3", "--auto-accept", "0.2"])
            #expect(wrongThreshold.status != 0 && wrongThreshold.stderr.contains("auto_accept.threshold"), "\(wrongThreshold.stderr)")
        }
    }
}
