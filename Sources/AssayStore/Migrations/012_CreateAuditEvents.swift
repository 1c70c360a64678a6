import FluentKit
import SQLKit

/// The audit log. Append-only, and the database keeps it so: a trigger refuses every UPDATE and DELETE, whatever
/// code (or person at a SQL prompt) tries. No foreign keys, so an entry outlives what it describes.
struct CreateAuditEvents: AsyncMigration {
    let name = "012-create-audit-events"

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .field("id", .int64, .identifier(auto: true))
            .field("at_ms", .int64, .required)
            .field("actor_id", .uuid)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("queue_id", .uuid)
            .field("vendor_id", .uuid)
            .field("before", .string)
            .field("after", .string)
            .field("reason", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX audit_events_by_entity ON audit_events (entity, entity_id, id)").run()
        try await sql.raw("CREATE INDEX audit_events_by_queue ON audit_events (queue_id, id)").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()
                """).run()
        } else {
            for change in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: change.lowercased()) BEFORE \(unsafeRaw: change) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION audit_events_refuse_change()").run()
        }
    }
}
