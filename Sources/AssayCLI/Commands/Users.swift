import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay users add`: adds a person and prints their API token (shown once).
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the people of the workspace.", subcommands: [Add.self, Token.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person and print their API token.")

        @Argument(help: "The person's name.")
        var name: String

        @Option(help: "admin, analyst, vendor_lead, arbitrator, qa_reviewer or annotator.")
        var role: Role = .annotator

        @Option(help: "Their id in the vendor's systems (default: from the name).")
        var externalID: String?

        @Option(help: "Languages reviewed, comma-separated (e.g. en,pt-BR).")
        var languages: String = ""

        @Option(help: "Markets covered, comma-separated (e.g. US,BR).")
        var markets: String = ""

        @Option(help: "Their vendor, by name or id (a vendor lead needs one).")
        var vendor: String?

        @Option(help: "Their team in that vendor, by name or id.")
        var team: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if team != nil, vendor == nil { throw ValidationError("--team needs --vendor: teams belong to a vendor") }
            if role == .vendorLead, vendor == nil { throw ValidationError("a vendor lead needs --vendor: the vendor they lead") }
        }

        func run() async throws {
            try await CommandFailure.reporting {
                let (person, token) = try await database.withStore(creating: true) { store in
                    let vendorID = try await store.vendorID(vendor)
                    var teamID: UUID?
                    if let vendorID, let team {
                        do {
                            teamID = try await store.team(team, of: vendorID).id
                        } catch AssayError.notFound {
                            // Naming the vendor's teams: the usual slip is a name a little off, or another vendor's team.
                            let teams = try await store.teams(of: vendorID).map(\.name).sorted()
                            throw CommandFailure(description: "team '\(team)' was not found: "
                                + (teams.isEmpty ? "the vendor has no teams yet" : "its teams are \(teams.joined(separator: ", "))"))
                        }
                    }
                    let draft = PersonDraft(
                        externalID: externalID, name: name, role: role, vendorID: vendorID, teamID: teamID,
                        languages: Self.list(languages), markets: Self.list(markets))
                    return try await store.createPersonWithToken(draft, now: Date())
                }
                print("Added \(person.name) (\(person.role.rawValue), id \(person.id)). API token (shown once): \(token)")
            }
        }

        static func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new API token for a person, by their id in the vendor's systems (as --by takes it) or their UUID.")

        @Argument(help: "The person: their external id (e.g. maria-silva) or their UUID.")
        var person: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let token = try await database.withStore { store in
                    let id: UUID
                    if let given = UUID(uuidString: person) { id = given } else { id = try await store.person(externalID: person).id }
                    return try await store.issueToken(for: id, now: Date())
                }
                print(token)
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
