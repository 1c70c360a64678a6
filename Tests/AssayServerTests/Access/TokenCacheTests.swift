import AssayCore
@testable import AssayServer
import Foundation
import Testing

@Suite("The token cache")
struct TokenCacheTests {
    /// A lookup begun before a revocation and ended after it read the person as they were: cached, the revoked token
    /// would keep working here for the cache's lifetime (a race audit saw it 2 times in 200).
    @Test("a person looked up before someone was forgotten is not remembered; looked up after, they are")
    func lookupsOlderThanAForgetAreDropped() {
        let cache = TokenCache(lifetime: 5)
        let now = Date()
        let person = Person(id: UUID(), externalID: "maria-silva", name: "Maria Silva", role: .annotator, createdAt: now)
        let asked = cache.generation
        cache.forget(person.id)  // the revocation commits while the lookup runs
        cache.remember(person, for: "assay_old", now: now, lookedUpAt: asked)
        #expect(cache.person(for: "assay_old", now: now) == nil)
        cache.remember(person, for: "assay_new", now: now, lookedUpAt: cache.generation)
        #expect(cache.person(for: "assay_new", now: now)?.id == person.id)
        #expect(cache.person(for: "assay_new", now: now.addingTimeInterval(6)) == nil, "and only for its lifetime")
    }
}
