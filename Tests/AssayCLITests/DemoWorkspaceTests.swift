import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@testable import AssayCLI

/// The demo a newcomer sees first: built small here, checked for what makes it believable.
@Suite("Demo workspace")
struct DemoWorkspaceTests {
    /// Thursday 2026-12-03, 15:00 UTC.
    static let fixedNow = Date(timeIntervalSince1970: 1_796_310_000)

    @Test("a small demo has three vendors of twenty differently named annotators, five queues with gold, and weeks of work")
    func smallDemo() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            // The simulation is seeded; with the clock fixed too, the workspace is the same on every run. (With the
            // real time, the day of the week moved the seeded draws, and in some hours none of the few items the
            // model auto-accepted in this small demo was drawn for audit.)
            let now = Self.fixedNow
            let summary = try await DemoWorkspace(itemCount: 800, seed: 7).build(in: store, now: now) { _ in }
            #expect(summary.queues.count == 5)
            #expect(summary.goldItems > 0 && summary.judgments > summary.items)
            let vendors = try await store.vendors()
            #expect(vendors.count == 3)
            for vendor in vendors {
                let people = try await store.people(ofVendor: vendor.id, after: nil, limit: 100).filter { $0.role == .annotator }
                #expect(people.count == 20, "\(vendor.name)")
                #expect(Set(people.map(\.name)).count == people.count, "no two annotators of \(vendor.name) share a name")
                #expect(people.allSatisfy { $0.teamID != nil })
            }
            // Every screen has something to show: QA verdicts, decisions and arbitration, exams, a calibration.
            let queues = try await store.queues()
            let facts = try await store.reportFacts(queues: queues, from: now.addingTimeInterval(-41 * 86_400), to: now)
            let total = facts.total
            #expect(total.qa.answered > 0 && total.gold.answered > 0)
            let decisions = try #require(total.decisions)
            #expect(decisions.decided > 0 && decisions.arbitrated > 0 && decisions.slaCounted > 0 && total.alpha != nil)
            #expect(Set(facts.breakdown(by: .week).map(\.key)).count >= 6, "six weeks of work")
            for queue in queues { #expect(try await store.exams(in: queue.id).count == 1, "\(queue.name)") }
            // Each queue has its policy, with a passage for each of its labels (the workbench shows them).
            for queue in queues {
                let guideline = try await store.guideline(of: queue.id, version: nil, now: now)
                #expect(Set(guideline.passages.keys) == Set(queue.schema.labels.map(\.code)), "\(queue.name)")
            }
            let week = BusinessReview.Period.week.lastComplete(before: now)
            #expect(try await store.calibrations(in: queues.map(\.id), closingFrom: week.start, to: week.end).count == 2)
            // The English comments queue works with the triage model: some items auto-accepted, audited, measured.
            let comments = try #require(queues.first { $0.name == "comments-en" })
            let autoAccept = try await store.autoAcceptReport(of: comments)
            #expect(autoAccept.autoAccepted > 0 && autoAccept.audited > 0 && autoAccept.precision.answered > 0)
            let alignment = try await store.alignment(of: comments)
            #expect(alignment.agreement.answered > 0 && alignment.gold.model.answered > 0 && alignment.kappa != nil)
            // The preference queue decides which reply is better, from the simulated choices.
            let replies = try #require(queues.first { $0.name == "assistant-replies" })
            #expect(replies.schema.kind == .preference)
            #expect(!(try await store.decidedItems(in: replies, after: nil, limit: 10).isEmpty))
            #expect(!(try await store.exposureByTeam(
                labels: DemoQueues.severeCodes, from: now.addingTimeInterval(-41 * 86_400), to: now, limit: 40).isEmpty))
        }
    }

    @Test("assay demo builds once, then reuses the workspace and says that --items would change nothing")
    func demoCommandReuses() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let file = folder.folder.appendingPathComponent("demo.sqlite").path
        let environment = ["ASSAY_DATABASE_URL": ""]
        let built = try ServerProcess.run(["demo", "--items", "100", "--no-serve", "--db", file], environment: environment)
        #expect(built.status == 0 && built.stdout.contains("Built 5 queues"), "\(built.stdout)\n\(built.stderr)")
        #expect(built.stdout.contains("admin: "), "tokens are printed")
        let again = try ServerProcess.run(["demo", "--items", "500", "--no-serve", "--db", file], environment: environment)
        #expect(again.status == 0 && again.stdout.contains("Reusing the demo workspace"), "\(again.stdout)")
        #expect(again.stdout.contains("--items and --seed shape a new workspace; this one exists, so they change nothing"), "\(again.stdout)")
        // While a server has the file, the demo neither rebuilds it under the server's feet nor hands out tokens.
        let server = try ServerProcess.serve(sqlitePath: file)
        let rebuilt = try ServerProcess.run(["demo", "--no-serve", "--rebuild", "--db", file], environment: environment)
        server.stop()
        #expect(rebuilt.status != 0 && rebuilt.stderr.contains("another assay server (process "), "\(rebuilt.stderr)")
        #expect(!rebuilt.stdout.contains("admin: ") && FileManager.default.fileExists(atPath: file), "\(rebuilt.stdout)")
        let quiet = try ServerProcess.run(["demo", "--no-serve", "--db", file], environment: environment)
        #expect(quiet.status == 0 && !quiet.stdout.contains("change nothing"), "\(quiet.stdout)")
        // Without a server, it says how to start one before offering a URL.
        #expect(quiet.stdout.contains("Serve it with:  assay serve --db \(file)"), "\(quiet.stdout)")
        #expect(quiet.stdout.contains("/api/v1/queues/comments-en/stats"), "\(quiet.stdout)")
    }

    @Test("assay demo refuses a workspace that is not the demo's, and --rebuild on PostgreSQL, changing nothing")
    func demoCommandRefusesOtherWorkspaces() async throws {
        try await CLISandbox.with(.sqlite) { cli in
            let queue = try cli.write("queue.json", #"{"name": "mine", "schema": {"kind": "single_choice", "labels": [{"code": "a"}, {"code": "b"}]}}"#)
            let created = try cli.assay(["queues", "create", queue])
            try #require(created.status == 0, "\(created.stderr)")
            let peopleBefore = try await cli.store { store in try await store.people(ofVendor: nil, after: nil, limit: 100).count }
            let refused = try cli.assay(["demo", "--no-serve"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("holds a workspace that is not Assay's demo (it has queues, none of them 'comments-en')"),
                    "\(refused.stderr)")
            #expect(!refused.stdout.contains("admin:"), "no token is printed: \(refused.stdout)")
            #expect(try await cli.store { store in try await store.queues().map(\.name) } == ["mine"])
            #expect(try await cli.store { store in try await store.people(ofVendor: nil, after: nil, limit: 100).count } == peopleBefore)
        }
        // A workspace a server was started on (its admin made, no queue yet) is someone's too.
        try await CLISandbox.with(.sqlite) { cli in
            _ = try await cli.store { store in
                try await store.createPerson(PersonDraft(externalID: "admin", name: "Admin", role: .admin), now: Date())
            }
            let refused = try cli.assay(["demo", "--no-serve"])
            #expect(refused.status != 0 && refused.stderr.contains("(it has people and no queue)"), "\(refused.stderr)")
            #expect(try await cli.store { store in try await store.queues().isEmpty })
        }
        let rebuilt = try ServerProcess.run(
            ["demo", "--no-serve", "--rebuild"], environment: ["ASSAY_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"])
        #expect(rebuilt.status != 0 && rebuilt.stderr.contains("--rebuild deletes the demo's SQLite file"), "\(rebuilt.stderr)")
    }
}
