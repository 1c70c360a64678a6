import ArgumentParser
import AssayCLI
import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// The CLI as a user runs it: the built `assay` binary, on a SQLite file or, through ASSAY_DATABASE_URL,
/// on PostgreSQL.
@Suite("assay import / export / queues / users")
struct ImportExportCommandTests {
    @Test("a misspelt column of a CSV is told once, on the header's line, not on every row")
    func headerSlipOnce() async throws {
        try await CLISandbox.with(.sqlite) { cli in
            let queue = try cli.write("queue.json", #"{"name": "reviews", "overlap": 1, "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "spam"}]}}"#)
            #expect(try cli.assay(["queues", "create", queue]).status == 0)
            _ = try cli.assay(["import", try cli.write("items.csv", "external_id,text\nc-1,a\nc-2,b\nc-3,c\n"), "--queue", "reviews"])
            let judgments = try cli.write("judged.csv", """
                item_external_id,annotator_external_id,label,rationnale,submitted_at
                c-1,w-1,ok,fine,2026-11-02T10:00:00Z
                c-2,w-1,ok,fine,2026-11-02T10:00:00Z
                c-3,w-1,spam,scam,2026-11-02T10:00:00Z

                """)
            let refused = try cli.assay(["import", judgments, "--queue", "reviews", "--judgments"])
            #expect(refused.status != 0)
            let told = refused.stderr.components(separatedBy: "rationnale: not a column Assay reads").count - 1
            #expect(told == 1 && refused.stderr.contains("judged.csv:1: rationnale: not a column Assay reads; did you mean rationale?"),
                    "\(refused.stderr)")
        }
    }

    @Test("assay --version prints the version the OpenAPI document states")
    func version() throws {
        let shown = try ServerProcess.run(["--version"])
        #expect(shown.status == 0 && shown.stdout == "\(AssayVersion.current)\n", "\(shown)")
    }

    @Test("import reports every bad row with FILE:LINE and imports nothing; then imports, re-imports and exports",
          arguments: TestBackend.allCases)
    func importAndExport(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let folder = cli.folder
            let queueFile = folder.appendingPathComponent("queue.json")
            try Data(#"{"name": "reviews", "overlap": 1, "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "spam"}]}}"#.utf8)
                .write(to: queueFile)
            let created = try cli.assay(["queues", "create", queueFile.path])
            #expect(created.status == 0, "\(created.stderr)")

            let bad = folder.appendingPathComponent("bad.csv")
            try Data("external_id,text,priority\nr-1,fine,1\nr-2,broken,high\n,no id,0\n".utf8).write(to: bad)
            let refused = try cli.assay(["import", bad.path, "--queue", "reviews"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("bad.csv:3: priority: must be a whole number"), "\(refused.stderr)")
            #expect(refused.stderr.contains("bad.csv:4: external_id: is required"), "\(refused.stderr)")

            let good = folder.appendingPathComponent("items.jsonl")
            let lines = (1...2_500).map { #"{"external_id": "r-\#($0)", "text": "review number \#($0)"}"# }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: good)
            let imported = try cli.assay(["import", good.path, "--queue", "reviews", "--batch-size", "1000"])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Imported 2500 of 2500 rows"), "\(imported.stdout)")
            // Both passes show a bar: checking a million rows takes seconds too.
            #expect(imported.stdout.contains("Checking \(good.path) [Done]") && imported.stdout.contains("Importing \(good.path) [Done]"))
            let again = try cli.assay(["import", good.path, "--queue", "reviews"])
            #expect(again.stdout.contains("Imported 0 of 2500 rows into 'reviews' (2500 already there)"), "\(again.stdout)")

            let unknownItem = folder.appendingPathComponent("unknown.csv")
            try Data("item_external_id,annotator_external_id,label,submitted_at\nr-1,w-9,spam,2026-11-01T10:00:00Z\nnope,w-9,ok,2026-11-01T10:01:00Z\n".utf8)
                .write(to: unknownItem)
            let refusedJudgments = try cli.assay(["import", unknownItem.path, "--queue", "reviews", "--judgments"])
            #expect(refusedJudgments.status != 0)
            #expect(refusedJudgments.stderr.contains("unknown.csv:3: item_external_id: no item 'nope'"), "\(refusedJudgments.stderr)")

            let judgments = folder.appendingPathComponent("judgments.csv")
            try Data("item_external_id,annotator_external_id,label,submitted_at\nr-1,w-1,spam,2026-11-01T10:00:00Z\nr-2,w-1,ok,2026-11-01T10:01:00Z\n".utf8)
                .write(to: judgments)
            let judged = try cli.assay(["import", judgments.path, "--queue", "reviews", "--judgments"])
            #expect(judged.status == 0, "\(judged.stderr)")
            #expect(judged.stdout.contains("1 new annotators"))

            let exported = try cli.assay(["export", "--queue", "reviews", "--format", "csv"])
            #expect(exported.status == 0, "\(exported.stderr)")
            let rows = exported.stdout.split(separator: "\n")
            #expect(rows.count == 3)
            #expect(rows[1].hasPrefix("r-1,1,spam,unanimous,1.0000,1,,"))
            // To a file: written whole, or not at all. A failed export leaves the file as it was, and no partial.
            let file = folder.appendingPathComponent("labels.csv")
            let toFile = try cli.assay(["export", "--queue", "reviews", "--format", "csv", "--out", file.path])
            #expect(toFile.status == 0, "\(toFile.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8) == exported.stdout)
            let failed = try cli.assay(["export", "--queue", "no-such-queue", "--format", "csv", "--out", file.path])
            #expect(failed.status == 1 && failed.stderr.contains("queue 'no-such-queue' was not found"), "\(failed.stderr)")
            #expect(!failed.stderr.contains("Usage:"), "a failure of the work is not a usage mistake: \(failed.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8) == exported.stdout)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }
            #expect(leftovers.isEmpty, "\(leftovers)")

            let added = try cli.assay(["users", "add", "Maria Silva", "--role", "annotator", "--languages", "pt-BR"])
            #expect(added.status == 0)
            #expect(added.stdout.contains("API token (shown once): assay_"))
            let duplicate = try cli.assay(["users", "add", "Maria Silva"])
            #expect(duplicate.status != 0)
            #expect(duplicate.stderr.contains("already exists"))
            try await cli.store { store in
                let vendor = try await store.createVendor(named: "Northwind BPO", now: Date())
                for team in ["Manila B", "Manila A"] { _ = try await store.createTeam(named: team, in: vendor.id, by: nil, now: Date()) }
            }
            let wrongTeam = try cli.assay(["users", "add", "Lena Park", "--role", "vendor_lead", "--vendor", "Northwind BPO", "--team", "Nights"])
            #expect(wrongTeam.status == 1 && wrongTeam.stderr.contains("team 'Nights' was not found: its teams are Manila A, Manila B"),
                    "\(wrongTeam.stderr)")
        }
    }

    @Test("items keep the file's order across batches stored together; an external id named twice in a file is refused, naming both lines",
          arguments: TestBackend.allCases)
    func batchesKeepFileOrder(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let queueFile = cli.folder.appendingPathComponent("queue.json")
            try Data(#"{"name": "order", "overlap": 1, "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "spam"}]}}"#.utf8)
                .write(to: queueFile)
            #expect(try cli.assay(["queues", "create", queueFile.path]).status == 0)
            func write(_ name: String, _ ids: [String]) throws -> String {
                let file = cli.folder.appendingPathComponent(name)
                let lines = ids.enumerated().map { #"{"external_id": "\#($1)", "text": "row \#($0 + 1)"}"# }
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
                return file.path
            }
            // Batches of 3, stored two at a time on PostgreSQL.
            let items = try write("items.jsonl", ["a", "b", "c", "d", "e", "f", "g"])
            let imported = try cli.assay(["import", items, "--queue", "order", "--batch-size", "3"])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Imported 7 of 7 rows into 'order'"), "\(imported.stdout)")
            func stored() async throws -> [Item] {
                try await cli.store { store in try await store.items(in: try await store.queue("order").id, after: nil, limit: 100) }
            }
            #expect(try await stored().map(\.externalID) == ["a", "b", "c", "d", "e", "f", "g"])

            // "b" again in the next batch, "a" two batches on, "h" twice in one batch: the second row's content
            // would be lost as "already there", so the file is refused, every repeat named, and nothing stored.
            let repeats = try write("repeats.jsonl", ["h", "b", "i", "b", "j", "h", "a", "k"])
            let refused = try cli.assay(["import", repeats, "--queue", "order", "--batch-size", "3"])
            #expect(refused.status == 1)
            for line in ["repeats.jsonl:4: external_id: 'b' is already on line 2", "repeats.jsonl:6: external_id: 'h' is already on line 1"] {
                #expect(refused.stderr.contains(line), "\(refused.stderr)")
            }
            #expect(try await stored().count == 7)
            // A re-import of a file, by contrast, skips what is there: that is how an interrupted load is resumed.
            let again = try cli.assay(["import", items, "--queue", "order", "--batch-size", "3"])
            #expect(again.status == 0 && again.stdout.contains("Imported 0 of 7 rows into 'order' (7 already there)"), "\(again.stdout)")
            #expect(try await stored().map { $0.content["text"] } == (1...7).map { .string("row \($0)") })

            // A batch of none would never read the file: refused before anything starts.
            let none = try cli.assay(["import", items, "--queue", "order", "--batch-size", "0"])
            #expect(none.status != 0 && none.stderr.contains("--batch-size must be at least 1, got 0"), "\(none.stderr)")

            // A judgments file giving one person's answer on one item twice is refused with both lines, in one
            // batch or two: the second answer would otherwise be dropped as "already there".
            let twice = cli.folder.appendingPathComponent("twice.csv")
            try Data("""
                item_external_id,annotator_external_id,labels,submitted_at
                a,w1,spam,2026-12-01T10:00:00Z
                b,w1,spam,2026-12-01T10:00:00Z
                c,w1,spam,2026-12-01T10:00:00Z
                a,w1,ok,2026-12-01T10:01:00Z
                """.utf8).write(to: twice)
            let judged = try cli.assay(["import", twice.path, "--queue", "order", "--judgments", "--batch-size", "2"])
            #expect(judged.status == 1 && judged.stderr.contains("twice.csv:5: annotator_external_id: 'w1' already judged item 'a' on line 2"),
                    "\(judged.stderr)")
        }
    }

    @Test("an id's two Unicode spellings are one id: a file naming both is refused, and judgments under either find the item",
          arguments: TestBackend.allCases)
    func composedIDs(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let queueFile = try cli.write("queue.json", #"{"name": "cafes", "overlap": 2, "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "spam"}]}}"#)
            #expect(try cli.assay(["queues", "create", queueFile]).status == 0)
            let (precomposed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
            #expect(precomposed == decomposed && Array(precomposed.utf8) != Array(decomposed.utf8), "equal to Swift, not to a database")
            // In two batches, which PostgreSQL's loader stores two at a time.
            let both = try cli.write("both.jsonl", [precomposed, "tea", decomposed].map { #"{"external_id": "\#($0)", "text": "x"}"# }.joined(separator: "\n"))
            let refused = try cli.assay(["import", both, "--queue", "cafes", "--batch-size", "2"])
            #expect(refused.status == 1 && refused.stderr.contains("both.jsonl:3: external_id: '\(precomposed)' is already on line 1"), "\(refused.stderr)")
            let one = try cli.write("one.jsonl", #"{"external_id": "\#(decomposed)", "text": "x"}"#)
            #expect(try cli.assay(["import", one, "--queue", "cafes"]).status == 0)
            let judgments = try cli.write("judgments.csv", """
                item_external_id,annotator_external_id,label,submitted_at
                \(precomposed),jos\u{E9},ok,2026-12-01T10:00:00Z
                \(decomposed),jose\u{301},ok,2026-12-01T10:01:00Z
                """)
            // One item, one person (josé spelt two ways): the second row is the same judgment again, refused as a repeat.
            let judged = try cli.assay(["import", judgments, "--queue", "cafes", "--judgments"])
            #expect(judged.status == 1 && judged.stderr.contains("judgments.csv:3: annotator_external_id: 'jos\u{E9}' already judged item '\(precomposed)' on line 2"),
                    "\(judged.stderr)")
            let first = try cli.write("first.csv", """
                item_external_id,annotator_external_id,label,submitted_at
                \(decomposed),jose\u{301},ok,2026-12-01T10:01:00Z
                """)
            #expect(try cli.assay(["import", first, "--queue", "cafes", "--judgments"]).status == 0)
            let items = try await cli.store { store in try await store.items(in: try await store.queue("cafes").id, after: nil, limit: 10) }
            #expect(items.count == 1 && Array(items[0].externalID.utf8) == Array(precomposed.utf8), "stored composed")
            let stats = try await cli.store { store in try await store.stats(of: try await store.queue("cafes").id) }
            #expect(stats.judgments == 1 && stats.completedItems == 0, "the decomposed spelling found the composed item")
        }
    }

    @Test("export --judgments writes every answer in the import's columns: it goes into assay agree, and back into a queue, as it is",
          arguments: TestBackend.allCases)
    func judgmentsRoundTrip(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            for name in ["first", "second"] {
                let queue = try cli.write("\(name).json", #"{"name": "\#(name)", "overlap": 2, "schema": {"kind": "single_choice", "labels": [{"code": "ok"}, {"code": "spam"}]}}"#)
                #expect(try cli.assay(["queues", "create", queue]).status == 0)
                #expect(try cli.assay(["import", try cli.write("items-\(name).csv", "external_id,text\nc-1,a\nc-2,b\nc-3,c\n-x1,d\n"), "--queue", name]).status == 0)
            }
            let judgments = try cli.write("judgments.csv", """
                item_external_id,annotator_external_id,labels,rationale,started_at,submitted_at
                c-1,w-1,ok,,,2026-12-01T10:00:00Z
                c-1,w-2,ok,"looks fine, really",2026-12-01T09:59:30Z,2026-12-01T10:01:00Z
                c-2,w-1,spam,,,2026-12-01T10:02:00Z
                c-2,w-2,ok,,,2026-12-01T10:03:00Z
                c-3,w-1,spam,,,2026-12-01T10:04:00Z
                -x1,josé,spam,,,2026-12-01T10:05:00Z
                """)
            #expect(try cli.assay(["import", judgments, "--queue", "first", "--judgments"]).status == 0)

            let exported = try cli.assay(["export", "--queue", "first", "--judgments", "--format", "csv", "--out", "out.csv"])
            #expect(exported.status == 0 && exported.stdout.contains("Wrote 6 judgments to out.csv."), "\(exported.stderr)")
            let text = try String(contentsOf: cli.folder.appendingPathComponent("out.csv"), encoding: .utf8)
            #expect(text.split(separator: "\n").first == "item_external_id,annotator_external_id,labels,rationale,started_at,submitted_at,ranking")
            #expect(text.contains(#"c-1,w-2,ok,"looks fine, really",2026-12-01T09:59:30.000Z,2026-12-01T10:01:00.000Z,"#), "\(text)")
            // `agree` reads a file, not the workspace: run without the sandbox's database arguments.
            let agreed = try ServerProcess.run([
                "agree", cli.folder.appendingPathComponent("out.csv").path, "--item-column", "item_external_id",
                "--worker-column", "annotator_external_id", "--label-column", "labels", "--json",
            ], environment: [:], currentDirectory: cli.folder)
            #expect(agreed.status == 0 && agreed.stdout.contains(#""percent_agreement" : 0.5"#), "\(agreed.stdout) \(agreed.stderr)")
            let reimported = try cli.assay(["import", cli.folder.appendingPathComponent("out.csv").path, "--queue", "second", "--judgments"])
            #expect(reimported.status == 0, "\(reimported.stderr)")
            let jsonl = try cli.assay(["export", "--queue", "second", "--judgments"])
            #expect(jsonl.stdout.split(separator: "\n").count == 6, "an id that looks like a formula goes back as it is: \(jsonl.stdout)")
            #expect(text.contains("\n-x1,josé,spam,"), "written as it is, not neutralised: \(text)")
            #expect(jsonl.stdout.contains(#"{"annotator_external_id":"w-2","item_external_id":"c-1","labels":["ok"],"rationale":"looks fine, really","started_at":"2026-12-01T09:59:30.000Z","submitted_at":"2026-12-01T10:01:00.000Z"}"#),
                    "\(jsonl.stdout)")
            let both = try cli.assay(["export", "--queue", "first", "--judgments", "--label-studio"])
            #expect(both.status == 64, "one kind of export at a time")
        }
    }

    @Test("a file that cannot be used fails with FILE[:LINE:COLUMN] and no usage line; a mistyped id is a usage mistake")
    func badFilesAndIDs() async throws {
        try await CLISandbox.with(.sqlite) { cli in
            let missing = try cli.assay(["queues", "create", cli.folder.appendingPathComponent("nope.json").path])
            #expect(missing.status == 1 && missing.stderr.contains("nope.json: no such file"), "\(missing.stderr)")
            #expect(!missing.stderr.contains("Usage:"), "\(missing.stderr)")
            // A folder where a file was meant is named as one, by every kind of command that reads a file.
            let folder = cli.folder.appendingPathComponent("rows.jsonl")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for arguments in [["queues", "create", folder.path], ["import", folder.path, "--queue", "reviews"], ["agree", folder.path]] {
                // `agree` reads a file and no workspace, so it takes no --db.
                let refusedFolder = arguments[0] == "agree"
                    ? try ServerProcess.run(arguments, environment: [:], currentDirectory: cli.folder) : try cli.assay(arguments)
                #expect(refusedFolder.status == 1 && refusedFolder.stderr.contains("rows.jsonl is a folder; name a file"),
                        "\(arguments[0]): \(refusedFolder.stderr)")
            }

            let broken = try cli.write("broken.json", "{\n  \"name\": \"reviews\",\n  overlap: 2\n}\n")
            let refused = try cli.assay(["queues", "create", broken])
            #expect(refused.status == 1 && refused.stderr.contains("broken.json:3:3: not valid JSON: invalid value"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("Usage:"), "\(refused.stderr)")

            let mistyped = try cli.write("mistyped.json", #"{"name": "reviews", "overlap": "two", "schema": {"kind": "single_choice", "labels": [{"code": "ok"}]}}"#)
            let wrongKind = try cli.assay(["queues", "create", mistyped])
            #expect(wrongKind.status == 1 && wrongKind.stderr.contains("mistyped.json: not a queue definition: overlap: must be a whole number"),
                    "\(wrongKind.stderr)")
            #expect(try await cli.store { try await $0.queues().isEmpty }, "nothing was created")
            let huge = try cli.write("huge.json", "{\n  \"name\": \"reviews\",\n  \"overlap\": 1e400,\n  \"schema\": {\"kind\": \"single_choice\", \"labels\": [{\"code\": \"a\"}, {\"code\": \"b\"}]}\n}\n")
            let outOfRange = try cli.assay(["queues", "create", huge])
            #expect(outOfRange.status == 1 && outOfRange.stderr.contains("huge.json:3:14: not valid JSON: number 1e400 is out of range"),
                    "placed where the number is: \(outOfRange.stderr)")
            let fraction = try cli.write("fraction.json", #"{"name": "reviews", "overlap": 2.5, "schema": {"kind": "single_choice", "labels": [{"code": "a"}, {"code": "b"}]}}"#)
            let unfit = try cli.assay(["queues", "create", fraction])
            #expect(unfit.status == 1 && unfit.stderr.contains("fraction.json: not a queue definition: overlap: must be a whole number that fits, got 2.5"),
                    "the field is named: \(unfit.stderr)")

            // A SQLite file that does not exist is not made, empty, by a command that only reads.
            let stray = cli.folder.appendingPathComponent("typo.sqlite").path
            let noWorkspace = try ServerProcess.run(["scores", "--queue", "reviews", "--db", stray], environment: ["ASSAY_DATABASE_URL": ""])
            #expect(noWorkspace.status == 1 && noWorkspace.stderr.contains("no workspace at \(stray): the file does not exist"),
                    "\(noWorkspace.stderr)")
            #expect(!FileManager.default.fileExists(atPath: stray))
            // Nor is an empty file (made by `touch`) turned into a workspace.
            let touched = cli.folder.appendingPathComponent("touched.sqlite").path
            FileManager.default.createFile(atPath: touched, contents: Data())
            let emptyFile = try ServerProcess.run(["queues", "--db", touched], environment: ["ASSAY_DATABASE_URL": ""])
            #expect(emptyFile.status == 1 && emptyFile.stderr.contains("no workspace at \(touched): the file is empty"),
                    "\(emptyFile.stderr)")
            #expect((try FileManager.default.attributesOfItem(atPath: touched)[.size] as? NSNumber)?.intValue == 0)
            // ASSAY_DB names the default file.
            let created = try cli.write("ok.json", #"{"name": "envq", "overlap": 1, "schema": {"kind": "single_choice", "labels": [{"code": "a"}, {"code": "b"}]}}"#)
            let viaEnvironment = cli.folder.appendingPathComponent("from-env.sqlite").path
            let made = try ServerProcess.run(["queues", "create", created], environment: ["ASSAY_DB": viaEnvironment, "ASSAY_DATABASE_URL": ""])
            #expect(made.status == 0 && FileManager.default.fileExists(atPath: viaEnvironment), "\(made.stderr)")
            let listed = try ServerProcess.run(["queues"], environment: ["ASSAY_DB": viaEnvironment, "ASSAY_DATABASE_URL": ""])
            #expect(listed.status == 0 && listed.stdout.contains("envq"), "\(listed.stdout) \(listed.stderr)")

            // A token by the person's external id, as every --by names people; an unknown one is named.
            #expect(try cli.assay(["users", "add", "Tok Person", "--external-id", "tok"]).status == 0)
            let byExternalID = try cli.assay(["users", "token", "tok"])
            #expect(byExternalID.status == 0 && byExternalID.stdout.hasPrefix("assay_"), "\(byExternalID.stderr)")
            let unknown = try cli.assay(["users", "token", "not-an-id"])
            #expect(unknown.status == 1 && unknown.stderr.contains("person 'not-an-id' was not found"), "\(unknown.stderr)")
            #expect(try cli.assay(["queues", "create", created]).status == 0)
            let empty = try cli.assay(["import", try cli.write("empty.jsonl", ""), "--queue", "envq"])
            #expect(empty.status == 1 && empty.stderr.contains("empty.jsonl: the file has no rows"), "\(empty.stderr)")
        }
    }

    @Test("an unreachable PostgreSQL stops a command and the server at the start, with the place and the reason")
    func unreachablePostgres() throws {
        // Port 1 on 127.0.0.1: nothing listens there, and nobody but root could.
        let environment = ["ASSAY_DATABASE_URL": "postgres://assay:secret@127.0.0.1:1/assay", "SWIFT_BACKTRACE": "enable=no"]
        for arguments in [["queues", "list"], ["serve", "--port", "0"]] {
            let run = try ServerProcess.run(arguments, environment: environment)
            #expect(run.status == 1, "\(arguments): exit \(run.status): \(run.stderr)")
            #expect(run.stderr.contains("Error: cannot use PostgreSQL at postgres://assay:***@127.0.0.1:1/assay: connection refused"),
                    "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("secret") && !run.stderr.contains("PSQLError"), "\(arguments): \(run.stderr)")
        }
    }

    @Test("serve refuses a port out of range before starting, and names a port that is taken")
    func ports() async throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let database = folder.folder.appendingPathComponent("ports.sqlite").path
        let tooHigh = try ServerProcess.run(["serve", "--port", "99999", "--db", database])
        #expect(tooHigh.status == 64 && tooHigh.stderr.contains("'99999' is invalid for '--port <port>': not a port: 0 to 65535"),
                "\(tooHigh.stderr)")
        let first = try ServerProcess.serve(sqlitePath: database)
        defer { first.stop() }
        let port = try #require(URLComponents(string: first.baseURL)?.port)
        let other = folder.folder.appendingPathComponent("other.sqlite").path
        let second = try ServerProcess.run(["serve", "--port", "\(port)", "--db", other])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("Error: cannot listen on 127.0.0.1:\(port): the port is in use"), "\(second.stderr)")
    }

    @Test("a second server on one SQLite file is refused, naming the first; once it stops, the file can be served again")
    func oneServerPerFile() async throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let database = folder.folder.appendingPathComponent("one.sqlite").path
        let first = try ServerProcess.serve(sqlitePath: database)
        defer { first.stop() }
        let second = try ServerProcess.run(["serve", "--port", "0", "--db", database], environment: ["ASSAY_DATABASE_URL": ""])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("another assay server (process ") && second.stderr.contains("is serving \(database)"),
                "\(second.stderr)")
        // Commands beside it still work.
        #expect(try ServerProcess.run(["queues", "--db", database], environment: ["ASSAY_DATABASE_URL": ""]).status == 0)
        first.stop()
        let again = try ServerProcess.serve(sqlitePath: database)
        again.stop()
    }

    @Test("assay --help lists every command")
    func help() throws {
        let help = try ServerProcess.run(["--help"])
        for command in ["serve", "demo", "import", "export", "users", "queues"] {
            #expect(help.stdout.contains(command), "\(command) missing from --help")
        }
    }

    @Test("every command's help reads as paragraphs: no sentence broken by a line break in the source")
    func helpParagraphs() {
        func commands(_ command: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
            [command] + command.configuration.subcommands.flatMap(commands)
        }
        for command in commands(AssayCommand.self) {
            let help = AssayCommand.helpMessage(for: command, columns: 80)
            let text = help.components(separatedBy: "USAGE:")[0].split(separator: "\n", omittingEmptySubsequences: false)
            // ArgumentParser wraps at the terminal's width; a newline in the source as well leaves a short line
            // followed by the rest of the sentence, in lower case.
            let name = command.configuration.commandName ?? "\(command)"
            for (line, next) in zip(text, text.dropFirst()) where line.count < 60 && !line.isEmpty {
                let continues = next.first.map { $0.isLowercase } ?? false
                #expect(!continues, "\(name): '\(line)' / '\(next)'")
            }
            // A backslash ends only an indented example line that goes on, indented, on the next: one in prose is a
            // Swift line continuation written twice, and one outdented is an example the wrapping broke.
            // An indented block (examples, a list) fits the width: a line of it wrapped goes on at the margin.
            for (line, next) in zip(text, text.dropFirst()) where line.hasPrefix("  ") && !next.isEmpty {
                #expect(next.hasPrefix("  "), "\(name): '\(line)' / '\(next)'")
            }
            for (line, next) in zip(text, text.dropFirst()) where line.hasSuffix("\\") {
                #expect(line.hasPrefix("  ") && next.hasPrefix("    "), "\(name): '\(line)' / '\(next)'")
            }
        }
    }
}
