import FluentKit
import SQLKit

/// Indexes exam attempts by person: serving gold leaves out the items a person answered in an exam (a training
/// exam shows their references), and that look runs in the lease's transaction.
struct IndexExamAttemptsByPerson: AsyncMigration {
    let name = "040-index-exam-attempts-by-person"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("CREATE INDEX exam_attempts_by_person ON exam_attempts (person_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX exam_attempts_by_person").run()
    }
}
