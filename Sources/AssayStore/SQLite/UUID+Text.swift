import Foundation

/// UUIDs to and from their 36-character text without Foundation's formatter: on Linux `uuidString` goes through
/// `sprintf` and `UUID(uuidString:)` through `sscanf`, which showed up at several percent of the annotator loop's
/// profile and a tenth of a consensus re-estimate (a million annotator ids read back).
extension UUID {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The same uppercase 8-4-4-4-12 text as `uuidString`, which is how SQLite rows store ids.
    var canonicalText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { buffer in
                var out = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    buffer[out] = Self.hexDigits[Int(byte >> 4)]
                    buffer[out + 1] = Self.hexDigits[Int(byte & 0x0f)]
                    out += 2
                }
                return 36
            }
        }
    }

    /// Parses 8-4-4-4-12 hexadecimal text in either case, as `UUID(uuidString:)` does; nil for anything else.
    init?(canonicalText text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { bytes in
            guard bytes.count == 36 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &value) { out -> Bool in
                var position = 0
                for index in 0..<16 {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        guard bytes[position] == UInt8(ascii: "-") else { return false }
                        position += 1
                    }
                    guard let high = Self.nibble(bytes[position]), let low = Self.nibble(bytes[position + 1]) else {
                        return false
                    }
                    out[index] = high << 4 | low
                    position += 2
                }
                return true
            }
            return ok ? value : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
