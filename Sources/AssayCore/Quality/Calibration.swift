import Foundation

/// A calibration session: chosen people (by vendor, team or name) label the same items, which have reference
/// answers, within a window; the report compares everyone with the references and with each other, and names the
/// labels the population confuses most, for the discussion the session exists for.
public struct CalibrationSession: Codable, Sendable, Equatable {
    public struct Participants: Codable, Sendable, Equatable {
        public var vendors: [UUID]
        public var teams: [UUID]
        public var people: [UUID]

        public init(vendors: [UUID] = [], teams: [UUID] = [], people: [UUID] = []) {
            self.vendors = vendors
            self.teams = teams
            self.people = people
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            vendors = try container.decodeIfPresent([UUID].self, forKey: .vendors) ?? []
            teams = try container.decodeIfPresent([UUID].self, forKey: .teams) ?? []
            people = try container.decodeIfPresent([UUID].self, forKey: .people) ?? []
        }

        /// Whether the person is called to the session: named, or someone who labels (``Role/labels``) in a team or
        /// vendor called. A vendor's lead is not among its labellers: the session's items are gold, and the lead
        /// discusses the session (notes, the report) without seeing them as a participant does.
        public func include(_ person: Person) -> Bool {
            people.contains(person.id)
                || (person.role.labels
                    && (person.teamID.map(teams.contains) == true || person.vendorID.map(vendors.contains) == true))
        }

    }

    public var id: UUID
    public var queueID: UUID
    public var name: String
    public var itemIDs: [Int64]
    public var participants: Participants
    public var opensAt: Date
    public var closesAt: Date
    public var createdAt: Date

    public init(
        id: UUID, queueID: UUID, name: String, itemIDs: [Int64], participants: Participants, opensAt: Date, closesAt: Date,
        createdAt: Date
    ) {
        self.id = id
        self.queueID = queueID
        self.name = name
        self.itemIDs = itemIDs
        self.participants = participants
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, participants
        case queueID = "queue_id", itemIDs = "item_ids", opensAt = "opens_at", closesAt = "closes_at"
        case createdAt = "created_at"
    }
}

/// A calibration session as an analyst defines it: items with reference answers by external id, and participants
/// as people write them.
public struct CalibrationDraft: Codable, Sendable, Equatable {
    /// Who is called to the session, each by id or by the name people know it by: a vendor by its name, a team
    /// as `vendor/team` (or its name alone, when no other vendor has a team so named), a person by external id.
    ///
    /// For example, `{"vendors": ["Northwind BPO"], "teams": ["Atlas Review/São Paulo"], "people": ["kestrel-004"]}`.
    public struct Participants: Codable, Sendable, Equatable {
        public var vendors: [String]
        public var teams: [String]
        public var people: [String]

        public init(vendors: [String] = [], teams: [String] = [], people: [String] = []) {
            self.vendors = vendors
            self.teams = teams
            self.people = people
        }

        /// Participants given by id.
        public init(_ participants: CalibrationSession.Participants) {
            self.init(
                vendors: participants.vendors.map(\.uuidString), teams: participants.teams.map(\.uuidString),
                people: participants.people.map(\.uuidString))
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case vendors, teams, people
        }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            vendors = try container.decodeIfPresent([String].self, forKey: .vendors) ?? []
            teams = try container.decodeIfPresent([String].self, forKey: .teams) ?? []
            people = try container.decodeIfPresent([String].self, forKey: .people) ?? []
        }

        var isEmpty: Bool { vendors.isEmpty && teams.isEmpty && people.isEmpty }
    }

    public var name: String
    public var items: [String]
    public var participants: Participants
    public var opensAt: Date?
    public var closesAt: Date

    public init(name: String, items: [String], participants: Participants, opensAt: Date? = nil, closesAt: Date) {
        self.name = name
        self.items = items
        self.participants = participants
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    /// - Throws: ``AssayError/invalidInput(field:line:reason:)``.
    public func validated(now: Date) throws -> CalibrationDraft {
        guard !name.trimmingBlanksAndNewlines.isEmpty else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a session needs a name")
        }
        guard !items.isEmpty, items.count <= 500, Set(items).count == items.count else {
            throw AssayError.invalidInput(field: "items", line: nil, reason: "give 1 to 500 different items")
        }
        guard !participants.isEmpty else {
            throw AssayError.invalidInput(field: "participants", line: nil, reason: "name at least one vendor, team or person")
        }
        guard closesAt > (opensAt ?? now) else {
            throw AssayError.invalidInput(field: "closes_at", line: nil, reason: "the session must close after it opens")
        }
        return self
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, items, participants
        case opensAt = "opens_at", closesAt = "closes_at"
    }

    /// Decodes a draft; a key it does not know is refused.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name), items: try container.decode([String].self, forKey: .items),
            participants: try container.decode(Participants.self, forKey: .participants),
            opensAt: try container.decodeIfPresent(Date.self, forKey: .opensAt),
            closesAt: try container.decode(Date.self, forKey: .closesAt))
    }
}

/// What a calibration session showed.
public struct CalibrationReport: Codable, Sendable, Equatable {
    /// Accuracy against the references of one group: a person, team, vendor, or the items of one reference label.
    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var name: String?
        public var score: GoldScore

        public init(key: String, name: String?, score: GoldScore) {
            self.key = key
            self.name = name
            self.score = score
        }
    }

    /// A reference label answered as another, and how often.
    public struct Confusion: Codable, Sendable, Equatable {
        public var reference: String
        public var answered: String
        public var count: Int

        public init(reference: String, answered: String, count: Int) {
            self.reference = reference
            self.answered = answered
            self.count = count
        }
    }

    public struct Note: Codable, Sendable, Equatable {
        public var author: String
        public var text: String
        public var at: Date

        public init(author: String, text: String, at: Date) {
            self.author = author
            self.text = text
            self.at = at
        }
    }

    public var sessionID: UUID
    public var participants: Int
    public var answers: Int
    public var people: [Row]
    public var teams: [Row]
    public var vendors: [Row]
    public var labels: [Row]
    /// Krippendorff's α (nominal) among participants; nil when it cannot be computed (one answer per item, no
    /// variation).
    public var alpha: Double?
    /// Fleiss' κ among participants, over items with two or more answers; nil when it cannot be computed.
    public var fleissKappa: Double?
    /// The confusions, most frequent first: what the population disagrees on most.
    public var confusions: [Confusion]
    public var notes: [Note]

    public init(
        sessionID: UUID, participants: Int, answers: Int, people: [Row], teams: [Row], vendors: [Row], labels: [Row],
        alpha: Double?, fleissKappa: Double?, confusions: [Confusion], notes: [Note]
    ) {
        self.sessionID = sessionID
        self.participants = participants
        self.answers = answers
        self.people = people
        self.teams = teams
        self.vendors = vendors
        self.labels = labels
        self.alpha = alpha
        self.fleissKappa = fleissKappa
        self.confusions = confusions
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case participants, answers, people, teams, vendors, labels, alpha, confusions, notes
        case sessionID = "session_id", fleissKappa = "fleiss_kappa"
    }
}
