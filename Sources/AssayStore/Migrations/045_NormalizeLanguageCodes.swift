import AssayCore
import FluentKit
import Foundation
import SQLKit

/// Rewrites stored language codes in the casing routing now compares them in. Versions before this one split a
/// code at its first `-` only and left `_` alone, so `zh-hans-cn` was stored as `zh-HANS-CN` and `en_US` as
/// `en_us`; the lease query compares codes exactly, so such items would wait unseen by people added since. Codes
/// that are no language code at all (`english`) are left as they were: made blank they would go to everyone.
struct NormalizeLanguageCodes: AsyncMigration {
    let name = "045-normalize-language-codes"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // Items are many and their codes few: one UPDATE per code that changes.
        for row in try await sql.raw("SELECT DISTINCT language FROM items WHERE language IS NOT NULL").all() {
            let stored = try row.decode(column: "language", as: String.self)
            guard let normal = Self.normalized(stored), normal != stored else { continue }
            try await sql.raw("UPDATE items SET language = \(bind: normal) WHERE language = \(bind: stored)").run()
        }
        // Queues and people keep theirs as a JSON list.
        for table in ["queues", "people"] {
            for row in try await sql.raw("SELECT DISTINCT languages FROM \(ident: table)").all() {
                let stored = try row.decode(column: "languages", as: String.self)
                guard let codes = try? JSONDecoder().decode([String].self, from: Data(stored.utf8)) else { continue }
                let normal = codes.map { Self.normalized($0) ?? $0 }
                guard normal != codes else { continue }
                let text = String(decoding: try JSONEncoder().encode(normal), as: UTF8.self)
                try await sql.raw("UPDATE \(ident: table) SET languages = \(bind: text) WHERE languages = \(bind: stored)").run()
            }
        }
    }

    /// Nothing to undo: the codes name the same languages either way.
    func revert(on database: any Database) async throws {}

    private static func normalized(_ code: String) -> String? {
        (try? Locale.normalizedCode(code)) ?? nil
    }
}
