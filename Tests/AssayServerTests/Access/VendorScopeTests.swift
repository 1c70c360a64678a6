import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("Vendor scoping")
struct VendorScopeTests {
    @Test("a vendor lead sees only their own vendor's people, teams and vendor record", arguments: TestBackend.allCases)
    func vendorLead(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let north = try await store.createVendor(named: "Northwind", now: Date())
            let atlas = try await store.createVendor(named: "Atlas", now: Date())
            let northTeam = try await store.createTeam(named: "Manila", in: north.id, now: Date())
            _ = try await store.createTeam(named: "São Paulo", in: atlas.id, now: Date())
            for (vendor, name) in [(north, "Paolo"), (north, "Mark"), (atlas, "Beatriz")] {
                _ = try await store.createPerson(PersonDraft(name: name, role: .annotator, vendorID: vendor.id), now: Date())
            }
            let (_, leadToken) = try await store.createPersonWithToken(
                PersonDraft(name: "Lead", role: .vendorLead, vendorID: north.id), now: Date())
            let lead = leadToken.value

            let people = try await server.request(.GET, "/api/v1/people", token: lead).object()
            let names = Set(try #require(people["data"]?.arrayValue).compactMap { $0["name"]?.stringValue })
            #expect(names == ["Paolo", "Mark", "Lead"])
            let otherVendor = try await server.request(.GET, "/api/v1/people?vendor_id=\(atlas.id)", token: lead)
            #expect(otherVendor.status == .forbidden)

            let vendors = try await server.request(.GET, "/api/v1/vendors", token: lead).json([Vendor].self)
            #expect(vendors.map(\.name) == ["Northwind"])
            #expect(try await server.request(.GET, "/api/v1/vendors/\(north.id)/teams", token: lead).json([Team].self)
                .map(\.id) == [northTeam.id])
            #expect(try await server.request(.GET, "/api/v1/vendors/\(atlas.id)/teams", token: lead).status == .forbidden)

            #expect(try await server.request(.GET, "/api/v1/vendors/\(UUID())/teams").status == .notFound, "not an empty list")
            let adminVendors = try await server.request(.GET, "/api/v1/vendors").json([Vendor].self)
            #expect(adminVendors.count == 2)
        }
    }
}
