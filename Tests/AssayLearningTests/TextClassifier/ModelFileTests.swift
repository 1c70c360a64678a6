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

    @Test func refusesANewerFormat() throws {
        // Rewrite the header's format version and re-seal the file with a valid checksum.
        let bytes = Self.classifier.encoded()
        var reader = ByteReader(bytes: bytes, position: TextClassifier.fileMagic.count)
        let length = Int(try reader.uint32())
        let start = TextClassifier.fileMagic.count + 4
        var header = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        header = header.replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":9")
        var changed = TextClassifier.fileMagic
        changed.appendLittleEndian(UInt32(header.utf8.count))
        changed += Array(header.utf8)
        changed += bytes[(start + length)..<(bytes.count - 8)]
        changed.appendLittleEndian(TextClassifier.checksum(changed[...]))
        #expect {
            try TextClassifier(decoding: changed)
        } throws: { error in
            (error as? LearningError)?.description.contains("format 9") == true
        }
    }
}
