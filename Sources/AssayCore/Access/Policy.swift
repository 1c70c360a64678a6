import Foundation

/// Who may do what: one function per kind of action, each throwing ``AssayError/forbidden(_:)`` with a reason.
///
/// Controllers call exactly one of these after authenticating and before touching the store, so that every
/// route's rule can be read in this file.
///
/// For example:
/// ```swift
/// try Policy.requireCanManageQueues(actor)
/// ```
public enum Policy {
    /// Adding people, vendors, teams and tokens.
    public static func requireCanManageWorkspace(_ actor: Actor) throws {
        try require(actor, in: [.admin], to: "manage people, vendors and tokens")
    }

    /// Suspending, reinstating or putting people in training: quality operations, not only administration.
    public static func requireCanManageStatus(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "change whether people may take work")
    }

    /// Listing people: admins and analysts see all; vendor leads see their own vendor (the store scopes it).
    public static func requireCanListPeople(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .vendorLead], to: "list people")
    }

    /// Seeing one vendor's teams and people: a vendor lead only their own vendor's.
    public static func requireCanSeeVendor(_ actor: Actor, _ vendorID: UUID) throws {
        try requireCanListPeople(actor)
        if actor.role == .vendorLead, actor.person.vendorID != vendorID {
            throw AssayError.forbidden("a vendor lead sees only their own vendor")
        }
    }

    /// Creating and configuring queues.
    public static func requireCanManageQueues(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "create or change queues")
    }

    /// Seeing queue definitions (everyone signed in: annotators need the schema to label).
    public static func requireCanSeeQueues(_ actor: Actor) throws {}

    /// Importing items and judgments, and reading item lists.
    public static func requireCanManageData(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "import or read queue data")
    }

    /// Reading progress figures of a queue.
    public static func requireCanSeeStats(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .vendorLead], to: "see queue statistics")
    }

    /// Scraping the server's Prometheus metrics: every queue's progress and the server's load.
    public static func requireCanSeeMetrics(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "read the server's metrics")
    }

    /// Exporting final labels.
    public static func requireCanExport(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "export labels")
    }

    /// Reference answers are what annotators are scored against: only those who decide them see or set them.
    public static func requireCanManageGold(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .arbitrator], to: "see or set gold answers")
    }

    /// Scores and the audit log: analysts see everything; a vendor lead sees their own vendor's people (the
    /// store filters by ``vendorScope(of:)``).
    public static func requireCanSeeScores(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .vendorLead], to: "see scores, dashboards, reports or the audit log")
    }

    /// Reinstating annotators and changing a queue's quality settings.
    public static func requireCanManageQuality(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "change quality settings or reinstate annotators")
    }

    /// Importing predictions, choosing a queue's model, and reading how models compare with people: analysts'
    /// work. A model's figures on gold would tell a vendor lead's people the reference answers.
    public static func requireCanManageModels(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst], to: "manage models and predictions")
    }

    /// Arbitration files show every judgment of an item: for those who decide, and analysts who oversee them.
    public static func requireCanSeeArbitration(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .arbitrator], to: "see arbitration cases")
    }

    /// Anyone who labels may sit an exam, people in training first of all (and those suspended from a queue, whose
    /// exams lift the suspension).
    public static func requireCanSitExams(_ actor: Actor) throws {
        guard actor.role.labels else { throw AssayError.forbidden("exams are for people who label items") }
    }

    /// A guideline change lists the gold items and recent final labels it touches: for those who keep gold and
    /// decide cases, and analysts who publish the change.
    public static func requireCanReviewGuidelineChanges(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .arbitrator], to: "see what a guideline change touches")
    }

    /// Deciding a case sets a final label that nothing overrides.
    public static func requireCanArbitrate(_ actor: Actor) throws {
        try require(actor, in: [.admin, .arbitrator], to: "decide arbitration cases")
    }

    /// Reopening a final label for arbitration. A vendor lead appeals for their own people: the store limits
    /// them to items their vendor judged (``vendorScope(of:)``).
    public static func requireCanAppeal(_ actor: Actor) throws {
        try require(actor, in: [.admin, .analyst, .arbitrator, .qaReviewer, .vendorLead], to: "appeal final labels")
    }

    /// Reviewing sampled judgments.
    public static func requireCanReview(_ actor: Actor) throws {
        try require(actor, in: [.admin, .qaReviewer], to: "review judgments for QA")
    }

    /// The vendor whose data alone the actor may see, or nil for everything.
    public static func vendorScope(of actor: Actor) throws -> UUID? {
        guard actor.role == .vendorLead else { return nil }
        guard let vendorID = actor.person.vendorID else {
            throw AssayError.forbidden("this vendor lead belongs to no vendor, so there is nothing to show")
        }
        return vendorID
    }

    /// Taking items and submitting judgments: for roles that label, and only while the person is not suspended.
    public static func requireCanLabel(_ actor: Actor) throws {
        guard actor.role.labels else {
            throw AssayError.forbidden("\(actor.role.withArticle) does not label items; use an annotator's token")
        }
        switch actor.person.status {
        case .active: return
        case .inTraining: throw AssayError.forbidden("\(actor.person.name) is in training and cannot take queue work yet")
        case .suspended: throw AssayError.forbidden("\(actor.person.name) is suspended from labeling")
        }
    }

    private static func require(_ actor: Actor, in roles: Set<Role>, to action: String) throws {
        guard roles.contains(actor.role) else {
            let allowed = roles.map(\.words).sorted().joined(separator: ", ")
            throw AssayError.forbidden("\(actor.role.withArticle) may not \(action) (allowed: \(allowed))")
        }
    }
}

extension Role {
    /// "admin", "vendor lead", "QA reviewer": for messages.
    public var words: String { self == .qaReviewer ? "QA reviewer" : rawValue.replacingOccurrences(of: "_", with: " ") }

    /// "an admin", "a vendor lead", "a QA reviewer": for messages.
    public var withArticle: String { ("aeiou".contains(words.first!) ? "an " : "a ") + words }
}
