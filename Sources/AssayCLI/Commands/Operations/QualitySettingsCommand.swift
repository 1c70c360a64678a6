import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay quality`: a queue's gold, threshold and QA settings.
struct QualitySettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Show or change a queue's quality settings: gold rate, accuracy threshold, auto-suspend, QA sampling.",
        discussion: """
            Settings (the keys of PUT /api/v1/queues/{queue}/quality):
              gold_rate               share of `next` calls that serve gold, 0 to 0.5
              min_gold_accuracy       gold accuracy to keep, 0 to 1 (null: none checked)
              min_gold_answers        gold answers before that threshold applies
              gold_window             gold answers the running score covers
              auto_suspend            remove from the queue below it, not just flag
              qa_rate                 share of judgments sampled for QA
              qa_sampling             uniform or stratified
              qa_target_width         stratified sampling's target interval width
              qa_blind                reviewers label before seeing the answer
              arbitration_shows_annotators
                                      arbitrators see who gave each judgment
              requires_qualification  annotators need a passed exam to take work
              sla_hours               on-time hours from import to final label (null: none)
              exposure_limit          items per severe label one person may judge a day
              break_after_minutes     unbroken work before the workbench suggests a break
              blur_all_media          images and videos blurred and grey until clicked
            """,
        subcommands: [Show.self, Change.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a queue's quality settings as JSON.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                try JSONFiles.print(try await database.withStore { try await $0.queue(queue).quality })
            }
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change some of a queue's quality settings; the others keep their values.",
            discussion: "For example: assay quality set --queue comments-en --by priya-raman gold_rate=0.1 min_gold_accuracy=0.8 auto_suspend=true")

        @Argument(help: "KEY=VALUE pairs; a value is JSON (0.1, true, null, \"text\") or else plain text.")
        var settings: [String]

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var acting: ActingPerson

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if settings.isEmpty { throw ValidationError("name at least one setting, e.g. gold_rate=0.1") }
        }

        func run() async throws {
            try await CommandFailure.reporting {
                let updated = try await database.withStore { store in
                    let person = try await acting.person(in: store, allowedBy: Policy.requireCanManageQuality)
                    let queue = try await store.queue(self.queue)
                    // Laid over the settings as they are when written: two commands at once each keep the other's change.
                    return try await store.updateQuality(of: queue, by: person, now: Date()) { [settings] in
                        try Self.apply(settings, to: $0)
                    }
                }
                try JSONFiles.print(updated.quality)
            }
        }

        /// The settings with `KEY=VALUE` pairs laid over them.
        ///
        /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for an unknown key or a value of the wrong kind.
        static func apply(_ pairs: [String], to settings: QualitySettings) throws -> QualitySettings {
            guard case .object(var fields) = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(settings)) else {
                preconditionFailure("quality settings encode as an object")
            }
            for pair in pairs {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw AssayError.invalidInput(field: pair, line: nil, reason: "write settings as KEY=VALUE")
                }
                let key = String(pair[..<equals])
                let text = String(pair[pair.index(after: equals)...])
                guard fields[key] != nil else {
                    throw AssayError.invalidInput(
                        field: key, line: nil, reason: "not a quality setting (settings: \(fields.keys.sorted().joined(separator: ", ")))")
                }
                fields[key] = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
            }
            do {
                return try JSONDecoder().decode(QualitySettings.self, from: JSONEncoder().encode(JSONValue.object(fields)))
            } catch let error as DecodingError {
                let key = error.codingKey ?? "settings"
                throw AssayError.invalidInput(field: key, line: nil, reason: "has a value of the wrong kind (\(error.reason()))")
            }
        }
    }
}

extension DecodingError {
    /// The last key of the path where decoding failed.
    var codingKey: String? {
        switch self {
        case .keyNotFound(let key, _): return key.stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.last?.stringValue
        @unknown default: return nil
        }
    }
}
