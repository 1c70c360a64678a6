import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// `assay quality`, `guidelines`, `arbitration`, `qa`, `exams` and `calibration` as a user runs them: the built
/// binary on a real database, bad input refused with the file or setting named.
@Suite("assay quality operations")
struct QualityOperationsCommandTests {
    @Test("settings, guidelines, arbitration, QA, exams and calibration from the command line", arguments: TestBackend.allCases)
    func operations(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let queue = try cli.write("queue.json", """
                {"name": "ads", "overlap": 2, "schema": {"kind": "single_choice", "labels": [{"code": "ok", "name": "Fine"}, {"code": "scam"}]}}
                """)
            #expect(try cli.assay(["queues", "create", queue]).status == 0)
            let items = (1...6).map { #"{"external_id": "ad-\#($0)", "text": "ad \#($0)"}"# }.joined(separator: "\n")
            #expect(try cli.assay(["import", try cli.write("items.jsonl", items), "--queue", "ads"]).status == 0)
            for (name, role) in [("rita", "arbitrator"), ("ann", "analyst"), ("al", "annotator")] {
                #expect(try cli.assay(["users", "add", name, "--role", role, "--external-id", name]).status == 0)
            }

            // Quality settings: changed key by key, checked, refused for the wrong people.
            let set = try cli.assay(["quality", "set", "--queue", "ads", "--by", "ann", "gold_rate=0.1", "qa_rate=1", "qa_sampling=stratified"])
            #expect(set.status == 0, "\(set.stderr)")
            let shown = try cli.assay(["quality", "show", "--queue", "ads"])
            #expect(shown.stdout.contains(#""gold_rate" : 0.1"#) && shown.stdout.contains(#""qa_sampling" : "stratified""#), "\(shown.stdout)")
            let unknown = try cli.assay(["quality", "set", "--queue", "ads", "--by", "ann", "gold_rat=0.1"])
            #expect(unknown.status != 0 && unknown.stderr.contains("gold_rat: not a quality setting"), "\(unknown.stderr)")
            let outOfRange = try cli.assay(["quality", "set", "--queue", "ads", "--by", "ann", "gold_rate=0.9"])
            #expect(outOfRange.status != 0 && outOfRange.stderr.contains("gold_rate: must be 0 to 0.5"), "\(outOfRange.stderr)")
            let wrongKind = try cli.assay(["quality", "set", "--queue", "ads", "--by", "ann", "auto_suspend=maybe"])
            #expect(wrongKind.status != 0 && wrongKind.stderr.contains("auto_suspend"), "\(wrongKind.stderr)")
            let byAnnotator = try cli.assay(["quality", "set", "--queue", "ads", "--by", "al", "gold_rate=0"])
            #expect(byAnnotator.status != 0 && byAnnotator.stderr.contains("may not change quality settings"), "\(byAnnotator.stderr)")
            #expect(try cli.assay(["quality", "show", "--queue", "ads"]).stdout.contains(#""gold_rate" : 0.1"#), "refusals changed nothing")

            // Guidelines: passages read from the headings; versions listed, shown and compared.
            let v1 = try cli.write("v1.md", "# Ads policy\n\n## Fine\nOrdinary ads.\n\n## scam\nFake giveaways.\n")
            let published = try cli.assay(["guidelines", "publish", v1, "--queue", "ads", "--by", "ann"])
            #expect(published.status == 0 && published.stdout.contains("passages for: ok, scam"), "\(published.stdout)\(published.stderr)")
            let v2 = try cli.write("v2.md", "# Ads policy\n\n## Fine\nOrdinary ads.\n\n## scam\nFake giveaways and crypto doubling.\n")
            #expect(try cli.assay(["guidelines", "publish", v2, "--queue", "ads", "--by", "ann"]).status == 0)
            #expect(try cli.assay(["guidelines", "list", "--queue", "ads"]).stdout.split(separator: "\n").count == 3)
            #expect(try cli.assay(["guidelines", "show", "--queue", "ads", "--version", "1"]).stdout.contains("Fake giveaways.\n"))
            let diff = try cli.assay(["guidelines", "diff", "--queue", "ads", "--to", "2"])
            #expect(diff.stdout.contains("-Fake giveaways.\n+Fake giveaways and crypto doubling.")
                && diff.stdout.contains("Labels whose passage changed: scam"), "\(diff.stdout)")
            let badPassages = try cli.assay([
                "guidelines", "publish", v2, "--queue", "ads", "--by", "ann", "--passages", try cli.write("p.json", #"{"fraud": "x"}"#),
            ])
            #expect(badPassages.status != 0 && badPassages.stderr.contains("'fraud' is not a label"), "\(badPassages.stderr)")
            // Text that is not UTF-8 (Latin-1, UTF-16) is refused by line, not stored with its letters replaced; a key
            // given twice in a passages file is refused, not read as its first value.
            let latin1 = cli.folder.appendingPathComponent("latin1.md")
            try Data("# Ads\n\n## scam\nCaf".utf8 + [0xE9] + Data(" giveaways.\n".utf8)).write(to: latin1)
            let notUTF8 = try cli.assay(["guidelines", "publish", latin1.path, "--queue", "ads", "--by", "ann", "--recertify"])
            #expect(notUTF8.status != 0 && notUTF8.stderr.contains("latin1.md:4: text is not valid UTF-8"), "\(notUTF8.stderr)")
            let utf16 = cli.folder.appendingPathComponent("utf16.md")
            try Data([0xFF, 0xFE] + Array("# Ads".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: utf16)
            let wide = try cli.assay(["guidelines", "publish", utf16.path, "--queue", "ads", "--by", "ann"])
            #expect(wide.status != 0 && wide.stderr.contains("the file is UTF-16"), "\(wide.stderr)")
            let twice = try cli.assay([
                "guidelines", "publish", v2, "--queue", "ads", "--by", "ann", "--passages",
                try cli.write("twice.json", "{\"scam\": \"x\",\n \"scam\": \"y\"}"),
            ])
            #expect(twice.status != 0 && twice.stderr.contains("twice.json:2:") && twice.stderr.contains("not valid JSON: the key \"scam\" appears twice"),
                    "\(twice.stderr)")
            #expect(try cli.assay(["guidelines", "list", "--queue", "ads"]).stdout.split(separator: "\n").count == 3, "nothing published")

            // Two vendors' tools disagree on ad-5 and ad-6: ties open arbitration cases.
            var rows = "item_external_id,annotator_external_id,label,submitted_at\n"
            for index in 1...6 {
                rows += "ad-\(index),v-one,\(index >= 5 ? "scam" : "ok"),2026-11-20T10:0\(index):00Z\n"
                rows += "ad-\(index),v-two,ok,2026-11-20T10:0\(index):30Z\n"
            }
            let imported = try cli.assay(["import", try cli.write("judgments.csv", rows), "--queue", "ads", "--judgments"])
            #expect(imported.status == 0, "\(imported.stderr)")
            let open = try cli.assay(["arbitration", "list", "--queue", "ads"])
            let cases = open.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            #expect(cases.map { String($0[2]) } == ["ad-5", "ad-6"], "\(open.stdout)")
            let caseID = String(try #require(cases.first?.first))
            #expect(try cli.assay(["arbitration", "show", caseID]).stdout.contains(#""external_id" : "ad-5""#))
            let refused = try cli.assay(["arbitration", "decide", caseID, "--labels", "scam", "--by", "al"])
            #expect(refused.status != 0 && refused.stderr.contains("may not decide arbitration cases"), "\(refused.stderr)")
            let badLabel = try cli.assay(["arbitration", "decide", caseID, "--labels", "fraud", "--by", "rita"])
            #expect(badLabel.status != 0 && badLabel.stderr.contains("fraud"), "\(badLabel.stderr)")
            let decided = try cli.assay(["arbitration", "decide", caseID, "--labels", "scam", "--by", "rita", "--promote-to-gold"])
            #expect(decided.status == 0 && decided.stdout.contains("decided: scam"), "\(decided.stdout)\(decided.stderr)")
            #expect(try cli.assay(["gold", "list", "--queue", "ads"]).stdout.contains("ad-5,scam,active"))
            let item = try #require(try await cli.store { store in
                try await store.finalLabels(in: try await store.queue("ads").id, after: nil, limit: 10).first { $0.externalID == "ad-1" }
            })
            let appealed = try cli.assay(["arbitration", "appeal", String(item.itemID), "--by", "ann", "--note", "looks like a scam"])
            #expect(appealed.status == 0, "\(appealed.stderr)")
            #expect(try cli.assay(["arbitration", "list", "--queue", "ads"]).stdout.contains(",ad-1,appeal,"))
            // A vendor lead added with --vendor and --team appeals only for their own people, here as in the API:
            // other tools' people made every judgment, so ad-2 is not theirs.
            try await cli.store { store in
                let vendor = try await store.createVendor(named: "Northwind BPO", now: Date())
                _ = try await store.createTeam(named: "Nights", in: vendor.id, now: Date())
            }
            let lead = try cli.assay([
                "users", "add", "Lena", "--role", "vendor_lead", "--external-id", "lena", "--vendor", "Northwind BPO", "--team", "Nights",
            ])
            #expect(lead.status == 0, "\(lead.stderr)")
            #expect(try cli.assay(["users", "add", "Lou", "--team", "Nights"]).stderr.contains("--team needs --vendor"))
            #expect(try cli.assay(["users", "add", "Lou", "--vendor", "Acme"]).stderr.contains("vendor 'Acme' was not found"))
            let other = try #require(try await cli.store { store in
                try await store.finalLabels(in: try await store.queue("ads").id, after: nil, limit: 10).first { $0.externalID == "ad-2" }
            })
            let outOfScope = try cli.assay(["arbitration", "appeal", String(other.itemID), "--by", "lena"])
            #expect(outOfScope.status != 0 && outOfScope.stderr.contains("their own vendor's people judged"), "\(outOfScope.stderr)")

            // QA: every imported judgment was sampled (qa_rate=1); nothing reviewed yet.
            let qa = try cli.assay(["qa", "report", "--queue", "ads"])
            #expect(qa.status == 0 && qa.stdout.contains(#""pending" :"#), "\(qa.stdout)\(qa.stderr)")

            // Exams and calibration from JSON files shaped like the API bodies.
            let exam = try cli.write("exam.json", #"{"name": "Entry", "items": ["ad-5"], "pass_mark": 1}"#)
            let created = try cli.assay(["exams", "create", exam, "--queue", "ads", "--by", "rita"])
            #expect(created.status == 0 && created.stdout.contains("Created exam 'Entry'"), "\(created.stdout)\(created.stderr)")
            #expect(try cli.assay(["exams", "list", "--queue", "ads"]).stdout.contains(",Entry,1,1.0,"))
            let badExam = try cli.assay(["exams", "create", try cli.write("bad-exam.json", #"{"name": "X", "items": ["ad-5"]}"#),
                                         "--queue", "ads", "--by", "rita"])
            #expect(badExam.status != 0 && badExam.stderr.contains("bad-exam.json: not an exam: pass_mark: is required"), "\(badExam.stderr)")
            let session = try cli.write("calibration.json", #"{"name": "Week 48", "items": ["ad-5"], "participants": {"people": []}, "closes_at": "2099-01-01T00:00:00Z"}"#)
            let empty = try cli.assay(["calibration", "create", session, "--queue", "ads", "--by", "ann"])
            #expect(empty.status != 0 && empty.stderr.contains("calibration.json:"), "\(empty.stderr)")
            let alID = try await cli.store { try await $0.person(externalID: "al").id }
            let good = try cli.write("calibration2.json", """
                {"name": "Week 48", "items": ["ad-5"], "participants": {"people": ["\(alID)"]}, "closes_at": "2099-01-01T00:00:00Z"}
                """)
            let calibration = try cli.assay(["calibration", "create", good, "--queue", "ads", "--by", "ann"])
            #expect(calibration.status == 0, "\(calibration.stderr)")
            let sessionID = try #require(calibration.stdout.firstMatch(of: /id ([0-9A-F-]{36})/)?.1)
            let report = try cli.assay(["calibration", "report", String(sessionID)])
            #expect(report.status == 0 && report.stdout.contains(#""people" : ["#), "\(report.stdout)\(report.stderr)")
        }
    }
}
