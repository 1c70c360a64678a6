@testable import AssayLearning
import Testing

@Suite struct EntryStorageTests {
    @Test func docExample() {
        var entries = EntryStorage()
        entries.append(7)
        entries.append(contentsOf: [8, 9])
        #expect(entries[2] == 9)
        #expect(entries.withUnsafeBufferPointer { $0.reduce(0, +) } == 24)
    }

    @Test func growsPastManyReallocationsKeepingEveryEntry() {
        var entries = EntryStorage()
        var expected: [UInt32] = []
        for block in 0..<300 {
            let values = (0..<(block * 37 % 500)).map { UInt32(truncatingIfNeeded: block &* 7_919 &+ $0) }
            entries.append(contentsOf: values[...])
            entries.append(UInt32(block))
            expected += values + [UInt32(block)]
        }
        #expect(entries.count == expected.count)
        #expect(entries.withUnsafeBufferPointer { Array($0) } == expected)
    }

    @Test func aCopyKeepsItsOwnEntries() {
        var original = EntryStorage()
        original.append(contentsOf: [1, 2, 3])
        var copy = original
        copy.append(4)
        original.append(contentsOf: [5, 6])
        #expect(copy.withUnsafeBufferPointer { Array($0) } == [1, 2, 3, 4])
        #expect(original.withUnsafeBufferPointer { Array($0) } == [1, 2, 3, 5, 6])
        #expect(copy != original)
        var same = EntryStorage()
        same.append(contentsOf: [1, 2, 3, 4])
        #expect(copy == same)
    }
}
