import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay exams`: qualification exams made of gold items.
struct Exams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and list qualification exams: gold items, a pass mark, and the qualification passing grants.",
        discussion: """
            Candidates take exams through the API (POST /api/v1/exams/{id}/next, POST /api/v1/exams/{id}/answers). A queue \
            with requires_qualification=true serves work only to people with a current qualification.
            """,
        subcommands: [Create.self, List.self], defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an exam from a JSON file shaped like the body of POST /api/v1/queues/{queue}/exams.",
            discussion: #"For example: {"name": "Entry exam", "items": ["gold-001", "gold-002"], "pass_mark": 0.8, "qualification_days": 90, "training": false, "retake_after_hours": 24}. A qualification exam takes active gold and passing it qualifies; after a failed attempt it may be sat again only once retake_after_hours have passed (24 unless given, 0 to 720), so that its answers cannot be found one attempt at a time. A training exam ("training": true) shows each answer, grants nothing, retires its items from the gold people are scored on, and may be sat again at once."#)

        @OptionGroup var input: QueueDraftFile

        func run() async throws {
            let exam = try await input.create(ExamDraft.self, shapedLike: "an exam", allowedBy: Policy.requireCanManageGold) {
                store, draft, queue, person in try await store.createExam(draft, in: queue, by: person, now: Date())
            }
            print("Created exam '\(exam.name)' (id \(exam.id)): \(exam.itemIDs.count) items, pass mark "
                + String(format: "%.0f%%", exam.passMark * 100) + ".")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a queue's exams as CSV.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let exams = try await database.withStore { store in try await store.exams(in: try await store.queue(queue).id) }
                print(CSVWriter.row(["id", "name", "items", "pass_mark", "qualification_days", "training", "retake_after_hours"]),
                      terminator: "")
                for exam in exams {
                    print(CSVWriter.row([
                        exam.id.uuidString, exam.name, String(exam.itemIDs.count), String(exam.passMark),
                        String(exam.qualificationDays), String(exam.training), String(exam.retakeAfterHours),
                    ]), terminator: "")
                }
            }
        }
    }
}
