@testable import AssayLearning
import Foundation
import Testing

@Suite struct FeatureMatrixTests {
    @Test func rowsHaveUnitLengthWithTheWordBlockAtPointEight() {
        var matrix = FeatureMatrix(features: TextFeatures())
        for text in ["you are a 🐍", "u r a snake", "snakes everywhere snakes", "🐍"] { matrix.append(text) }
        matrix.finishWeighting()
        for row in 0..<matrix.rowCount {
            let squared = matrix.row(row).reduce(0.0) { $0 + Double($1.weight * $1.weight) }
            // "🐍" alone has words but no character n-grams (symbols get none): its length is the word block's.
            #expect(abs(squared - (row == 3 ? 0.64 : 1)) < 1e-5, "row \(row)")
        }
    }

    @Test func countsRepeatsOnceWithSublinearWeight() {
        var matrix = FeatureMatrix(features: TextFeatures(wordNGrams: 1...1, characterNGrams: nil))
        matrix.append("spam spam spam eggs")
        matrix.append("eggs")
        matrix.finishWeighting()
        let row = matrix.row(0)
        #expect(row.count == 2)
        // spam: (1 + ln 3) · idf(spam), eggs: 1 · idf(eggs); idf = ln(3 / (1 + df)) + 1.
        let spam = (1 + log(3.0)) * (log(3.0 / 2) + 1), eggs = 1 * (log(3.0 / 3) + 1)
        let weights = row.map { abs(Double($0.weight)) }.sorted()
        let norm = (spam * spam + eggs * eggs).squareRoot()
        #expect(abs(weights[1] - 0.8 * spam / norm) < 1e-5)
        #expect(abs(weights[0] - 0.8 * eggs / norm) < 1e-5)
    }

    @Test func hashingIsStableAcrossMatrices() {
        var first = FeatureMatrix(features: TextFeatures(bucketBits: 16))
        var second = FeatureMatrix(features: TextFeatures(bucketBits: 16))
        first.append("the same words")
        second.append("other text first")
        second.append("the same words")
        first.finishWeighting()
        second.finishWeighting()
        // Columns are renumbered per matrix, but the buckets behind them agree.
        #expect(Set(first.row(0).map(\.bucket)) == Set(second.row(1).map(\.bucket)))
        #expect(first.row(0).allSatisfy { $0.bucket < 1 << 16 })
    }

    /// Hashing a batch on every core gives the rows, columns and idf of appending its texts one at a time.
    @Test func batchesMatchOneAtATime() {
        let posts = SyntheticPosts(count: 3_000, seed: 4, obfuscate: true)
        var single = FeatureMatrix(features: TextFeatures(bucketBits: 18))
        for text in posts.texts { single.append(text) }
        var batched = FeatureMatrix(features: TextFeatures(bucketBits: 18))
        // Batches of several sizes, so slices end mid-batch and a small batch takes the one-core path.
        batched.append(contentsOf: Array(posts.texts[..<1_700]))
        batched.append(contentsOf: Array(posts.texts[1_700..<1_710]))
        batched.append(contentsOf: Array(posts.texts[1_710...]))
        single.finishWeighting()
        batched.finishWeighting()
        #expect(batched.rowCount == 3_000)
        #expect(batched.entries == single.entries)
        #expect(batched.offsets == single.offsets)
        #expect(batched.columnBuckets == single.columnBuckets)
        #expect(batched.idf == single.idf)
        #expect(batched.scales == single.scales)
    }

    @Test func validatesOptions() {
        #expect(throws: LearningError.self) { try TextFeatures(bucketBits: 23).validate() }
        #expect(throws: LearningError.self) { try TextFeatures(wordNGrams: 0...2).validate() }
        #expect(throws: LearningError.self) { try TextFeatures(characterNGrams: 2...9).validate() }
        #expect(throws: LearningError.self) { try TextFeatures(wordNGrams: nil, characterNGrams: nil).validate() }
        #expect(throws: Never.self) { try TextFeatures().validate() }
    }
}
