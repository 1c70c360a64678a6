import Foundation

/// The packed entries of a ``FeatureMatrix``: a growable array of `UInt32` whose storage grows by `realloc`.
///
/// A Swift array grows by allocating a larger buffer and copying into it, so for the moment of the copy the old and
/// the new buffer are both resident. When a matrix's last growth came near its end, training peaked at twice the size
/// of its entries: 1.1 GiB for a million tweets whose entries take 560 MB. A buffer this large comes from `mmap`, and
/// glibc's `realloc` grows it with `mremap`, which moves page mappings rather than bytes, so the peak stays at the
/// size of the entries. Copy-on-write keeps an array's value semantics: a copied matrix never sees the other's rows.
///
/// For example:
/// ```swift
/// var entries = EntryStorage()
/// entries.append(7)
/// entries.append(contentsOf: [8, 9])
/// entries[2]                                          // 9
/// entries.withUnsafeBufferPointer { $0.reduce(0, +) } // 24
/// ```
struct EntryStorage: Sendable, Equatable {
    /// Written only through a uniquely referenced `EntryStorage` (copy-on-write), so sharing it is safe.
    private final class Buffer: @unchecked Sendable {
        var base: UnsafeMutablePointer<UInt32>?
        var count = 0
        var capacity = 0

        deinit { free(base) }

        /// Makes room for `needed` entries, at least doubling (the pages beyond `count` are not touched, so the
        /// room costs address space, not memory).
        func reserve(_ needed: Int) {
            guard needed > capacity else { return }
            let newCapacity = max(needed, 2 * capacity, 1_024)
            guard let grown = realloc(base, newCapacity * MemoryLayout<UInt32>.stride) else {
                fatalError("out of memory growing a feature matrix to \(newCapacity) entries")
            }
            base = grown.assumingMemoryBound(to: UInt32.self)
            capacity = newCapacity
        }

        func copy() -> Buffer {
            let copy = Buffer()
            copy.reserve(count)
            if let base, let target = copy.base { target.update(from: base, count: count) }
            copy.count = count
            return copy
        }
    }

    private var buffer = Buffer()

    /// The number of entries.
    var count: Int { buffer.count }

    /// The entry at `position`.
    subscript(position: Int) -> UInt32 {
        precondition(position >= 0 && position < buffer.count, "entry \(position) is out of 0..<\(buffer.count)")
        return buffer.base![position]
    }

    /// Appends one entry.
    mutating func append(_ entry: UInt32) {
        prepareToAppend(1)
        buffer.base![buffer.count] = entry
        buffer.count += 1
    }

    /// Appends entries in order.
    mutating func append(contentsOf entries: ArraySlice<UInt32>) {
        guard !entries.isEmpty else { return }
        prepareToAppend(entries.count)
        entries.withUnsafeBufferPointer { source in
            (buffer.base! + buffer.count).update(from: source.baseAddress!, count: source.count)
        }
        buffer.count += entries.count
    }

    /// Calls `body` with the entries as a buffer, valid only during the call.
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt32>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
    }

    static func == (left: EntryStorage, right: EntryStorage) -> Bool {
        left.count == right.count
            && left.withUnsafeBufferPointer { left in right.withUnsafeBufferPointer { left.elementsEqual($0) } }
    }

    private mutating func prepareToAppend(_ additional: Int) {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        if buffer.count + additional > buffer.capacity { buffer.reserve(buffer.count + additional) }
    }
}
