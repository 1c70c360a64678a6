import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// `assay gold`, `assay scores` and `assay audit` as a user runs them: the built binary on a real database.
@Suite("assay gold / scores / audit")
struct GoldCommandTests {
    @Test("a gold set is checked line by line, imported, scores imported judgments, and is audited",
          arguments: TestBackend.allCases)
    func goldScoresAudit(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let queue = try cli.write("queue.json", """
                {"name": "ads", "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "scam"}]},
                 "quality": {"min_gold_accuracy": 0.8, "min_gold_answers": 4, "auto_suspend": true}}
                """)
            #expect(try cli.assay(["queues", "create", queue]).status == 0)
            let items = (1...6).map { #"{"external_id": "ad-\#($0)", "text": "ad \#($0)"}"# }.joined(separator: "\n")
            #expect(try cli.assay(["import", try cli.write("items.jsonl", items), "--queue", "ads"]).status == 0)
            #expect(try cli.assay(["users", "add", "Rita", "--role", "arbitrator", "--external-id", "rita"]).status == 0)
            #expect(try cli.assay(["users", "add", "Al", "--role", "annotator", "--external-id", "al"]).status == 0)

            let bad = try cli.write("bad-gold.csv", "external_id,labels\nad-1,scam\nad-2,fraud\nad-9,ok\n")
            let refused = try cli.assay(["gold", "import", bad, "--queue", "ads", "--by", "rita"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("bad-gold.csv:3: labels: 'fraud' is not a label"), "\(refused.stderr)")
            let byAnnotator = try cli.assay(["gold", "import", try cli.write("g0.csv", "external_id,labels\nad-1,scam\n"), "--queue", "ads", "--by", "al"])
            #expect(byAnnotator.status != 0 && byAnnotator.stderr.contains("may not see or set gold"), "\(byAnnotator.stderr)")

            let gold = try cli.write("gold.csv", "external_id,labels,rationale\nad-1,scam,fake giveaway\nad-2,ok,\nad-3,scam,\nad-4,ok,\n")
            let imported = try cli.assay(["gold", "import", gold, "--queue", "ads", "--by", "rita"])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Gold set on 4 of 4 items"), "\(imported.stdout)")
            let listed = try cli.assay(["gold", "list", "--queue", "ads"])
            #expect(listed.stdout.split(separator: "\n").count == 5, "\(listed.stdout)")
            #expect(listed.stdout.contains("ad-1,scam,active,fake giveaway"), "\(listed.stdout)")

            // A vendor's own tool labelled everything; one of its people got every gold item wrong.
            var rows = "item_external_id,annotator_external_id,label,submitted_at\n"
            for (index, truth) in ["scam", "ok", "scam", "ok", "ok", "ok"].enumerated() {
                rows += "ad-\(index + 1),v-good,\(truth),2026-11-01T10:0\(index):00Z\n"
                rows += "ad-\(index + 1),v-bad,\(truth == "ok" ? "scam" : "ok"),2026-11-01T10:0\(index):30Z\n"
            }
            #expect(try cli.assay(["import", try cli.write("judgments.csv", rows), "--queue", "ads", "--judgments"]).status == 0)
            let scores = try cli.assay(["scores", "--queue", "ads"])
            #expect(scores.status == 0, "\(scores.stderr)")
            #expect(scores.stdout.contains("v-bad,v-bad,suspended,4,0,0.000,0.000,"), "\(scores.stdout)")
            #expect(scores.stdout.contains("v-good,v-good,active,4,4,1.000,"), "\(scores.stdout)")

            let audit = try cli.assay(["audit", "--queue", "ads"])
            let actions = audit.stdout.split(separator: "\n").compactMap { line -> String? in
                guard case .object(let event) = try? JSONValue(parsing: Array(line.utf8)) else { return nil }
                return event["action"]?.stringValue
            }
            #expect(actions == ["member.status_changed", "gold.set", "gold.set", "gold.set", "gold.set", "queue.created"], "\(audit.stdout)")
            let typo = try cli.assay(["audit", "--queue", "ads", "--action", "gold.sett"])
            #expect(typo.status == 64 && typo.stderr.contains("'gold.sett'") && typo.stderr.contains("gold.set"), "\(typo.stderr)")
        }
    }
}
