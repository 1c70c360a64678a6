@testable import AssayStore
import Testing

@Suite("Chunks for statements")
struct ChunksTests {
    @Test("runs of the given size in order, the last shorter; nothing for nothing")
    func runs() {
        let ids = Array(1...1_001)
        #expect(ids.chunks().map(\.count) == [500, 500, 1])
        #expect(ids.chunks().flatMap { $0 } == ids)
        #expect(Array(ids.chunks(of: 1_001)).count == 1 && Array(ids.chunks(of: 2_000)).count == 1)
        #expect(Array([Int]().chunks()).isEmpty)
        #expect(Set([3, 1, 2]).chunks(of: 2).map(\.count) == [2, 1])
    }
}
