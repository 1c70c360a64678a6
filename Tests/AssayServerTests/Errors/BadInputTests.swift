import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// Every kind of bad input gets a 4xx with a message a person can act on, and changes nothing.
@Suite("Bad input")
struct BadInputTests {
    /// What the database holds, to compare before and after a rejected request.
    struct Snapshot: Equatable {
        let stats: QueueStats
        let judgments: Int
        let queues: Int
    }

    func snapshot(_ server: LiveServer, _ queue: Queue, item: Int64) async throws -> Snapshot {
        Snapshot(
            stats: try await server.store.stats(of: queue.id), judgments: try await server.store.judgments(of: item).count,
            queues: try await server.store.queues().count)
    }

    @Test("each bad request is refused with a clear 4xx and leaves the database as it was", arguments: TestBackend.allCases)
    func refusesAndChangesNothing(on backend: TestBackend) async throws {
        try await LiveServer.with(backend, maxImportBytes: 64 * 1024) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 2)
            try await Fixtures.items(server.store, into: queue, count: 3)
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0].token
            let client = LoopClient(server: server, token: annotator)
            let lease = try #require(try await client.next(queue.name))
            let before = try await snapshot(server, queue, item: lease.itemID)

            let malformed = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator,
                body: Data("{\"labels\": [".utf8))
            #expect(malformed.status == .badRequest, "malformed JSON: \(malformed.text)")
            #expect(malformed.reason == "the body is not valid JSON: line 1, column 13: unexpected end of file", "\(malformed.reason)")
            // A number its field cannot hold is named by its field, which Foundation's decoder leaves out.
            let fraction = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator,
                body: Data(#"{"labels": ["spam"], "time_spent_ms": 1.5}"#.utf8))
            #expect(fraction.status == .badRequest && fraction.reason == "time_spent_ms: must be a whole number that fits, got 1.5",
                    "\(fraction.reason)")
            let tooLong = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator,
                body: Data(#"{"labels": ["spam"], "time_spent_ms": 1e20}"#.utf8))
            #expect(tooLong.reason.hasPrefix("time_spent_ms: must be a whole number that fits, got 100000000000000000000"), "\(tooLong.reason)")
            let empty = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator, body: Data("  ".utf8))
            #expect(empty.status == .badRequest && empty.reason == "the body is empty; send a JSON object", "\(empty.reason)")
            // curl -d without -H 'Content-Type: application/json' sends JSON labelled as a form.
            for contentType in ["application/x-www-form-urlencoded", "text/plain", nil] {
                let notJSON = try await server.request(
                    .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator,
                    body: Data(#"{"labels": ["spam"]}"#.utf8), contentType: contentType)
                #expect(notJSON.status == .unsupportedMediaType, "\(contentType ?? "none"): \(notJSON.text)")
                #expect(notJSON.reason.hasPrefix("the body must be JSON, sent with Content-Type: application/json (it came "),
                        "\(notJSON.reason)")
            }
            // The media type's case does not matter: this is JSON, refused for its label, not for its type.
            let upperCase = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator,
                body: Data(#"{"labels": ["nope"]}"#.utf8), contentType: "Application/JSON; charset=utf-8")
            #expect(upperCase.status == .unprocessableEntity, "\(upperCase.text)")
            let wrongType = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator, json: ["labels": "spam"])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.reason == "labels: must be a list", "\(wrongType.reason)")
            let missingSchema = try await server.request(.POST, "/api/v1/queues", token: server.adminToken, json: ["name": "no-schema"])
            #expect(missingSchema.status == .badRequest)
            #expect(missingSchema.reason == "schema: is required", "\(missingSchema.reason)")

            let unknownLabel = try await client.submit(lease.assignmentID, labels: ["spamm"])
            #expect(unknownLabel.status == .unprocessableEntity)
            #expect(unknownLabel.reason.contains("'spamm' is not a label of this queue"))

            let twoLabels = try await client.submit(lease.assignmentID, labels: ["spam", "hate"])
            #expect(twoLabels.status == .unprocessableEntity)
            #expect(twoLabels.reason.contains("exactly one label"))

            let noToken = try await server.request(.GET, "/api/v1/queues/\(queue.name)/stats", token: .some(nil))
            #expect(noToken.status == .unauthorized)
            #expect(noToken.headers.first(name: "WWW-Authenticate") == "Bearer")
            #expect(noToken.reason.hasPrefix("send an API token as 'Authorization: Bearer <token>'"), "\(noToken.reason)")

            let wrongToken = try await server.request(.GET, "/api/v1/queues/\(queue.name)/stats", token: "assay_wrong")
            #expect(wrongToken.status == .unauthorized)
            #expect(wrongToken.reason.hasPrefix("that API token is unknown or was revoked"), "\(wrongToken.reason)")

            let otherScheme = try await server.request(
                .GET, "/api/v1/queues/\(queue.name)/stats", token: .some(nil), headers: ["Authorization": "Token \(annotator)"])
            #expect(otherScheme.status == .unauthorized)
            #expect(otherScheme.reason == "send the API token as 'Authorization: Bearer <token>', not 'Token …'", "\(otherScheme.reason)")
            let emptyBearer = try await server.request(
                .GET, "/api/v1/queues/\(queue.name)/stats", token: .some(nil), headers: ["Authorization": "Bearer "])
            #expect(emptyBearer.status == .unauthorized
                    && emptyBearer.reason == "the Authorization header says Bearer but carries no token after it", "\(emptyBearer.reason)")
            let twoWords = try await server.request(
                .GET, "/api/v1/queues/\(queue.name)/stats", token: .some(nil), headers: ["Authorization": "Bearer \(annotator) extra"])
            #expect(twoWords.status == .unauthorized && twoWords.reason.hasPrefix("the Authorization header's token is not one word"),
                    "\(twoWords.reason)")

            let annotatorOnAnalystRoute = try await server.request(
                .POST, "/api/v1/queues", token: annotator,
                json: ["name": "sneaky", "schema": ["kind": "single_choice", "labels": [["code": "a"], ["code": "b"]]]])
            #expect(annotatorOnAnalystRoute.status == .forbidden)
            #expect(annotatorOnAnalystRoute.reason.contains("annotator may not"))

            let annotatorExport = try await server.request(.GET, "/api/v1/queues/\(queue.name)/export", token: annotator)
            #expect(annotatorExport.status == .forbidden)

            let unknownQueue = try await server.request(.POST, "/api/v1/queues/no-such-queue/next", token: annotator)
            #expect(unknownQueue.status == .notFound)
            #expect(unknownQueue.reason.contains("no-such-queue"))

            let someoneElses = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment",
                token: try await Fixtures.annotators(server.store, count: 1, prefix: "other")[0].token,
                json: ["labels": ["spam"]])
            #expect(someoneElses.status == .notFound, "another person's assignment reads as not found")

            let huge = String(repeating: "external_id,text\n", count: 1) + (0..<5000).map { "big-\($0),\(String(repeating: "x", count: 20))" }
                .joined(separator: "\n")
            let oversized = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(huge.utf8), contentType: "text/csv")
            #expect(oversized.status == .payloadTooLarge)
            // A JSON body over the routes' 2 MB says so, and where large files go.
            let longGuideline = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/guidelines", json: ["markdown": .string(String(repeating: "x", count: 2_100_000))])
            #expect(longGuideline.status == .payloadTooLarge
                    && longGuideline.reason.hasPrefix("the body is larger than 2 MB, the most a JSON request may carry"),
                    "\(longGuideline.text.prefix(300))")

            let missingColumn = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data("text,language\nhello,en\n".utf8),
                contentType: "text/csv")
            #expect(missingColumn.status == .unprocessableEntity)
            #expect(missingColumn.reason.contains("no 'external_id' or 'id' column"))

            let badRow = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items",
                body: Data("{\"external_id\": \"n-1\", \"text\": \"ok\"}\n{\"external_id\": \"n-2\", \"priority\": \"high\", \"text\": \"x\"}\n".utf8),
                contentType: "application/x-ndjson")
            #expect(badRow.status == .unprocessableEntity)
            #expect(badRow.reason == "line 2: priority: must be a whole number from -2147483648 to 2147483647", "the good first row must not land either")

            // Rows in a type that names no format, or in none (curl --data-binary @file without -H), with no ?format=.
            for contentType in ["text/plain", nil] {
                let noFormat = try await server.request(
                    .POST, "/api/v1/queues/\(queue.name)/items", body: Data("external_id,text\nx-1,hi\n".utf8),
                    contentType: contentType)
                #expect(noFormat.status == .unsupportedMediaType, "\(contentType ?? "none"): \(noFormat.text)")
                #expect(noFormat.reason.hasPrefix(
                    "send the rows as text/csv, application/x-ndjson or application/json, or add ?format=csv|jsonl (it came "),
                    "\(noFormat.reason)")
            }

            let badQueue = try await server.request(
                .POST, "/api/v1/queues", json: ["name": "q", "overlap": 0, "schema": ["kind": "single_choice", "labels": [["code": "a"], ["code": "b"]]]])
            #expect(badQueue.status == .unprocessableEntity)
            #expect(badQueue.reason.contains("overlap: must be 1 to 50"), "\(badQueue.reason)")

            let duplicateQueue = try await server.request(
                .POST, "/api/v1/queues", json: ["name": .string(queue.name), "schema": ["kind": "single_choice", "labels": [["code": "a"], ["code": "b"]]]])
            #expect(duplicateQueue.status == .conflict)

            // A misspelt key is refused, not dropped: a dropped `client_key` would lose the retry safety it asks for,
            // a dropped `status` would leave a person active who was meant to start suspended.
            let misspeltKey = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/judgment", token: annotator,
                json: ["labels": ["spam"], "clientKey": "retry-1"])
            #expect(misspeltKey.status == .unprocessableEntity)
            #expect(misspeltKey.reason == "clientKey: not a field here (the fields are client_key, labels, ranking, rationale, time_spent_ms)",
                    "\(misspeltKey.reason)")
            let people = try await server.store.people(ofVendor: nil, after: nil, limit: 1_000).count
            let statusOnCreate = try await server.request(
                .POST, "/api/v1/people", json: ["name": "Sam", "role": "annotator", "status": "suspended"])
            #expect(statusOnCreate.status == .unprocessableEntity && statusOnCreate.reason.hasPrefix("status: not a field here"),
                    "\(statusOnCreate.reason)")
            let badLanguage = try await server.request(
                .POST, "/api/v1/people", json: ["name": "Sam", "role": "annotator", "languages": ["english"]])
            #expect(badLanguage.status == .unprocessableEntity && badLanguage.reason.hasPrefix("languages: 'english' is not a language code"),
                    "\(badLanguage.reason)")
            #expect(try await server.store.people(ofVendor: nil, after: nil, limit: 1_000).count == people)
            let guideline = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/guidelines", json: ["markdown": "# Rules", "labels": ["spam": "Scams."]])
            #expect(guideline.status == .unprocessableEntity && guideline.reason.hasPrefix("labels: not a field here"), "\(guideline.reason)")
            // A time in a body is read as an import's is: an impossible day is refused, not rolled over into March.
            let rolledOver = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/guidelines", json: ["markdown": "# Rules", "effective_at": "2026-02-30T00:00:00Z"])
            #expect(rolledOver.status == .badRequest && rolledOver.reason.hasPrefix("effective_at: '2026-02-30T00:00:00Z' is not an ISO 8601 time"),
                    "\(rolledOver.reason)")
            let unreachable = try await server.request(
                .POST, "/api/v1/queues", json: ["name": "a/b", "schema": ["kind": "single_choice", "labels": [["code": "a"], ["code": "b"]]]])
            #expect(unreachable.status == .unprocessableEntity && unreachable.reason.hasPrefix("name: a queue name cannot hold '/'"),
                    "\(unreachable.reason)")

            // A vendor sent as a form is a 415 as on every JSON route (it was "name is required"); an empty name, a 422.
            let formVendor = try await server.request(
                .POST, "/api/v1/vendors", body: Data("name=Acme".utf8), contentType: "application/x-www-form-urlencoded")
            #expect(formVendor.status == .unsupportedMediaType, "\(formVendor.text)")
            let blankVendor = try await server.request(.POST, "/api/v1/vendors", json: ["name": " "])
            #expect(blankVendor.status == .unprocessableEntity && blankVendor.reason == "name: a vendor name must be 1 to 200 characters",
                    "\(blankVendor.reason)")
            // Every body refuses a key it does not know, the small ones too: a gold PUT's misspelt rationale was
            // dropped without a word, a misspelt vendor name answered "name: is required".
            let misspeltGold = try await server.request(
                .PUT, "/api/v1/items/\(lease.itemID)/gold", json: ["labels": ["spam"], "rationnale": "why"])
            #expect(misspeltGold.status == .unprocessableEntity && misspeltGold.reason == "rationnale: not a field here (the fields are labels, rationale)",
                    "\(misspeltGold.reason)")
            let misspeltNote = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/escalate", token: annotator, json: ["note": "odd", "priority": "high"])
            #expect(misspeltNote.status == .unprocessableEntity && misspeltNote.reason.hasPrefix("priority: not a field here"), "\(misspeltNote.reason)")
            let extraVendorField = try await server.request(.POST, "/api/v1/vendors", json: ["name": "Acme", "country": "PT"])
            #expect(extraVendorField.status == .unprocessableEntity && extraVendorField.reason.hasPrefix("country: not a field here"),
                    "\(extraVendorField.reason)")
            // A key given twice is refused rather than one of its values taken without a word.
            let twice = try await server.request(
                .PUT, "/api/v1/queues/\(queue.name)/quality",
                body: Data(#"{"qa_rate": 0.5, "gold_rate": 0.2, "gold_rate": null}"#.utf8), contentType: "application/json")
            #expect(twice.status == .badRequest && twice.reason.contains(#"the key "gold_rate" appears twice"#), "\(twice.text)")
            // A path id that is not one names the parameter and the value.
            let badAssignment = try await server.request(.POST, "/api/v1/assignments/abc/judgment", token: annotator, json: ["labels": ["spam"]])
            #expect(badAssignment.status == .unprocessableEntity && badAssignment.reason == "assignmentID: 'abc' is not a whole number",
                    "\(badAssignment.reason)")
            let badJob = try await server.request(.GET, "/api/v1/jobs/12")
            #expect(badJob.status == .unprocessableEntity && badJob.reason.hasPrefix("jobID: '12' is not an id such as"), "\(badJob.reason)")

            let after = try await snapshot(server, queue, item: lease.itemID)
            #expect(after == before)
            #expect(try await server.store.items(in: queue.id, after: nil, limit: 100).count == 3)
        }
    }

    @Test("an item body lists every bad row in order: a language or market the queue does not serve, an external id named twice",
          arguments: TestBackend.allCases)
    func everyBadItemRow(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, name: "scoped-en", languages: ["en"], markets: ["US"])
            let rows = [
                #"{"external_id": "s-1", "text": "fine: en-GB is English", "language": "en-GB", "market": "US"}"#,
                #"{"external_id": "s-2", "text": "olá", "language": "pt-BR"}"#,
                #"{"external_id": "s-3", "text": "hi", "market": "ZZ"}"#,
                #"{"external_id": "s-1", "text": "again"}"#,
                #"{"external_id": "s-4", "priority": "high", "text": "x"}"#,
            ].joined(separator: "\n")
            let refused = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(rows.utf8), contentType: "application/x-ndjson")
            #expect(refused.status == .unprocessableEntity)
            let lines = refused.reason.split(separator: "\n")
            let expected = [
                "line 2: language: 'pt-BR' is not a language of queue 'scoped-en' (en)", "line 3: market: 'ZZ' is not a market of queue 'scoped-en' (US)",
                "line 4: external_id: 's-1' is already on line 1; a file names each item once", "line 5: priority: must be a whole number from -2147483648 to 2147483647",
            ]
            #expect(lines.count == expected.count && zip(lines, expected).allSatisfy { $0.hasPrefix($1) }, "\(refused.reason)")
            #expect(try await server.store.stats(of: queue.id).items == 0)
            // The same file as a background job fails with the same lines.
            let job = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports", body: Data(rows.utf8), contentType: "application/x-ndjson")
            let link = try #require(try job.object()["links"]?["job"]?.stringValue)
            var error: String?
            for _ in 0..<100 where error == nil {
                error = try await server.request(.GET, link).object()["job"]?["error"]?.stringValue
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(error?.hasSuffix(refused.reason) == true, "\(error ?? "no error")")
        }
    }

    @Test("the NUL character is a 422 on both databases: in a body, a path, a query and an import row", arguments: TestBackend.allCases)
    func nulCharacter(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            let person = try await server.request(.POST, "/api/v1/people", json: ["name": "Al\u{0}ice", "role": "annotator"])
            #expect(person.status == .unprocessableEntity && person.reason == "the body \(NULCharacter.refusal)", "\(person.text)")
            for path in ["/api/v1/queues/a%00b", "/api/v1/people?after=a%00", "/api/v1/audit?entity_id=a%00"] {
                let refused = try await server.request(.GET, path)
                #expect(refused.status == .unprocessableEntity && refused.reason == "the address \(NULCharacter.refusal)", "\(path): \(refused.text)")
            }
            let rows = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(#"{"external_id": "n\u0000", "text": "x"}"#.utf8),
                contentType: "application/x-ndjson")
            #expect(rows.status == .unprocessableEntity && rows.reason == "line 1: external_id: \(NULCharacter.refusal)", "\(rows.text)")
            #expect(try await server.store.stats(of: queue.id).items == 0)
        }
    }
}
