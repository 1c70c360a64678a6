import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// Predictions over HTTP: the import with its errors, the queue's model settings, suggestions in `next`, and
/// the reports, each route refused to those it is not for.
@Suite("Predictions over HTTP")
struct PredictionsAPITests {
    @Test("import predictions, show suggestions, auto-accept, and read the reports", arguments: TestBackend.allCases)
    func predictionsEndToEnd(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store, name: "ads")
            try await Fixtures.items(store, into: queue, count: 6)
            let csv = """
                external_id,label,confidence
                item-0001,spam,0.99
                item-0002,none,0.97
                item-0003,spam,0.55
                item-0004,hate,0.99
                """
            let path = "/api/v1/queues/ads/predictions?predictor=triage-llm@v1"
            let imported = try await server.request(.POST, path, body: Data(csv.utf8), contentType: "text/csv")
            #expect(imported.status == .ok, "\(imported.text)")
            let report = try imported.object()
            #expect(report["inserted"]?.doubleValue == 4 && report["predictor"]?.stringValue == "triage-llm@v1")

            // Settings: show suggestions, auto-accept at 0.95 with no audit, `hate` only for people.
            let settings: JSONValue = [
                "predictor": "triage-llm@v1", "show_predictions": true,
                "auto_accept": ["threshold": 0.95, "audit_rate": 0, "human_only_labels": ["hate"]],
            ]
            let updated = try await server.request(.PUT, "/api/v1/queues/ads/assist", json: settings)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.object()["assist"]?.objectValue?["show_predictions"]?.boolValue == true)
            let autoAccept = try await server.request(.GET, "/api/v1/queues/ads/auto-accept")
            #expect(autoAccept.status == .ok, "\(autoAccept.text)")
            let figures = try autoAccept.object()
            #expect(figures["auto_accepted"]?.doubleValue == 2, "items 1 and 2: \(autoAccept.text)")
            #expect(figures["sent_to_people"]?.doubleValue == 2, "item 3 (not confident) and 4 (hate)")

            // An annotator is handed only the items people must label, each with its suggestion when there is one.
            let annotator = try await Fixtures.token(store, role: .annotator, name: "Ann")
            var seen: [String: JSONValue?] = [:]
            while true {
                let next = try await server.request(.POST, "/api/v1/queues/ads/next", token: annotator)
                guard next.status == .ok else { #expect(next.status == .noContent); break }
                let body = try next.object()
                let assignment = Int64(try #require(body["assignment"]?.objectValue?["id"]?.doubleValue))
                let item = try await LoopClient.item(ofAssignment: assignment, on: server).externalID
                seen[item] = body["suggestion"]
                let submitted = try await server.request(
                    .POST, "/api/v1/assignments/\(assignment)/judgment", token: annotator, json: ["labels": ["none"]])
                #expect(submitted.status == .created)
            }
            #expect(Set(seen.keys) == ["item-0003", "item-0004", "item-0005", "item-0006"])
            #expect(seen["item-0003"]??.objectValue?["labels"] == ["spam"])
            #expect(seen["item-0003"]??.objectValue?["predictor"]?.stringValue == "triage-llm@v1")
            #expect(seen["item-0003"]??.objectValue?.keys.sorted() == ["confidence", "labels", "predictor"],
                    "no prediction id: ids in import order told gold items apart")
            #expect(seen["item-0005"] == .some(nil), "no prediction, no suggestion")
            let final = try await server.request(.GET, "/api/v1/queues/ads/final-labels")
            #expect(final.text.contains("model_auto_accept"))

            let alignment = try await server.request(.GET, "/api/v1/queues/ads/alignment")
            #expect(alignment.status == .ok, "\(alignment.text)")
            let rubber = try alignment.object()["rubber_stamp"]?.objectValue?["accepted"]?.objectValue
            #expect(rubber?["answered"]?.doubleValue == 2 && rubber?["correct"]?.doubleValue == 0)
            let evaluation = try await server.request(.GET, "/api/v1/queues/ads/evaluation?predictor=triage-llm@v1")
            #expect(evaluation.status == .ok, "\(evaluation.text)")
            #expect(evaluation.text.contains("\"gold_items\""))
            let runs = try await server.request(.GET, "/api/v1/queues/ads/llm-runs")
            #expect(runs.status == .ok && runs.text == "[]", "\(runs.text)")
            let predictors = try await server.request(.GET, "/api/v1/predictors")
            #expect(predictors.text.contains("triage-llm@v1"))
        }
    }

    @Test("bad predictions are refused with the line and field, and change nothing; annotators are refused",
          arguments: TestBackend.allCases)
    func refusals(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store, name: "ads")
            try await Fixtures.items(store, into: queue, count: 2)
            let base = "/api/v1/queues/ads/predictions"
            let cases: [(String, String, String)] = [
                ("?predictor=m@1", "external_id,label,confidence\nitem-0001,spam,0.9\nitem-0009,spam,0.9\n", "line 3"),
                ("?predictor=m@1", "external_id,label,confidence\nitem-0001,spamm,0.9\n", "line 2: labels"),
                ("?predictor=m@1", "external_id,label,confidence\nitem-0001,spam,1.9\n", "line 2: confidence"),
                ("?predictor=m@1", "external_id,label\nitem-0001,spam\n", "confidence"),
                ("", "external_id,label,confidence\nitem-0001,spam,0.9\n", "predictor"),
                ("?predictor=no-version", "external_id,label,confidence\nitem-0001,spam,0.9\n", "NAME@VERSION"),
            ]
            for (query, body, expected) in cases {
                let reply = try await server.request(.POST, base + query, body: Data(body.utf8), contentType: "text/csv")
                #expect(reply.status == .unprocessableEntity, "\(query) \(body): \(reply.status) \(reply.text)")
                #expect(reply.reason.contains(expected), "\(reply.reason) should mention \(expected)")
            }
            #expect(try await store.predictors().isEmpty)
            let annotator = try await Fixtures.token(store, role: .annotator, name: "Ann")
            let refused = try await server.request(
                .POST, base + "?predictor=m@1", token: annotator,
                body: Data("external_id,label,confidence\nitem-0001,spam,0.9\n".utf8), contentType: "text/csv")
            #expect(refused.status == .forbidden)
            for path in ["/api/v1/queues/ads/auto-accept", "/api/v1/queues/ads/alignment", "/api/v1/predictors"] {
                #expect(try await server.request(.GET, path, token: annotator).status == .forbidden)
            }
            let noPredictor = try await server.request(.GET, "/api/v1/queues/ads/auto-accept")
            #expect(noPredictor.status == .unprocessableEntity && noPredictor.reason.contains("predictor"))
            let unknown = try await server.request(.GET, "/api/v1/queues/ads/alignment?predictor=ghost@1")
            #expect(unknown.status == .notFound)
            let badSettings = try await server.request(
                .PUT, "/api/v1/queues/ads/assist", json: ["predictor": "ghost@1", "show_predictions": true])
            #expect(badSettings.status == .unprocessableEntity)
            // A misspelt setting, at the top or inside, is named rather than left to its default; a body that is no
            // object says so.
            for (body, field) in [
                (["predictor": "ghost@1", "bogus_field": 1] as JSONValue, "bogus_field"),
                (["auto_accept": ["threshold": 0.9, "audit_rte": 0.1]], "auto_accept.audit_rte"),
            ] {
                let misspelt = try await server.request(.PUT, "/api/v1/queues/ads/assist", json: body)
                #expect(misspelt.status == .unprocessableEntity && misspelt.reason.hasPrefix(field + ": not a setting here"),
                        "\(misspelt.reason)")
            }
            let list = try await server.request(.PUT, "/api/v1/queues/ads/assist", json: [1])
            #expect(list.status == .badRequest && list.reason.contains("must be an object"), "\(list.reason)")
            let quality = try await server.request(.PUT, "/api/v1/queues/ads/quality", json: ["gold_rte": 0.1])
            #expect(quality.status == .unprocessableEntity && quality.reason.hasPrefix("gold_rte: not a setting here"), "\(quality.reason)")
            #expect(try await store.queue("ads").assist == AssistSettings())
        }
    }
}
