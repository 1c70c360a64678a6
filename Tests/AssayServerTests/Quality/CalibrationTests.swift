import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// Calibration sessions over real HTTP.
@Suite("Calibration sessions")
struct CalibrationTests {
    @Test("everyone labels the same items; the report names the confused label pair the simulation planted",
          arguments: TestBackend.allCases)
    func plantedConfusion(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let now = server.clock.now
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 6, prefix: "cal")
            let admin = try #require(try await store.person(authenticatedBy: TokenSecret(server.adminToken)))
            _ = try await store.importGold(
                (1...6).map { GoldDraft(itemExternalID: "cal-000\($0)", labels: [$0 <= 3 ? "hate" : "spam"]) },
                into: queue, by: admin, now: now)
            let acme = try await store.createVendor(named: "Acme", now: now)
            let globex = try await store.createVendor(named: "Globex", now: now)
            var people: [(person: Person, token: String)] = []
            for (name, vendor) in [("Ana", acme), ("Ben", acme), ("Cid", globex), ("Dee", globex), ("Out", nil)] {
                let person = try await store.createPerson(
                    PersonDraft(name: name, role: .annotator, vendorID: vendor?.id), now: now)
                people.append((person, try await store.issueToken(for: person.id, now: now).value))
            }
            let created = try await server.request(.POST, "/api/v1/queues/\(queue.name)/calibrations", json: [
                "name": "Hate vs harassment, week 47", "items": .array((1...6).map { .string("cal-000\($0)") }),
                "participants": ["vendors": [.string(acme.id.uuidString), .string(globex.id.uuidString)]],
                "closes_at": .string(Timestamp.format(now.addingTimeInterval(7 * 86_400))),
            ])
            try #require(created.status == .created, "\(created.text)")
            let sessionID = try #require(try created.object()["id"]?.stringValue)
            let outsider = try await server.request(.POST, "/api/v1/calibrations/\(sessionID)/next", token: people[4].token)
            #expect(outsider.status == .forbidden && outsider.reason.contains("not a participant"))

            // Acme's people call every hate item harassment (the planted confusion); Globex's get everything right.
            for (index, participant) in people.prefix(4).enumerated() {
                while true {
                    let next = try await server.request(.POST, "/api/v1/calibrations/\(sessionID)/next", token: participant.token)
                    if next.status == .noContent { break }
                    try #require(next.status == .ok, "\(next.text)")
                    let item = try next.object()
                    let number = Int(try #require(item["external_id"]?.stringValue).suffix(1))!
                    let label = number <= 3 ? (index < 2 ? "harassment" : "hate") : "spam"
                    let answered = try await server.request(
                        .POST, "/api/v1/calibrations/\(sessionID)/answers", token: participant.token,
                        json: ["item_id": item["id"]!, "labels": [.string(label)]])
                    #expect(answered.status == .noContent, "\(answered.text)")
                }
            }
            let twice = try await server.request(
                .POST, "/api/v1/calibrations/\(sessionID)/answers", token: people[0].token, json: ["item_id": 1, "labels": ["hate"]])
            #expect(twice.status == .conflict)
            #expect(try await server.request(
                .POST, "/api/v1/calibrations/\(sessionID)/notes", token: people[0].token,
                json: ["text": "We read coded slurs as harassment; the policy says hate."]).status == .noContent)

            let report = try await server.request(.GET, "/api/v1/calibrations/\(sessionID)/report")
            try #require(report.status == .ok, "\(report.text)")
            let body = try report.object()
            #expect(body["participants"]?.doubleValue == 4 && body["answers"]?.doubleValue == 24)
            let top = try #require(body["confusions"]?.arrayValue?.first?.objectValue)
            #expect(top["reference"]?.stringValue == "hate" && top["answered"]?.stringValue == "harassment")
            #expect(top["count"]?.doubleValue == 6)
            let vendors = try #require(body["vendors"]?.arrayValue).compactMap(\.objectValue)
            let accuracy = Dictionary(uniqueKeysWithValues: vendors.map {
                ($0["key"]!.stringValue!, $0["score"]!.objectValue!["accuracy"]!.doubleValue!)
            })
            #expect(accuracy[acme.id.uuidString] == 0.5 && accuracy[globex.id.uuidString] == 1)
            #expect(body["alpha"]?.doubleValue != nil && body["alpha"]!.doubleValue! < 1)
            #expect(body["notes"]?.arrayValue?.count == 1)

            let lead = try await store.createPerson(PersonDraft(name: "Lead", role: .vendorLead, vendorID: globex.id), now: now)
            let leadToken = try await store.issueToken(for: lead.id, now: now).value
            let scoped = try await server.request(.GET, "/api/v1/calibrations/\(sessionID)/report", token: leadToken)
            let names = try #require(try scoped.object()["people"]?.arrayValue).compactMap { $0.objectValue?["name"]?.stringValue }
            #expect(names == ["Cid", "Dee"])
            #expect(try await server.request(.GET, "/api/v1/calibrations/\(sessionID)/report", token: people[0].token).status == .forbidden)
            // The lead discusses the session their people take part in, and reads their vendor's notes and the
            // workspace's, not Acme's; a lead whose vendor is not called may not post at all.
            #expect(try await server.request(
                .POST, "/api/v1/calibrations/\(sessionID)/notes", token: leadToken, json: ["text": "Globex agrees."]).status == .noContent)
            let leadNotes = try await server.request(.GET, "/api/v1/calibrations/\(sessionID)/report", token: leadToken)
            #expect(try leadNotes.object()["notes"]?.arrayValue?.compactMap { $0.objectValue?["author"]?.stringValue } == ["Lead"])
            let initech = try await store.createVendor(named: "Initech", now: now)
            let stranger = try await store.createPerson(PersonDraft(name: "Stranger", role: .vendorLead, vendorID: initech.id), now: now)
            let strangerToken = try await store.issueToken(for: stranger.id, now: now).value
            let uncalled = try await server.request(
                .POST, "/api/v1/calibrations/\(sessionID)/notes", token: strangerToken, json: ["text": "Hello from Initech"])
            #expect(uncalled.status == .forbidden && uncalled.reason.contains("called"), "\(uncalled.reason)")
            #expect(try await server.request(.GET, "/api/v1/calibrations/\(sessionID)/report", token: strangerToken).status == .forbidden)
            // A lead is not a participant of the sessions their vendor is called to: its items are gold.
            let leadNext = try await server.request(.POST, "/api/v1/calibrations/\(sessionID)/next", token: leadToken)
            #expect(leadNext.status == .forbidden && leadNext.reason.contains("not a participant"), "\(leadNext.text)")
            #expect(try await server.request(.GET, "/api/v1/calibrations/\(sessionID)/report").object()["notes"]?.arrayValue?.count == 2)

            // The session's items are gold and were discussed: none is served to a participant as gold afterwards.
            // Gold is drawn for about half of the ten leases (the draws are seeded), while ordinary work is left.
            try await Fixtures.items(store, into: queue, count: 10, now: now)
            #expect(try await server.request(.PUT, "/api/v1/queues/\(queue.name)/quality", json: ["gold_rate": 0.5]).status == .ok)
            var served: [String] = []
            while true {
                let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: people[0].token)
                guard next.status == .ok else { break }
                let lease = try next.object()
                let assignment = Int64(try #require(lease["assignment"]?.objectValue?["id"]?.doubleValue))
                served.append(try await LoopClient.item(ofAssignment: assignment, on: server).externalID)
                _ = try await server.request(
                    .POST, "/api/v1/assignments/\(assignment)/judgment", token: people[0].token, json: ["labels": ["spam"]])
            }
            #expect(served.sorted() == (1...10).map { String(format: "item-%04d", $0) }, "\(served)")
        }
    }

    @Test("participants by name (vendor, vendor/team, a person's external id); an unknown or shared name is refused, creating nothing",
          arguments: TestBackend.allCases)
    func participantsByName(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let now = server.clock.now
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 2, prefix: "cal")
            let admin = try #require(try await store.person(authenticatedBy: TokenSecret(server.adminToken)))
            _ = try await store.importGold([GoldDraft(itemExternalID: "cal-0001", labels: ["spam"])], into: queue, by: admin, now: now)
            let acme = try await store.createVendor(named: "Acme", now: now)
            let globex = try await store.createVendor(named: "Globex", now: now)
            let acmeNights = try await store.createTeam(named: "Nights", in: acme.id, now: now)
            _ = try await store.createTeam(named: "Nights", in: globex.id, now: now)
            let globexDays = try await store.createTeam(named: "Days", in: globex.id, now: now)
            let solo = try await store.createPerson(PersonDraft(externalID: "solo-7", name: "Solo", role: .annotator), now: now)
            let closes = Timestamp.format(now.addingTimeInterval(7 * 86_400))
            func create(_ participants: [String: JSONValue]) async throws -> LiveServer.Reply {
                try await server.request(.POST, "/api/v1/queues/\(queue.name)/calibrations", json: [
                    "name": "Week 49", "items": ["cal-0001"], "participants": .object(participants), "closes_at": .string(closes),
                ])
            }

            let refused: [([String: JSONValue], String)] = [
                (["vendors": ["Acme", "Initech"]], "participants.vendors: 'Initech' matches no id or name; GET /api/v1/vendors lists them"),
                (["teams": ["Nights"]], "participants.teams: several vendors have a team 'Nights' (Acme, Globex); write it as vendor/team or give its id"),
                (["teams": ["Acme/Days"]], "participants.teams: 'Acme/Days' matches no id or name; GET /api/v1/vendors/{id}/teams lists them"),
                (["people": [.string(UUID().uuidString)]], "GET /api/v1/people lists them"),
                (["people": ["Angelica Reyes"]], "participants.people: 'Angelica Reyes' matches no id or external id; GET /api/v1/people lists them"),
            ]
            for (participants, reason) in refused {
                let reply = try await create(participants)
                #expect(reply.status == .unprocessableEntity, "\(participants): \(reply.text)")
                #expect(reply.reason.hasSuffix(reason), "\(reply.reason)")
            }
            let week = (now.addingTimeInterval(-86_400), now.addingTimeInterval(30 * 86_400))
            #expect(try await store.calibrations(in: [queue.id], closingFrom: week.0, to: week.1).isEmpty)

            let created = try await create([
                "vendors": ["Acme"], "teams": ["Acme/Nights", "Days"], "people": ["solo-7", .string(globex.id.uuidString)],
            ])
            #expect(created.status == .unprocessableEntity, "a vendor's id is not a person's: \(created.text)")
            let fixed = try await create(["vendors": ["Acme"], "teams": ["Acme/Nights", "Days"], "people": ["solo-7"]])
            try #require(fixed.status == .created, "\(fixed.text)")
            let session = try #require(try await store.calibrations(in: [queue.id], closingFrom: week.0, to: week.1).first)
            #expect(session.participants == CalibrationSession.Participants(
                vendors: [acme.id], teams: [acmeNights.id, globexDays.id], people: [solo.id]))
        }
    }
}
