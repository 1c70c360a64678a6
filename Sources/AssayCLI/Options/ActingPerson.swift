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
        let person = try await store.person(externalID: by)
        try policy(Actor(person: person))
        return person
    }
}
