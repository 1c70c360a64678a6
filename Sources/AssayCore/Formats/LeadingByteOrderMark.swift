/// Removes a UTF-8 byte order mark (EF BB BF) from the start of a byte stream fed in chunks.
///
/// Spreadsheet programs often write the mark at the start of CSV exports. It may arrive split across the first
/// chunks (in the extreme, one byte per chunk), so the first bytes are held until they either complete the mark or
/// stop matching it.
struct LeadingByteOrderMark: Sendable {
    private static let bytes: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Bytes seen so far while the start of the stream is still undecided.
    private var held: [UInt8] = []
    /// Whether the start of the stream has been decided; after that, chunks pass through untouched.
    private(set) var isResolved = false

    /// Takes the next chunk while the start is undecided, and returns the bytes to parse once it is decided.
    ///
    /// Returns `nil` while the bytes seen so far are still a proper prefix of the mark.
    mutating func strip(from chunk: some Sequence<UInt8>) -> [UInt8]? {
        held.append(contentsOf: chunk)
        let compared = min(held.count, Self.bytes.count)
        if held.prefix(compared).elementsEqual(Self.bytes.prefix(compared)) && held.count < Self.bytes.count {
            return nil
        }
        return resolve()
    }

    /// Ends the undecided state at the end of the input, returning whatever was held.
    mutating func resolve() -> [UInt8] {
        isResolved = true
        defer { held = [] }
        return held.starts(with: Self.bytes) ? Array(held.dropFirst(Self.bytes.count)) : held
    }
}
