import Foundation

/// Who may take work from which queue: the routing rules that do not need the database.
///
/// The item-level part of routing (an item's own language and market, never the same item twice, overlap) is
/// kept by the store's lease query; this type answers the queue-level question before that query runs.
///
/// For example:
/// ```swift
/// try Eligibility.requireCanWork(annotator, on: queue)
/// ```
public enum Eligibility {
    /// Throws unless the person covers one of the queue's languages and one of its markets.
    ///
    /// An empty list on either side means "no restriction" on that side.
    ///
    /// - Throws: ``AssayError/forbidden(_:)`` naming the missing language or market.
    public static func requireCanWork(_ person: Person, on queue: Queue) throws {
        if !queue.languages.isEmpty, !person.languages.isEmpty,
            !queue.languages.contains(where: { required in person.languages.contains { speaks($0, required) } })
        {
            throw AssayError.forbidden(
                "\(person.name) does not review \(queue.languages.joined(separator: "/")), the languages of queue '\(queue.name)'")
        }
        if !overlaps(queue.markets, person.markets) {
            throw AssayError.forbidden(
                "\(person.name) does not cover \(queue.markets.joined(separator: "/")), the markets of queue '\(queue.name)'")
        }
    }

    /// The item languages someone may review, as the lease query matches them: `nil` when the person has no
    /// restriction. It is ``speaks(_:_:)`` put as two lists a query can test.
    ///
    /// ```swift
    /// Eligibility.languages(of: person)  // languages ["pt-BR"]: exactly ["pt-BR", "pt"], variants of ["pt-BR"]
    /// ```
    /// so a `pt-BR` reviewer takes `pt-BR` and `pt` items but not `pt-PT` ones, and a `pt` reviewer takes all three.
    public static func languages(of person: Person) -> LanguageMatch? {
        guard !person.languages.isEmpty else { return nil }
        var exactly = person.languages
        for code in person.languages {
            // `zh-Hans-CN` is spoken by whoever reads `zh-Hans` or `zh`.
            var prefix = Substring(code)
            while let dash = prefix.lastIndex(of: "-") {
                prefix = prefix[..<dash]
                if !exactly.contains(String(prefix)) { exactly.append(String(prefix)) }
            }
        }
        return LanguageMatch(exactly: exactly, variantsOf: person.languages)
    }

    /// Item languages as the lease query tests them: equal to one of `exactly`, or a regional (or script) variant
    /// of one of `variantsOf` (beginning with it and a `-`).
    public struct LanguageMatch: Sendable, Equatable {
        /// Codes an item's language may equal: the person's own and each one's shorter forms (`pt` for `pt-BR`).
        public let exactly: [String]
        /// Codes whose variants an item's language may be: the person's own (`pt` takes `pt-BR` and `pt-PT`).
        public let variantsOf: [String]

        /// Makes the lists; ``Eligibility/languages(of:)`` is how they are meant to be made.
        public init(exactly: [String], variantsOf: [String]) {
            self.exactly = exactly
            self.variantsOf = variantsOf
        }
    }

    /// Whether someone who reviews `offered` can review content in `required`: the same code, or one is a regional
    /// variant of the other (`pt` and `pt-BR`; not `pt-BR` and `pt-PT`).
    public static func speaks(_ offered: String, _ required: String) -> Bool {
        offered == required || required.hasPrefix(offered + "-") || offered.hasPrefix(required + "-")
    }

    /// The market filter the lease query applies to items: `nil` when the person has no restriction.
    public static func marketFilter(for person: Person) -> [String]? {
        person.markets.isEmpty ? nil : person.markets
    }

    private static func overlaps(_ required: [String], _ offered: [String]) -> Bool {
        required.isEmpty || offered.isEmpty || !Set(required).isDisjoint(with: offered)
    }
}
