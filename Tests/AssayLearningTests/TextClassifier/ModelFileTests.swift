@testable import AssayLearning
import Foundation
import Testing

@Suite struct ModelFileTests {
    static let posts = SyntheticPosts(count: 1_000, seed: 11)
    static let classifier = try! TextClassifier.train(texts: posts.texts, labels: posts.labels)

    @Test func roundTripsExactly() throws {
        let bytes = Self.classifier.encoded()
        let read = try TextClassifier(decoding: bytes)
        #expect(read.labels == Self.classifier.labels)
        #expect(read.summary == Self.classifier.summary)
        #expect(read.options == Self.classifier.options)
        #expect(read.calibration == Self.classifier.calibration)
        #expect(read.predict(Self.posts.texts) == Self.classifier.predict(Self.posts.texts))
        #expect(read.encoded() == bytes)
        // Only buckets some text held are stored: far below 2^20 × 3 weights.
        #expect(bytes.count < 2_000_000)
    }

    @Test func refusesDamagedFiles() throws {
        var bytes = Self.classifier.encoded()
        bytes[bytes.count / 2] ^= 0x40
        #expect(throws: LearningError.self) { try TextClassifier(decoding: bytes) }
        #expect(throws: LearningError.self) { try TextClassifier(decoding: Array(Self.classifier.encoded().dropLast(9))) }
        #expect(throws: LearningError.self) { try TextClassifier(decoding: Array("id,label\n1,spam\n".utf8)) }
        #expect(throws: LearningError.self) { try TextClassifier(decoding: []) }
        do {
            _ = try TextClassifier(decoding: bytes)
        } catch let error as LearningError {
            #expect(error.description.contains("checksum"))
        }
    }

    /// The model file with one text of its JSON header replaced, re-sealed with a valid checksum.
    static func rewritingHeader(of bytes: [UInt8], replacing old: String, with new: String) throws -> [UInt8] {
        var reader = ByteReader(bytes: bytes, position: TextClassifier.fileMagic.count)
        let length = Int(try reader.uint32())
        let start = TextClassifier.fileMagic.count + 4
        let header = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        #expect(header.contains(old))
        let changedHeader = header.replacingOccurrences(of: old, with: new)
        var changed = TextClassifier.fileMagic
        changed.appendLittleEndian(UInt32(changedHeader.utf8.count))
        changed += Array(changedHeader.utf8)
        changed += bytes[(start + length)..<(bytes.count - 8)]
        changed.appendLittleEndian(TextClassifier.checksum(changed[...]))
        return changed
    }

    /// A file from before unseen features weighed nothing gives the buckets it leaves out the idf its header names,
    /// so an old model predicts as it always did; a new file gives them 0.
    @Test func leftOutBucketsTakeTheIDFTheHeaderNames() throws {
        let bytes = Self.classifier.encoded()
        let unseen = try #require(Self.classifier.idf.indices.first { Self.classifier.idf[$0] == 0 })
        #expect(try TextClassifier(decoding: bytes).idf[unseen] == 0)
        let old = try Self.rewritingHeader(of: bytes, replacing: "\"defaultIDF\":0", with: "\"defaultIDF\":7.5")
        let read = try TextClassifier(decoding: old)
        #expect(read.idf[unseen] == 7.5)
        #expect(read.idf.filter { $0 != 7.5 } == Self.classifier.idf.filter { $0 != 0 })
    }

    @Test func refusesANewerFormat() throws {
        let changed = try Self.rewritingHeader(
            of: Self.classifier.encoded(), replacing: "\"formatVersion\":1", with: "\"formatVersion\":9")
        #expect {
            try TextClassifier(decoding: changed)
        } throws: { error in
            (error as? LearningError)?.description.contains("format 9") == true
        }
    }
}
