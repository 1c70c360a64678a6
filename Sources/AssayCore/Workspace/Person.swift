import Foundation

/// A person in the workspace: an annotator, a reviewer, an analyst, an admin.
///
/// `externalID` is the identifier the person has in the vendor's own systems (and in judgments imported from
/// other tools); it is unique in the workspace.
public struct Person: Codable, Sendable, Equatable, Identifiable {
    /// The stable identifier Assay gives the person.
    public var id: UUID
    /// The identifier the person has in the vendor's systems, unique in the workspace.
    public var externalID: String
    /// The name shown in lists and reports.
    public var name: String
    /// What the person does, and so what they may see.
    public var role: Role
    /// The vendor the person works for; `nil` for in-house staff.
    public var vendorID: UUID?
    /// The team within the vendor.
    public var teamID: UUID?
    /// Languages the person reviews, as BCP 47 codes such as `en` or `pt-BR`. Empty means no restriction.
    public var languages: [String]
    /// Markets the person covers, such as `US` or `BR`. Empty means no restriction.
    public var markets: [String]
    /// Whether the person may take work now.
    public var status: PersonStatus
    /// When the person was added.
    public var createdAt: Date

    /// Makes a person value; the store assigns `id` and `createdAt` when it saves a ``PersonDraft``.
    public init(
        id: UUID, externalID: String, name: String, role: Role, vendorID: UUID? = nil, teamID: UUID? = nil,
        languages: [String] = [], markets: [String] = [], status: PersonStatus = .active, createdAt: Date
    ) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.role = role
        self.vendorID = vendorID
        self.teamID = teamID
        self.languages = languages
        self.markets = markets
        self.status = status
        self.createdAt = createdAt
    }
}

/// What it takes to add a person: checked by ``validated()`` before it reaches the store.
public struct PersonDraft: Codable, Sendable, Equatable {
    /// The identifier in the vendor's systems; defaults to a slug of the name.
    public var externalID: String?
    /// The display name.
    public var name: String
    /// The role.
    public var role: Role
    /// The vendor, by id.
    public var vendorID: UUID?
    /// The team, by id (it must belong to `vendorID`).
    public var teamID: UUID?
    /// Languages reviewed.
    public var languages: [String]
    /// Markets covered.
    public var markets: [String]

    /// Makes a draft.
    public init(
        externalID: String? = nil, name: String, role: Role, vendorID: UUID? = nil, teamID: UUID? = nil,
        languages: [String] = [], markets: [String] = []
    ) {
        self.externalID = externalID
        self.name = name
        self.role = role
        self.vendorID = vendorID
        self.teamID = teamID
        self.languages = languages
        self.markets = markets
    }

    /// The draft with names trimmed and codes normalised, or an error naming the field that is wrong.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for an empty name or one over 200 characters, a
    ///   vendor lead without a vendor, or a language or market code that is not one.
    public func validated() throws -> PersonDraft {
        var draft = self
        draft.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !draft.name.isEmpty else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a person needs a name")
        }
        // As vendor, team and queue names: a name is shown in every list and report row.
        guard draft.name.count <= 200 else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "must be at most 200 characters, got \(draft.name.count)")
        }
        let external = (externalID ?? Slug.make(from: draft.name)).trimmingCharacters(in: .whitespaces)
        if externalID == nil, external.isEmpty {
            throw AssayError.invalidInput(
                field: "external_id", line: nil, reason: "is required: the name '\(draft.name)' has no letters or digits to make one of")
        }
        guard !external.isEmpty, external.count <= 200 else {
            throw AssayError.invalidInput(field: "external_id", line: nil, reason: "must be 1 to 200 characters")
        }
        draft.externalID = external.composed
        if role == .vendorLead, vendorID == nil {
            throw AssayError.invalidInput(field: "vendor_id", line: nil, reason: "a vendor lead must belong to a vendor")
        }
        draft.languages = try Locale.normalizedCodes(languages)
        draft.markets = try Locale.normalizedMarkets(markets)
        return draft
    }
}

/// Turns display names into identifiers such as `maria-silva`.
enum Slug {
    static func make(from name: String) -> String {
        let lowered = name.lowercased()
        var out = ""
        var lastWasDash = false
        for scalar in lowered.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash, !out.isEmpty {
                out.append("-")
                lastWasDash = true
            }
        }
        return lastWasDash ? String(out.dropLast()) : out
    }
}

extension Person {
    enum CodingKeys: String, CodingKey {
        case id, name, role, languages, markets, status
        case externalID = "external_id", vendorID = "vendor_id", teamID = "team_id", createdAt = "created_at"
    }
}

extension PersonDraft {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, role, languages, markets
        case externalID = "external_id", vendorID = "vendor_id", teamID = "team_id"
    }
}

extension PersonDraft {
    /// Decodes a draft; only `name` and `role` are required.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            externalID: try container.decodeIfPresent(String.self, forKey: .externalID),
            name: try container.decode(String.self, forKey: .name),
            role: try container.decode(Role.self, forKey: .role),
            vendorID: try container.decodeIfPresent(UUID.self, forKey: .vendorID),
            teamID: try container.decodeIfPresent(UUID.self, forKey: .teamID),
            languages: try container.decodeIfPresent([String].self, forKey: .languages) ?? [],
            markets: try container.decodeIfPresent([String].self, forKey: .markets) ?? [])
    }
}
