import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("API tokens")
struct TokenTests {
    @Test("an admin creates a person and the token shown once works; a token revoked elsewhere stops within 5 s, here at once",
          arguments: TestBackend.allCases)
    func lifecycle(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            server.clock.freeze()  // the cache's 5 s must not run out on a slow machine before we look
            let created = try await server.request(
                .POST, "/api/v1/people", json: ["name": "Maria Silva", "role": "annotator", "languages": ["pt-BR"]])
            #expect(created.status == .created)
            let body = try created.object()
            let token = try #require(body["token"]?.stringValue)
            #expect(token.hasPrefix("assay_"))
            let me = try await server.request(.GET, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(try me.object()["external_id"] == "maria-silva")

            let idText = try #require(body["person"]?["id"]?.stringValue)
            let personID = try #require(UUID(uuidString: idText))
            try await server.store.revokeTokens(of: personID, now: server.clock.now)
            #expect(try await server.request(.GET, "/api/v1/me", token: token).status == .ok, "still cached")
            server.clock.advance(by: 6)
            #expect(try await server.request(.GET, "/api/v1/me", token: token).status == .unauthorized)

            // Revoked or suspended through this server, the change holds at its next request.
            let other = try await server.request(.POST, "/api/v1/people/\(personID)/tokens")
            let second = try #require(try other.object()["token"]?.stringValue)
            #expect(try await server.request(.GET, "/api/v1/me", token: second).status == .ok)
            let suspended = try await server.request(.PUT, "/api/v1/people/\(personID)/status", json: ["status": "suspended"])
            #expect(suspended.status == .ok)
            let me2 = try await server.request(.GET, "/api/v1/me", token: second)
            #expect(try me2.object()["status"] == "suspended", "\(me2.text)")
            #expect(try await server.request(.DELETE, "/api/v1/people/\(personID)/tokens").status == .noContent)
            #expect(try await server.request(.GET, "/api/v1/me", token: second).status == .unauthorized)

            // A status stops nobody who takes no work: an analyst cannot "suspend" an admin and think it done.
            let analyst = try await Fixtures.token(server.store, role: .analyst, name: "Ana")
            let admin = try #require(try await server.store.person(authenticatedBy: TokenSecret(server.adminToken)))
            let refused = try await server.request(
                .PUT, "/api/v1/people/\(admin.id)/status", token: analyst, json: ["status": "suspended"])
            #expect(refused.status == .unprocessableEntity && refused.reason.contains("revoke their tokens"), "\(refused.text)")
            #expect(try await server.store.person(admin.id).status == .active)
        }
    }

    @Test("people lists page by external id without skipping anyone", arguments: TestBackend.allCases)
    func paging(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            _ = try await Fixtures.annotators(server.store, count: 7)
            var seen: [String] = []
            var after: String?
            repeat {
                let query = after.map { "&after=\($0)" } ?? ""
                let page = try await server.request(.GET, "/api/v1/people?limit=3\(query)").object()
                seen += try #require(page["data"]?.arrayValue).compactMap { $0["external_id"]?.stringValue }
                after = page["next"]?.stringValue
            } while after != nil
            #expect(seen.count == 8, "7 annotators and the admin")
            #expect(Set(seen).count == 8)
            #expect(try await server.request(.GET, "/api/v1/people?limit=many").status == .unprocessableEntity)
            // Offset paging is refused, not ignored: a client looping on it would get the first page forever.
            let offset = try await server.request(.GET, "/api/v1/people?limit=3&cursor=3")
            #expect(offset.status == .unprocessableEntity && offset.reason.contains("`after`"), "\(offset.reason)")
        }
    }
}
