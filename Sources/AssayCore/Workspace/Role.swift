/// What a person does in a workspace, which decides what they may see and change.
///
/// Roles are ordered by nothing: each route names the roles it admits (see ``Policy``).
public enum Role: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// Manages users, vendors and tokens; sees everything.
    case admin
    /// Configures queues and quality settings, imports and exports data, runs analyses.
    case analyst
    /// Runs one vendor's teams and sees only that vendor's people and numbers.
    case vendorLead = "vendor_lead"
    /// Resolves disagreements and appeals; sets reference answers.
    case arbitrator
    /// Audits a sample of submitted judgments.
    case qaReviewer = "qa_reviewer"
    /// Claims items from queues and labels them.
    case annotator

    /// Whether people with this role take items from queues and submit judgments.
    public var labels: Bool {
        switch self {
        case .annotator, .arbitrator, .qaReviewer: return true
        case .admin, .analyst, .vendorLead: return false
        }
    }
}

/// Whether a person may currently take work.
public enum PersonStatus: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// Works normally.
    case active
    /// Still training: may take qualification and training work only.
    case inTraining = "in_training"
    /// Barred from taking work until an analyst lifts the suspension.
    case suspended
}
