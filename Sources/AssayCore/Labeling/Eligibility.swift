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

    /// The language filter the lease query applies to items: `nil` when the person has no restriction.
    ///
    /// It lists the person's codes and their base languages (`pt-BR` adds `pt`); the query also accepts regional
    /// variants of each (`pt` takes `pt-BR` and `pt-PT`).
    public static func languageFilter(for person: Person) -> [String]? {
        guard !person.languages.isEmpty else { return nil }
        var codes = person.languages
        for code in person.languages {
            if let base = code.split(separator: "-").first.map(String.init), !codes.contains(base) { codes.append(base) }
        }
        return codes
    }

    /// Whether someone who reviews `offered` can review content in `required`: the same code, or one is a regional
    /// variant of the other (`pt` and `pt-BR`).
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
