import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@Suite("Publishing guidelines at once")
struct GuidelinePublishTests {
    @Test("eight analysts publishing to one queue at once get versions 1 to 8, none refused", arguments: TestBackend.allCases)
    func concurrentPublishes(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for number in 1...8 {
                    group.addTask {
                        try await store.publishGuideline(GuidelineDraft(markdown: "# Draft \(number)"), for: queue, by: analyst, now: now).version
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(versions.sorted() == Array(1...8))
        }
    }
}
