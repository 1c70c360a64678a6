import ArgumentParser
import AssayCore
import AssayStore

/// `--by ID`: the person a command acts for. The command line reaches the database directly, so it checks the
/// same policy the API checks for that person's token, and the audit log names them.
struct ActingPerson: ParsableArguments {
    @Option(help: "Who does this, by external id (the audit log names them).")
    var by: String

    /// The person, once the policy allows them the action.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown person, ``AssayError/forbidden(_:)`` when
    ///   `policy` refuses them.
    func person(in store: Store, allowedBy policy: (Actor) throws -> Void) async throws -> Person {
        try await Self.person(by, in: store, allowedBy: policy)
    }

    /// The person with this external id, once the policy allows them the action: for commands where `--by` is
    /// optional.
    static func person(_ externalID: String, in store: Store, allowedBy policy: (Actor) throws -> Void) async throws -> Person {
        let person = try await store.person(externalID: externalID)
        try policy(Actor(person: person))
        return person
    }
}

/// The arguments of a command that creates something in a queue from a JSON file shaped like the API's request
/// body (`assay exams create`, `assay calibration create`): the file, the queue, who does it, the database.
struct QueueDraftFile: ParsableArguments {
    @Argument(help: "The JSON file, shaped like the API's request body.")
    var file: String

    @Option(help: "The queue, by name or id.")
    var queue: String

    @OptionGroup var acting: ActingPerson

    @OptionGroup var database: DatabaseOptions

    /// Reads the file, checks the person against `policy`, and runs `make` with the draft and the queue.
    ///
    /// - Throws: a `ValidationError` naming the file for a bad file or a refused draft.
    func create<Draft: Decodable, Created>(
        _ type: Draft.Type, shapedLike what: String, allowedBy policy: (Actor) throws -> Void,
        _ make: (Store, Draft, Queue, Person) async throws -> Created
    ) async throws -> Created {
        let draft = try JSONFiles.decode(type, at: file, shapedLike: what)
        return try await CommandFailure.reporting(file: file) {
            try await database.withStore { store in
                let person = try await acting.person(in: store, allowedBy: policy)
                return try await make(store, draft, try await store.queue(queue), person)
            }
        }
    }
}
