import Foundation

extension TextClassifier {
    /// The version of the model file format this build writes and reads.
    public static let fileFormatVersion = 1

    /// The first bytes of every model file.
    static let fileMagic = Array("ASSAYTC\n".utf8)

    /// The file's JSON header: everything but the weights.
    struct FileHeader: Codable {
        var formatVersion: Int
        var labels: [String]
        var options: TrainingOptions
        var calibration: ProbabilityCalibration
        var summary: TrainingSummary
        var bias: [Float]
        var idfDocumentCount: Int
        /// The idf of the buckets the file leaves out: 0 since 2026-12-03 (unseen features weigh nothing); files
        /// written before hold ln(1 + n) + 1, and are read as written, so they predict as they always did.
        var defaultIDF: Float
        var bucketRows: Int
    }

    /// The classifier as a model file.
    ///
    /// Layout (little-endian): the magic `ASSAYTC\n`; a UInt32 length and a JSON header (format version, labels,
    /// options, calibration, training summary, biases); then, for each bucket that any training text held, its
    /// UInt32 index, Float32 idf and K Float32 weights; then a UInt64 FNV-1a checksum of everything before it.
    /// Buckets no training text held have zero weights and idf 0, so they are left out: a model trained
    /// on 20,000 posts takes a few megabytes.
    public func encoded() -> [UInt8] {
        let defaultIDF = FeatureMatrix.unseenIDF
        let classes = labels.count
        let rows = idf.indices.filter { bucket in
            idf[bucket] != defaultIDF || (0..<classes).contains { model.weights[bucket * classes + $0] != 0 }
        }
        let header = FileHeader(
            formatVersion: Self.fileFormatVersion, labels: labels, options: options, calibration: calibration,
            summary: summary, bias: model.bias, idfDocumentCount: idfDocumentCount, defaultIDF: defaultIDF,
            bucketRows: rows.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = Array((try? encoder.encode(header)) ?? Data())
        var bytes = Self.fileMagic
        bytes.reserveCapacity(bytes.count + 4 + headerBytes.count + rows.count * (8 + 4 * classes) + 8)
        bytes.appendLittleEndian(UInt32(headerBytes.count))
        bytes += headerBytes
        // The bucket rows, written in place: appended value by value they took longer than the rest of saving.
        let start = bytes.count, rowBytes = 8 + 4 * classes
        bytes.append(contentsOf: repeatElement(0, count: rows.count * rowBytes))
        bytes.withUnsafeMutableBytes { buffer in
            model.weights.withUnsafeBufferPointer { weights in
                var offset = start
                func put(_ value: UInt32) {
                    buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
                    offset += 4
                }
                for bucket in rows {
                    put(UInt32(bucket))
                    put(idf[bucket].bitPattern)
                    for label in 0..<classes { put(weights[bucket * classes + label].bitPattern) }
                }
            }
        }
        bytes.appendLittleEndian(Self.checksum(bytes[...]))
        return bytes
    }

    /// Reads a model file.
    ///
    /// - Throws: ``LearningError/invalidModel(_:)`` saying what is wrong: not a model file, a newer format, a
    ///   damaged or cut-short file.
    public init(decoding bytes: [UInt8]) throws {
        guard bytes.count >= Self.fileMagic.count + 12, Array(bytes.prefix(Self.fileMagic.count)) == Self.fileMagic else {
            throw LearningError.invalidModel("it does not start as an Assay model file does (was it made by `assay train`?)")
        }
        let body = bytes[..<(bytes.count - 8)]
        var reader = ByteReader(bytes: bytes, position: body.endIndex)
        guard try reader.uint64() == Self.checksum(body) else {
            throw LearningError.invalidModel("its checksum does not match: the file is damaged or was cut short")
        }
        reader = ByteReader(bytes: bytes, position: Self.fileMagic.count)
        let headerLength = Int(try reader.uint32())
        let header: FileHeader
        do {
            header = try JSONDecoder().decode(FileHeader.self, from: Data(try reader.take(headerLength)))
        } catch let error as LearningError {
            throw error
        } catch {
            throw LearningError.invalidModel("its header cannot be read (\(error))")
        }
        guard header.formatVersion <= Self.fileFormatVersion else {
            throw LearningError.invalidModel(
                "it uses model format \(header.formatVersion), and this build of Assay reads up to \(Self.fileFormatVersion); upgrade Assay")
        }
        try header.options.validate()
        let classes = header.labels.count
        guard classes >= 2, header.bias.count == classes, header.calibration.offsets.count == classes else {
            throw LearningError.invalidModel("its header lists \(classes) labels but other sizes disagree")
        }
        let bucketCount = header.options.features.bucketCount
        var idf = [Float](repeating: header.defaultIDF, count: bucketCount)
        var weights = [Float](repeating: 0, count: bucketCount * classes)
        for _ in 0..<header.bucketRows {
            let bucket = Int(try reader.uint32())
            guard bucket < bucketCount else { throw LearningError.invalidModel("bucket \(bucket) is out of range") }
            idf[bucket] = Float(bitPattern: try reader.uint32())
            for label in 0..<classes { weights[bucket * classes + label] = Float(bitPattern: try reader.uint32()) }
        }
        guard reader.position == body.endIndex else {
            throw LearningError.invalidModel("it has \(body.endIndex - reader.position) bytes more than its header announces")
        }
        self.init(
            labels: header.labels, options: header.options, calibration: header.calibration, summary: header.summary,
            idf: idf, idfDocumentCount: header.idfDocumentCount,
            model: SoftmaxRegression(classCount: classes, weights: weights, bias: header.bias))
    }

    /// FNV-1a, 64 bits.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

/// Reads little-endian numbers from bytes, failing cleanly at the end.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, position + count <= bytes.count else {
            throw LearningError.invalidModel("it ends early, at byte \(bytes.count)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func uint32() throws -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension [UInt8] {
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
