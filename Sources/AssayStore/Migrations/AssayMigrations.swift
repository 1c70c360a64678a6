import AssayCore
import FluentKit

/// Every schema change, in the order it runs. Shipped migrations are never edited: add the next one.
///
/// Times are stored as BIGINT milliseconds since 1970 (UTC) in columns named `…_ms`, and structured values as
/// JSON text, so that one set of migrations gives SQLite and PostgreSQL the same schema and the same queries.
public enum AssayMigrations {
    /// The migrations, oldest first.
    public static let all: [any AsyncMigration] = [
        CreateWorkspace(),
        CreateQueues(),
        CreateItems(),
        CreateAssignments(),
        CreateJudgments(),
        CreateFinalLabels(),
        CreateJobs(),
        CreateLiveLeaseIndex(),
        AddGold(),
        CreateGoldAnswers(),
        CreateQueueMembers(),
        CreateAuditEvents(),
        AddQueueQuality(),
        CreateConsensusModels(),
        CreateArbitrationCases(),
        CreateQAReviews(),
        CreateGuidelines(),
        CreateExams(),
        CreateCalibrations(),
        AddQAStrataSampled(),
        CreateWebSessions(),
        AddJudgmentsByAnnotatorIndex(),
        CreateActivityDays(),
        CreateDecisionDays(),
        AddAppealedLabels(),
        CreateExposureDays(),
        CreateGoldConfusionDays(),
        CreatePredictions(),
        AddModelAssist(),
        CreateLabelErrorFlags(),
        AddUncertainty(),
        CreateLLMRuns(),
        AddRequiredJudgments(),
        AddJudgmentRanking(),
        AddModelDecided(),
        ShardDecisionDays(),
        IndexScoredItemsOnly(),
        DropDuplicateLeaseIndex(),
        CountGoldItems(),
        IndexExamAttemptsByPerson(),
        KeyActivityByMarket(),
        IndexCalibrationAnswersByPerson(),
        LeaseArbitrationCases(),
        OneRunningLLMRunPerPredictor(),
        NormalizeLanguageCodes(),
        UniqueCalibrationNames(),
        ComposeExternalIDs(),
        RetireTrainingExamGold(),
        AddTokensReported(),
        AddExamRetakeWait(),
        IndexItemsAndJudgmentsByQueue(),
        IndexAuditEventsByAction(),
    ]
}
