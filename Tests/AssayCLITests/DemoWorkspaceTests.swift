import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@testable import AssayCLI

/// The demo a newcomer sees first: built small here, checked for what makes it believable.
@Suite("Demo workspace")
struct DemoWorkspaceTests {
    @Test("a small demo has three vendors of twenty differently named annotators, four queues with gold, and weeks of work")
    func smallDemo() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            let summary = try await DemoWorkspace(itemCount: 800, seed: 7).build(in: store, now: Date()) { _ in }
            #expect(summary.queues.count == 4)
            #expect(summary.goldItems > 0 && summary.judgments > summary.items)
            let vendors = try await store.vendors()
            #expect(vendors.count == 3)
            for vendor in vendors {
                let people = try await store.people(ofVendor: vendor.id, after: nil, limit: 100).filter { $0.role == .annotator }
                #expect(people.count == 20, "\(vendor.name)")
                #expect(Set(people.map(\.name)).count == people.count, "no two annotators of \(vendor.name) share a name")
                #expect(people.allSatisfy { $0.teamID != nil })
            }
        }
    }
}
