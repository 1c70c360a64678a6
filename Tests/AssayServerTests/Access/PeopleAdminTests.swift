import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("Revoking tokens and suspending people")
struct PeopleAdminTests {
    @Test("an admin revokes a token; an analyst suspends and reinstates an annotator", arguments: TestBackend.allCases)
    func revokeAndSuspend(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            server.clock.freeze()
            let queue = try await Fixtures.queue(server.store)
            try await Fixtures.items(server.store, into: queue, count: 3)
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0]
            let analyst = try await Fixtures.token(server.store, role: .analyst, name: "Priya")
            let path = "/api/v1/people/\(annotator.person.id)"

            let suspended = try await server.request(.PUT, path + "/status", token: analyst, json: ["status": "suspended"])
            #expect(suspended.status == .ok)
            #expect(try suspended.object()["status"] == "suspended")
            server.clock.advance(by: 6)  // past the token cache
            let refused = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token)
            #expect(refused.status == .forbidden)
            #expect(refused.reason.contains("suspended"))
            #expect(try await server.request(.PUT, path + "/status", token: analyst, json: ["status": "active"]).status == .ok)
            server.clock.advance(by: 6)
            #expect(try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token).status == .ok)

            #expect(try await server.request(.PUT, path + "/status", token: analyst, json: ["status": "gone"]).status == .badRequest)
            #expect(try await server.request(.DELETE, path + "/tokens", token: analyst).status == .forbidden)
            #expect(try await server.request(.DELETE, "/api/v1/people/\(UUID())/tokens").status == .notFound)
            // Revoking also ends the browser session the annotator signed in with, at once.
            let session = try #require(try await WebSessionTests.signIn(server, token: annotator.token).cookie)
            #expect(try await server.request(.GET, "/api/v1/me", token: .some(nil), headers: ["Cookie": session]).status == .ok)
            #expect(try await server.request(.DELETE, path + "/tokens").status == .noContent)
            #expect(try await server.request(.GET, "/api/v1/me", token: .some(nil), headers: ["Cookie": session]).status == .unauthorized)
            server.clock.advance(by: 6)
            #expect(try await server.request(.GET, "/api/v1/me", token: annotator.token).status == .unauthorized)

            // Each change is in the audit log, with who made it; a status set to what it was is no change.
            #expect(try await server.request(.PUT, path + "/status", token: analyst, json: ["status": "active"]).status == .ok)
            let log = try await server.request(.GET, "/api/v1/audit?entity=person&entity_id=\(annotator.person.id)")
            let entries = try #require(try log.object()["data"]?.arrayValue?.compactMap(\.objectValue))
            #expect(entries.compactMap { $0["action"]?.stringValue } == [
                "token.revoked", "person.status_changed", "person.status_changed", "token.issued", "person.created",
            ], "\(log.text)")
            #expect(entries[0]["after"]?.objectValue?["sessions_ended"]?.doubleValue == 1, "\(log.text)")
            #expect(entries[2]["before"]?.objectValue?["status"]?.stringValue == "active"
                    && entries[2]["after"]?.objectValue?["status"]?.stringValue == "suspended", "\(log.text)")
            let priya = try await server.store.person(externalID: "priya")
            #expect(entries[1]["actor_id"]?.stringValue == priya.id.uuidString, "the analyst who reinstated")

            // Vendors and teams made through the API are logged with the admin who made them.
            let vendor = try await server.request(.POST, "/api/v1/vendors", json: ["name": "Kestrel"])
            let vendorID = try #require(try vendor.object()["id"]?.stringValue, "\(vendor.text)")
            #expect(try await server.request(.POST, "/api/v1/vendors/\(vendorID)/teams", json: ["name": "Night"]).status == .created)
            let admin = try #require(try await server.store.person(authenticatedBy: TokenSecret(server.adminToken)))
            for (entity, action) in [("vendor", "vendor.created"), ("team", "team.created")] {
                let logged = try await server.request(.GET, "/api/v1/audit?entity=\(entity)").object()["data"]?.arrayValue?.first
                #expect(logged?["action"]?.stringValue == action && logged?["actor_id"]?.stringValue == admin.id.uuidString
                        && logged?["vendor_id"]?.stringValue == vendorID, "\(String(describing: logged))")
            }
        }
    }
}
