import Foundation

/// A labeling project: what content it holds, which answers it accepts, and how work flows through it.
public struct Queue: Codable, Sendable, Equatable, Identifiable {
    /// The queue's identifier.
    public var id: UUID
    /// The queue's name, unique in the workspace (the CLI's `--queue` takes it).
    public var name: String
    /// What the queue is for, in a sentence or two.
    public var description: String
    /// The content domain, e.g. `comments`, `ads`, `search_relevance`.
    public var domain: String
    /// Markets served; an annotator must cover one of them (empty: any market).
    public var markets: [String]
    /// Languages served; an annotator must speak one of them (empty: any language).
    public var languages: [String]
    /// The answers the queue accepts.
    public var schema: LabelSchema
    /// Judgments wanted per item, each from a different person.
    public var overlap: Int
    /// How long an annotator holds an item before it returns to the pool.
    public var leaseSeconds: Int
    /// How an item's judgments become its final label.
    public var consensus: ConsensusRule
    /// Which item is handed out next.
    public var ordering: ItemOrdering
    /// Gold mixing and the accuracy annotators must keep.
    public var quality: QualitySettings
    /// The model the queue works with: suggestions shown to people, auto-accept.
    public var assist: AssistSettings
    /// When the queue was made.
    public var createdAt: Date

    /// Makes a queue value.
    public init(
        id: UUID, name: String, description: String, domain: String, markets: [String], languages: [String],
        schema: LabelSchema, overlap: Int, leaseSeconds: Int, consensus: ConsensusRule, ordering: ItemOrdering,
        quality: QualitySettings = QualitySettings(), assist: AssistSettings = AssistSettings(), createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.domain = domain
        self.markets = markets
        self.languages = languages
        self.schema = schema
        self.overlap = overlap
        self.leaseSeconds = leaseSeconds
        self.consensus = consensus
        self.ordering = ordering
        self.quality = quality
        self.assist = assist
        self.createdAt = createdAt
    }
}

/// Which item an annotator gets next.
public enum ItemOrdering: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// Highest priority first, oldest first among equals.
    case priority
    /// Oldest first, ignoring priority.
    case oldest
    /// Newest first: for queues where fresh content matters most.
    case newest
    /// Most uncertain first, by the queue's predictor (active learning: people label first what a model would learn
    /// most from); items it has not predicted come last, oldest first.
    case uncertainty
}

/// What it takes to make a queue, with defaults a trust & safety team would pick.
public struct QueueDraft: Codable, Sendable, Equatable {
    /// Unique name.
    public var name: String
    /// What the queue is for.
    public var description: String?
    /// Content domain.
    public var domain: String?
    /// Markets served.
    public var markets: [String]?
    /// Languages served.
    public var languages: [String]?
    /// Accepted answers.
    public var schema: LabelSchema
    /// Judgments per item (default 1).
    public var overlap: Int?
    /// Lease length in seconds (default 600).
    public var leaseSeconds: Int?
    /// Consensus rule (default majority).
    public var consensus: ConsensusRule?
    /// Ordering (default priority).
    public var ordering: ItemOrdering?
    /// Gold mixing and thresholds; none by default.
    public var quality: QualitySettings?
    /// Model assistance; none by default.
    public var assist: AssistSettings?

    /// Makes a draft.
    public init(
        name: String, description: String? = nil, domain: String? = nil, markets: [String]? = nil,
        languages: [String]? = nil, schema: LabelSchema, overlap: Int? = nil, leaseSeconds: Int? = nil,
        consensus: ConsensusRule? = nil, ordering: ItemOrdering? = nil, quality: QualitySettings? = nil,
        assist: AssistSettings? = nil
    ) {
        self.name = name
        self.description = description
        self.domain = domain
        self.markets = markets
        self.languages = languages
        self.schema = schema
        self.overlap = overlap
        self.leaseSeconds = leaseSeconds
        self.consensus = consensus
        self.ordering = ordering
        self.quality = quality
        self.assist = assist
    }

    /// What a queue name may not hold: what ends or splits a path, and what it cannot carry.
    private static let unaddressable = CharacterSet.controlCharacters.union(CharacterSet(charactersIn: "/\\?#%"))

    /// The queue this draft describes, with defaults filled in, or an error naming the wrong field.
    ///
    /// - Parameters:
    ///   - id: the identifier to give it.
    ///   - now: the creation time.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)``.
    public func makeQueue(id: UUID, now: Date) throws -> Queue {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a queue name must be 1 to 200 characters")
        }
        guard UUID(uuidString: trimmed) == nil else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a queue name cannot look like an id")
        }
        // The name is the queue's address (`/api/v1/queues/{name}`, `assay export --queue NAME`): a character a
        // path splits or ends on, or cannot carry, would make a queue nobody can reach.
        if let bad = trimmed.unicodeScalars.first(where: { Self.unaddressable.contains($0) }) {
            let shown = bad.properties.generalCategory == .control ? "a control character" : "'\(bad)'"
            throw AssayError.invalidInput(
                field: "name", line: nil, reason: "a queue name cannot hold \(shown) (nor / \\ ? # %)")
        }
        guard trimmed != ".", trimmed != ".." else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a queue name cannot be '.' or '..'")
        }
        // Every role reads the queue list, description included: a long policy belongs in the guidelines.
        if let description, description.count > 20_000 {
            throw AssayError.invalidInput(
                field: "description", line: nil,
                reason: "must be at most 20000 characters, got \(description.count); publish long policy as guidelines")
        }
        let overlap = self.overlap ?? 1
        guard (1...50).contains(overlap) else {
            throw AssayError.invalidInput(field: "overlap", line: nil, reason: "must be 1 to 50, got \(overlap)")
        }
        let lease = leaseSeconds ?? 600
        guard (5...86_400).contains(lease) else {
            throw AssayError.invalidInput(
                field: "lease_seconds", line: nil, reason: "must be 5 seconds to 1 day, got \(lease)")
        }
        return Queue(
            id: id, name: trimmed, description: description ?? "", domain: domain ?? "general",
            markets: try Locale.normalizedMarkets(markets ?? []),
            languages: try Locale.normalizedCodes(languages ?? []),
            schema: try schema.validated(), overlap: overlap, leaseSeconds: lease,
            consensus: try (consensus ?? .majority).validated(for: schema.kind), ordering: ordering ?? .priority,
            quality: try (quality ?? QualitySettings()).validated(),
            assist: try (assist ?? AssistSettings()).validated(for: schema), createdAt: now)
    }
}

extension Queue {
    enum CodingKeys: String, CodingKey {
        case id, name, description, domain, markets, languages, schema, overlap, consensus, ordering, quality, assist
        case leaseSeconds = "lease_seconds", createdAt = "created_at"
    }

    /// Decodes a queue; one written before quality settings existed gets the defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(UUID.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            description: try container.decode(String.self, forKey: .description),
            domain: try container.decode(String.self, forKey: .domain),
            markets: try container.decode([String].self, forKey: .markets),
            languages: try container.decode([String].self, forKey: .languages),
            schema: try container.decode(LabelSchema.self, forKey: .schema),
            overlap: try container.decode(Int.self, forKey: .overlap),
            leaseSeconds: try container.decode(Int.self, forKey: .leaseSeconds),
            consensus: try container.decode(ConsensusRule.self, forKey: .consensus),
            ordering: try container.decode(ItemOrdering.self, forKey: .ordering),
            quality: try container.decodeIfPresent(QualitySettings.self, forKey: .quality) ?? QualitySettings(),
            assist: try container.decodeIfPresent(AssistSettings.self, forKey: .assist) ?? AssistSettings(),
            createdAt: try container.decode(Date.self, forKey: .createdAt))
    }
}

extension QueueDraft {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, domain, markets, languages, schema, overlap, consensus, ordering, quality, assist
        case leaseSeconds = "lease_seconds"
    }

    /// Decodes a draft; a key it does not know is refused when the decoder says so (``CodingUserInfoKey/refusesUnknownKeys``).
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            domain: try container.decodeIfPresent(String.self, forKey: .domain),
            markets: try container.decodeIfPresent([String].self, forKey: .markets),
            languages: try container.decodeIfPresent([String].self, forKey: .languages),
            schema: try container.decode(LabelSchema.self, forKey: .schema),
            overlap: try container.decodeIfPresent(Int.self, forKey: .overlap),
            leaseSeconds: try container.decodeIfPresent(Int.self, forKey: .leaseSeconds),
            consensus: try container.decodeIfPresent(ConsensusRule.self, forKey: .consensus),
            ordering: try container.decodeIfPresent(ItemOrdering.self, forKey: .ordering),
            quality: try container.decodeIfPresent(QualitySettings.self, forKey: .quality),
            assist: try container.decodeIfPresent(AssistSettings.self, forKey: .assist))
    }
}
