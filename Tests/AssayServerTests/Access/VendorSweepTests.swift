import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing
import Vapor

/// Every registered API route, called by one vendor's lead with the ids of another vendor's data.
///
/// The sweep reads the routes from the running application rather than from a list in the test, so a route
/// added later is swept too. For each route it fills every path parameter with each id the other vendor's
/// annotator left behind (their person, vendor, team, assignments, judged items, QA reviews, arbitration cases,
/// exam and calibration session) and checks that the answer either refuses (4xx) or shows nothing of theirs.
@Suite("Vendor scope on every route")
struct VendorSweepTests {
    @Test("a vendor lead reads nothing of another vendor's people through any route and any id", arguments: TestBackend.allCases)
    func sweep(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let now = server.clock.now
            let admin = try await store.person(externalID: "admin")
            let queue = try await Fixtures.queue(store, name: "sweep-queue", overlap: 2)
            try await Fixtures.items(store, into: queue, count: 8)
            _ = try await server.request(.PUT, "/api/v1/queues/\(queue.name)/quality", json: ["qa_rate": 1])
            _ = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/guidelines", json: ["markdown": "# Policy\n\nLabel what you see."])

            let acme = try await store.createVendor(named: "Acme", now: now)
            let globex = try await store.createVendor(named: "Globex", now: now)
            let globexTeam = try await store.createTeam(named: "Globex Lisbon", in: globex.id, now: now)
            let ana = try await store.createPerson(
                PersonDraft(externalID: "ana-acme", name: "Ana Acme", role: .annotator, vendorID: acme.id), now: now)
            let gus = try await store.createPerson(
                PersonDraft(externalID: "gus-globex", name: "Gustavo Globex", role: .annotator, vendorID: globex.id,
                            teamID: globexTeam.id),
                now: now)
            let anaClient = LoopClient(server: server, token: try await store.issueToken(for: ana.id, now: now).value)
            let gusClient = LoopClient(server: server, token: try await store.issueToken(for: gus.id, now: now).value)

            // Gus and Ana disagree on every item they share: majority ties open arbitration cases.
            var gusAssignments: [Int64] = []
            var gusItems: [Int64] = []
            for _ in 0..<3 {
                let lease = try #require(try await gusClient.next(queue.name))
                gusAssignments.append(lease.assignmentID)
                gusItems.append(lease.itemID)
                _ = try await gusClient.submit(lease.assignmentID, labels: ["spam"])
                if let other = try await anaClient.next(queue.name) { _ = try await anaClient.submit(other.assignmentID, labels: ["none"]) }
            }
            // A lease Gus still holds, and one judgment reviewed by QA.
            let held = try #require(try await gusClient.next(queue.name))
            gusAssignments.append(held.assignmentID)
            let reviewer = try await Fixtures.token(store, role: .qaReviewer, name: "Reviewer")
            var reviews: [Int64] = []
            while reviews.count < 6 {
                let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: reviewer)
                guard next.status == .ok else { break }
                let id = Int64(try #require(try next.object()["review"]?.objectValue?["id"]?.doubleValue))
                reviews.append(id)
                _ = try await server.request(.POST, "/api/v1/qa/\(id)", token: reviewer, json: ["correct": true])
            }
            #expect(!reviews.isEmpty)
            let cases = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 100, now: now).map(\.arbitrationCase.id)
            #expect(!cases.isEmpty, "ties opened arbitration cases")

            // Gold, an exam and a calibration session that Gus takes part in; Gus suspended and reinstated.
            let goldItems = try await store.items(in: queue.id, after: nil, limit: 100).filter { !gusItems.contains($0.id) }.suffix(2)
            for item in goldItems {
                _ = try await store.setGold(labels: ["none"], rationale: nil, onItem: item.id, by: admin, now: now)
            }
            let goldIDs = goldItems.map(\.externalID)
            let exam = try await store.createExam(ExamDraft(name: "Entry", items: goldIDs, passMark: 0.5), in: queue, by: admin, now: now)
            let session = try await store.createCalibration(
                CalibrationDraft(name: "Week 1", items: goldIDs, participants: .init(.init(vendors: [acme.id, globex.id])),
                                 closesAt: now.addingTimeInterval(86_400)),
                in: queue, now: now)
            for (kind, id) in [("exams", exam.id), ("calibrations", session.id)] {
                let item = try await server.request(.POST, "/api/v1/\(kind)/\(id)/next", token: gusClient.token)
                let itemID = try #require(try item.object()["id"]?.doubleValue)
                let answer = try await server.request(
                    .POST, "/api/v1/\(kind)/\(id)/answers", token: gusClient.token, json: ["item_id": .number(itemID), "labels": ["hate"]])
                #expect(answer.status.code < 300, "\(kind): \(answer.text)")
            }
            _ = try await server.request(.PUT, "/api/v1/people/\(gus.id)/status", json: ["status": "suspended"])
            _ = try await server.request(.PUT, "/api/v1/people/\(gus.id)/status", json: ["status": "active"])
            let job = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports",
                body: Data(#"{"external_id": "late-1", "content": {"text": "late"}}"#.utf8), contentType: "application/x-ndjson")
            let jobID = try #require(try job.object()["job"]?.objectValue?["id"]?.stringValue, "\(job.text)")

            // The other vendor's marks: any of these in an answer is a leak.
            let marks = [gus.id.uuidString, gus.externalID, gus.name, globex.id.uuidString, globex.name, globexTeam.id.uuidString]
                .map { $0.lowercased() }
            let values: [String: [String]] = [
                "queue": [queue.name], "personID": [gus.id.uuidString], "vendorID": [globex.id.uuidString],
                "itemID": gusItems.map(String.init), "assignmentID": gusAssignments.map(String.init),
                "reviewID": reviews.map(String.init), "caseID": cases.map(String.init), "examID": [exam.id.uuidString],
                "sessionID": [session.id.uuidString], "jobID": [jobID], "version": ["1"],
            ]
            let lead = try await store.createPerson(PersonDraft(name: "Acme Lead", role: .vendorLead, vendorID: acme.id), now: now)
            let leadToken = try await store.issueToken(for: lead.id, now: now).value
            let auditBefore = try await store.auditEvents(AuditFilter(limit: 10_000)).count

            var swept = 0
            for route in server.app.routes.all where route.path.first?.description == "api" {
                for path in Self.paths(of: route.path, values: values) {
                    let reply = route.method == .GET
                        ? try await server.request(route.method, path, token: leadToken)
                        : try await server.request(route.method, path, token: leadToken, json: [:])
                    swept += 1
                    let names = route.path.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
                    if names.contains("personID") || names.contains("vendorID") {
                        #expect(reply.status.code >= 400, "\(route.method) \(path) answered \(reply.status) about another vendor")
                    }
                    guard reply.status.code < 300 else { continue }
                    let text = reply.text.lowercased()
                    for mark in marks {
                        #expect(!text.contains(mark), "\(route.method) \(path) shows '\(mark)': \(reply.text.prefix(300))")
                    }
                }
            }
            #expect(swept >= 60, "every route swept (\(swept) requests)")
            // Nothing the lead sent changed a label, a score or a permission.
            #expect(try await store.auditEvents(AuditFilter(limit: 10_000)).count == auditBefore)
        }
    }

    /// Every path the route matches with the given parameter values (all combinations).
    static func paths(of components: [PathComponent], values: [String: [String]]) -> [String] {
        components.reduce([""]) { prefixes, component in
            let options: [String]
            switch component {
            case .constant(let text): options = [text]
            case .parameter(let name): options = values[name] ?? ["unknown-\(name)"]
            case .anything, .catchall: options = ["x"]
            }
            return prefixes.flatMap { prefix in options.map { prefix + "/" + $0 } }
        }
    }
}
