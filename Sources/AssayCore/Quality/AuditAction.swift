/// What an audit log entry records, as `entity.verb`.
///
/// The one list of them: the store writes these and nothing else, so a filter on an action that is not here is a
/// mistake to refuse (`assay audit --action gold.sett`), not an empty answer.
public enum AuditAction: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// A final label decided by an arbitrator.
    case finalLabelArbitrated = "final_label.arbitrated"
    /// A final label appealed for a second look.
    case finalLabelAppealed = "final_label.appealed"
    /// A final label changed by a QA reviewer's correction.
    case finalLabelOverturned = "final_label.overturned"
    /// A final label a consensus re-estimate (Dawid–Skene, weighted vote) changed.
    case finalLabelReestimated = "final_label.re_estimated"
    /// A QA review given.
    case qaReviewed = "qa.reviewed"
    /// Predictions routed to auto-accept, audit or people.
    case predictionsRouted = "predictions.routed"
    /// A gold answer set or changed.
    case goldSet = "gold.set"
    /// A gold item retired.
    case goldRetired = "gold.retired"
    /// An annotator flagged, suspended or reinstated in a queue.
    case memberStatusChanged = "member.status_changed"
    /// An item escalated by its annotator.
    case itemEscalated = "item.escalated"
    /// An exam created (its items are gold that candidates will see).
    case examCreated = "exam.created"
    /// An exam passed.
    case examPassed = "exam.passed"
    /// An exam failed.
    case examFailed = "exam.failed"
    /// A guideline version published.
    case guidelinePublished = "guideline.published"
    /// A queue's quality settings replaced.
    case queueQualityChanged = "queue.quality_changed"
    /// A queue's model-assistance settings replaced.
    case queueAssistChanged = "queue.assist_changed"
    /// A queue created.
    case queueCreated = "queue.created"
    /// A vendor added to the workspace.
    case vendorCreated = "vendor.created"
    /// A team added to a vendor.
    case teamCreated = "team.created"
    /// A person added to the workspace, with their role.
    case personCreated = "person.created"
    /// Whether a person may take work changed (active, in training, suspended), workspace-wide.
    case personStatusChanged = "person.status_changed"
    /// An API token issued to a person.
    case tokenIssued = "token.issued"
    /// A person's API tokens revoked, and their web sessions ended.
    case tokensRevoked = "token.revoked"
}

extension AuditAction {
    /// The action a filter names, nil for none.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` listing the actions, for a name that is not one.
    public static func named(_ name: String?) throws -> AuditAction? {
        guard let name, !name.isEmpty else { return nil }
        guard let action = AuditAction(rawValue: name) else {
            throw AssayError.invalidInput(
                field: "action", line: nil,
                reason: "'\(name)' is not an action the audit log records (\(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return action
    }
}
