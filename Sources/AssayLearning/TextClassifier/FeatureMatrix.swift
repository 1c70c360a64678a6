import Foundation

/// Texts as rows of hashed, TF-IDF-weighted features (see ``TextFeatures``), compact enough for a million texts.
///
/// A row is kept as 4 bytes per distinct feature: the bucket (22 bits), the block (word or character), the sign
/// and the count in the text (up to 255), plus two scale factors per row. The weight of an entry,
/// sign · (1 + ln tf) · idf · scale, is computed when it is read, so memory is about half that of storing
/// index–value pairs, and a text is never kept.
///
/// Rows are appended one text at a time. A matrix that learns its own idf (for training) needs
/// ``finishWeighting()`` after the last text; one made with a trained idf (for prediction) is ready as it goes.
///
/// A training matrix numbers its buckets densely in the order they are first seen (`columnBuckets` maps back).
/// Training reads a weight for every feature it visits, at random; with only the buckets in use, and the frequent
/// ones (which turn up in the first texts) packed together at the front, those reads mostly hit the processor's
/// cache, which makes an epoch several times faster. The numbering is fixed as rows are appended, so
/// ``finishWeighting()`` never rewrites `entries`: rewriting them would copy the largest array whenever the matrix
/// is shared, as it is when `assay train` consumes a `Trainer` held by a closure (Swift then trains a copy), which
/// nearly doubled the peak memory of training on a million texts. Which column a bucket gets does not change
/// the arithmetic of training, only where its weights live.
public struct FeatureMatrix: Sendable {
    /// The feature configuration.
    public let features: TextFeatures
    /// Row `r` holds `entries[offsets[r]..<offsets[r + 1]]`.
    private(set) var offsets: [Int] = [0]
    /// Packed entries: column (bits 0–21), character block (bit 22), negative sign (bit 23), count (bits 24–31).
    /// A column is a bucket, or in a training matrix the dense number of a bucket (see `columnBuckets`).
    private(set) var entries = EntryStorage()
    /// The bucket of each dense column; empty while columns are buckets.
    private(set) var columnBuckets: [UInt32] = []
    /// The dense column of each bucket plus one, 0 for a bucket not seen yet (only while learning idf).
    private var columnOfBucket: [UInt32]
    /// Per row, the scale of its word block and of its character block.
    private(set) var scales: [Float] = []
    /// Inverse document frequency per column; empty until known.
    private(set) var idf: [Float]
    /// How many training texts hold each column (only while learning idf).
    private var documentFrequency: [UInt32]
    /// The number of texts the idf was learned from.
    private(set) var idfDocumentCount: Int
    private var counter = KeyCounter()

    /// (1 + ln tf) for tf = 0…255.
    static let countWeight: [Float] = (0...255).map { $0 == 0 ? 0 : Float(1 + log(Double($0))) }
    static let bucketMask: UInt32 = (1 << 22) - 1
    /// The idf of a bucket no training text held (see ``bucketIDF``).
    static let unseenIDF: Float = 0
    static let characterBit: UInt32 = 1 << 22
    static let negativeBit: UInt32 = 1 << 23

    /// An empty matrix that learns idf from the texts appended to it.
    public init(features: TextFeatures) {
        self.features = features
        self.idf = []
        self.columnOfBucket = [UInt32](repeating: 0, count: features.bucketCount)
        self.documentFrequency = []
        self.idfDocumentCount = 0
    }

    /// An empty matrix weighted with a trained idf: rows are ready as soon as they are appended.
    init(features: TextFeatures, idf: [Float], documentCount: Int) {
        self.features = features
        self.idf = idf
        self.columnOfBucket = []
        self.documentFrequency = []
        self.idfDocumentCount = documentCount
    }

    /// The number of rows.
    public var rowCount: Int { offsets.count - 1 }

    /// The number of stored entries (distinct features summed over rows).
    public var entryCount: Int { entries.count }

    /// Whether the rows' weights are known.
    public var isWeighted: Bool { !idf.isEmpty }

    /// Appends the features of one text as a new row.
    public mutating func append(_ text: String) {
        var row: [UInt32] = []
        Self.packEntries(of: text, features: features, counter: &counter, into: &row)
        appendRow(row)
    }

    /// Appends the features of many texts as new rows, in order, hashing them on all the processor's cores.
    ///
    /// The same rows as appending the texts one by one. Tokenising and hashing, most of the work, run in parallel on
    /// slices of `texts`. While the matrix learns its idf, columns are numbered in the order buckets are first seen
    /// across the texts: each slice lists the buckets it holds in the order it first holds them (in parallel), the
    /// lists are numbered one after another (the only step on one core, over distinct buckets rather than every
    /// feature), and each slice then rewrites its buckets as columns and counts their document frequencies (in
    /// parallel again).
    public mutating func append(contentsOf texts: [String]) {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, texts.count / Self.textsPerWorker)
        guard workers > 1 else {
            for text in texts { append(text) }
            return
        }
        let features = self.features, learning = !columnOfBucket.isEmpty
        var slices = [HashedSlice](repeating: HashedSlice(), count: workers)
        slices.withUnsafeMutableBufferPointer { slices in
            let slices = UncheckedSendable(slices)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var counter = KeyCounter()
                var slice = HashedSlice()
                let range = texts.count * worker / workers..<texts.count * (worker + 1) / workers
                slice.ends.reserveCapacity(range.count)
                for text in texts[range] {
                    Self.packEntries(of: text, features: features, counter: &counter, into: &slice.entries)
                    slice.ends.append(slice.entries.count)
                }
                if learning { slice.bucketsInOrder = Self.bucketsInOrderOfFirstSight(slice.entries, bucketCount: features.bucketCount) }
                slices.value[worker] = slice
            }
        }
        if learning {
            for slice in slices {
                for bucket in slice.bucketsInOrder where columnOfBucket[Int(bucket)] == 0 {
                    columnBuckets.append(bucket)
                    columnOfBucket[Int(bucket)] = UInt32(columnBuckets.count)
                }
            }
            let columnCount = columnBuckets.count
            var frequencies = [[UInt32]](repeating: [], count: workers)
            columnOfBucket.withUnsafeBufferPointer { columnOf in
                slices.withUnsafeMutableBufferPointer { slices in
                    frequencies.withUnsafeMutableBufferPointer { frequencies in
                        let shared = UncheckedSendable((columnOf: columnOf, slices: slices, frequencies: frequencies))
                        DispatchQueue.concurrentPerform(iterations: workers) { worker in
                            var frequency = [UInt32](repeating: 0, count: columnCount)
                            frequency.withUnsafeMutableBufferPointer { frequency in
                                shared.value.slices[worker].entries.withUnsafeMutableBufferPointer { entries in
                                    for position in entries.indices {
                                        let entry = entries[position]
                                        let column = shared.value.columnOf[Int(entry & Self.bucketMask)] - 1
                                        entries[position] = entry & ~Self.bucketMask | column
                                        frequency[Int(column)] &+= 1
                                    }
                                }
                            }
                            shared.value.frequencies[worker] = frequency
                        }
                    }
                }
            }
            documentFrequency.append(contentsOf: repeatElement(0, count: columnCount - documentFrequency.count))
            documentFrequency.withUnsafeMutableBufferPointer { total in
                for frequency in frequencies {
                    for (column, count) in frequency.enumerated() { total[column] &+= count }
                }
            }
        }
        for slice in slices { appendNumberedRows(slice.entries, ends: slice.ends) }
    }

    /// One core's share of `append(contentsOf:)`: its texts' packed entries, where each text ends, and (while the
    /// matrix learns its idf) the distinct buckets in the order the texts first hold them.
    private struct HashedSlice {
        var entries: [UInt32] = []
        var ends: [Int] = []
        var bucketsInOrder: [UInt32] = []
    }

    /// The distinct buckets of `entries`, in the order they first appear.
    private static func bucketsInOrderOfFirstSight(_ entries: [UInt32], bucketCount: Int) -> [UInt32] {
        var seen = [UInt64](repeating: 0, count: (bucketCount + 63) / 64)
        var order: [UInt32] = []
        seen.withUnsafeMutableBufferPointer { seen in
            for entry in entries {
                let bucket = Int(entry & bucketMask), bit: UInt64 = 1 << UInt64(bucket & 63)
                if seen[bucket >> 6] & bit == 0 {
                    seen[bucket >> 6] |= bit
                    order.append(UInt32(bucket))
                }
            }
        }
        return order
    }

    /// Below this many texts per core, hashing in parallel costs more than it saves.
    static let textsPerWorker = 256

    /// Appends the packed entries of `text` to `row`, with each feature's bucket where its column will go.
    private static func packEntries(
        of text: String, features: TextFeatures, counter: inout KeyCounter, into row: inout [UInt32]
    ) {
        counter.reset()
        features.forEachFeature(of: text) { hash, isCharacterGram in
            counter.add((hash & ~1) | (isCharacterGram ? 1 : 0))
        }
        let mask = UInt64(features.bucketCount - 1)
        counter.forEachCount { key, count in
            var entry = UInt32(truncatingIfNeeded: (key >> 1) & mask) | UInt32(min(count, 255)) << 24
            if key & 1 == 1 { entry |= characterBit }
            if key >> 63 == 1 { entry |= negativeBit }
            row.append(entry)
        }
    }

    /// Appends one row of packed entries, numbering buckets not seen before when the matrix learns its idf.
    private mutating func appendRow(_ row: [UInt32]) {
        var numbered = row
        if !columnOfBucket.isEmpty {
            for (position, entry) in row.enumerated() {
                let bucket = Int(entry & Self.bucketMask)
                if columnOfBucket[bucket] == 0 {
                    columnBuckets.append(UInt32(bucket))
                    documentFrequency.append(0)
                    columnOfBucket[bucket] = UInt32(columnBuckets.count)
                }
                let column = columnOfBucket[bucket] - 1
                documentFrequency[Int(column)] &+= 1
                numbered[position] = entry & ~Self.bucketMask | column
            }
        }
        appendNumberedRows(numbered, ends: [numbered.count])
    }

    /// Appends rows whose entries already hold columns (`rows[ends[i - 1]..<ends[i]]` is row i).
    private mutating func appendNumberedRows(_ rows: [UInt32], ends: [Int]) {
        let first = entries.count
        entries.append(contentsOf: rows[...])
        offsets.reserveCapacity(offsets.count + ends.count)
        for end in ends {
            offsets.append(first + end)
            if isWeighted { appendScales(ofRow: rowCount - 1) }
        }
    }

    /// Computes idf from the appended texts and the weights of every row. Call once, after the last text.
    public mutating func finishWeighting() {
        guard !isWeighted else { return }
        let count = rowCount
        idf = documentFrequency.map { Float(log(Double(1 + count) / Double(1 + $0)) + 1) }
        idfDocumentCount = count
        columnOfBucket = []
        documentFrequency = []
        scales.reserveCapacity(2 * count)
        for row in 0..<count { appendScales(ofRow: row) }
    }

    /// The length of a row's word block; its character block gets √(1 − 0.8²) = 0.6, so a row has length 1.
    /// Words carry more of the meaning: 0.8 beat 0.5–0.7 and 0.9–0.95 on a development split of the Davidson et al.
    /// training rows (mean macro-F1 over three seeds, `bench/learning`).
    static let wordBlockLength = 0.8

    /// Scales the word block of a row to length 0.8 and its character block to 0.6.
    private mutating func appendScales(ofRow row: Int) {
        var squared: (word: Double, character: Double) = (0, 0)
        for position in offsets[row]..<offsets[row + 1] {
            let entry = entries[position]
            let weight = Double(Self.countWeight[Int(entry >> 24)] * idf[Int(entry & Self.bucketMask)])
            if entry & Self.characterBit == 0 { squared.word += weight * weight } else { squared.character += weight * weight }
        }
        let wordLength = Self.wordBlockLength, characterLength = (1 - wordLength * wordLength).squareRoot()
        scales.append(squared.word > 0 ? Float(wordLength / squared.word.squareRoot()) : 0)
        scales.append(squared.character > 0 ? Float(characterLength / squared.character.squareRoot()) : 0)
    }

    /// The number of columns: buckets in use once finished, every bucket otherwise.
    var columnCount: Int { columnBuckets.isEmpty ? features.bucketCount : columnBuckets.count }

    /// The inverse document frequency of every bucket, for a model file.
    ///
    /// A bucket no training text held gets idf 0, so a feature the model never saw weighs nothing in a new text: it
    /// adds no score (its weights are 0 anyway) and, more to the point, takes no share of the text's length, which
    /// would shrink every known feature of a text with many unknown words towards the prior. scikit-learn's
    /// vectorizers likewise drop words outside the vocabulary before normalising. Measured on five folds of the
    /// Davidson et al. tweets (`bench/learning/run.sh crossval`), this raised macro-F1 from 0.7447 to 0.746.
    var bucketIDF: [Float] {
        guard !columnBuckets.isEmpty else { return idf }
        var result = [Float](repeating: Self.unseenIDF, count: features.bucketCount)
        for (column, bucket) in columnBuckets.enumerated() { result[Int(bucket)] = idf[column] }
        return result
    }

    /// Calls `body` with the bucket and weight of each feature of a row.
    @inline(__always)
    func forEachEntry(ofRow row: Int, _ body: (_ bucket: Int, _ weight: Float) -> Void) {
        let wordScale = scales[2 * row], characterScale = scales[2 * row + 1]
        for position in offsets[row]..<offsets[row + 1] {
            let entry = entries[position]
            let column = Int(entry & Self.bucketMask)
            var weight = Self.countWeight[Int(entry >> 24)] * idf[column]
            weight *= entry & Self.characterBit == 0 ? wordScale : characterScale
            let bucket = columnBuckets.isEmpty ? column : Int(columnBuckets[column])
            body(bucket, entry & Self.negativeBit == 0 ? weight : -weight)
        }
    }

    /// The buckets and weights of a row, for inspection and tests.
    public func row(_ row: Int) -> [(bucket: Int, weight: Float)] {
        precondition(isWeighted, "call finishWeighting() first")
        var result: [(bucket: Int, weight: Float)] = []
        forEachEntry(ofRow: row) { result.append(($0, $1)) }
        return result
    }
}

/// Counts repeated 64-bit keys within one text: an open-addressing table that is reused from text to text, so
/// counting costs no allocation and no sort.
struct KeyCounter: Sendable {
    private var keys = [UInt64](repeating: 0, count: 1024)
    private var tallies = [Int32](repeating: 0, count: 1024)
    private var used: [Int] = []

    /// Forgets every key.
    mutating func reset() {
        for slot in used { tallies[slot] = 0 }
        used.removeAll(keepingCapacity: true)
    }

    /// Counts one occurrence of `key`.
    @inline(__always)
    mutating func add(_ key: UInt64) {
        if used.count * 2 >= keys.count { grow() }
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while tallies[slot] != 0 {
            if keys[slot] == key {
                tallies[slot] += 1
                return
            }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        tallies[slot] = 1
        used.append(slot)
    }

    /// Calls `body` with each distinct key and its count, in the order first seen.
    @inline(__always)
    func forEachCount(_ body: (_ key: UInt64, _ count: Int) -> Void) {
        for slot in used { body(keys[slot], Int(tallies[slot])) }
    }

    private mutating func grow() {
        let old = used.map { (keys[$0], tallies[$0]) }
        keys = [UInt64](repeating: 0, count: keys.count * 2)
        tallies = [Int32](repeating: 0, count: keys.count)
        used.removeAll(keepingCapacity: true)
        let mask = keys.count - 1
        for (key, tally) in old {
            var slot = Int(truncatingIfNeeded: key) & mask
            while tallies[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            tallies[slot] = tally
            used.append(slot)
        }
    }
}
