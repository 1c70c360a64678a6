/// A two-way mapping between values (item ids, worker ids, label names) and dense indices `0..<count`, so that the
/// algorithms run over flat integer arrays instead of hashing strings in their inner loops.
///
/// Indices are handed out in the order values are first encoded, and never change.
///
/// For example:
/// ```swift
/// var coding = LabelCoding<String>()
/// coding.encode("spam")      // 0
/// coding.encode("ham")       // 1
/// coding.encode("spam")      // 0 again
/// coding.index(of: "ham")    // 1
/// coding.value(at: 0)        // "spam"
/// ```
/// - Complexity: `encode(_:)` and `index(of:)` are O(1) on average; memory is O(count).
public struct LabelCoding<Value: Hashable>: Equatable {
    /// The coded values, in index order: `values[i]` is the value with index `i`.
    public private(set) var values: [Value] = []
    private var indexByValue: [Value: Int32] = [:]

    /// Creates an empty coding.
    public init() {}

    /// Creates a coding of `values` in their order, skipping repeats.
    public init(_ values: some Sequence<Value>) {
        for value in values { encode(value) }
    }

    /// The number of distinct values.
    public var count: Int { values.count }

    /// The index of `value`, or `nil` if it was never encoded.
    public func index(of value: Value) -> Int? {
        indexByValue[value].map(Int.init)
    }

    /// Whether `value` has an index.
    public func contains(_ value: Value) -> Bool {
        indexByValue[value] != nil
    }

    /// The value with index `index`, which must be in `0..<count`.
    public func value(at index: Int) -> Value {
        values[index]
    }

    /// Returns the index of `value`, giving it the next free index if it is new.
    @discardableResult
    public mutating func encode(_ value: Value) -> Int32 {
        if let index = indexByValue[value] { return index }
        let index = Int32(values.count)
        values.append(value)
        indexByValue[value] = index
        return index
    }
}

extension LabelCoding: Sendable where Value: Sendable {}
