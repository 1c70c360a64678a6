import Foundation

/// How a queue checks its annotators against gold: how much gold they see, and what accuracy keeps them on.
///
/// Gold items (items with a reference answer) are mixed into each annotator's stream at `goldRate`. Each
/// annotator's accuracy on their last `goldWindow` gold answers is estimated with a Wilson interval; once they have
/// answered `minGoldAnswers`, an annotator whose whole interval lies below `minGoldAccuracy` is flagged, and with
/// `autoSuspend` on, removed from the queue until an analyst reinstates them.
///
/// For example, a queue that serves one item in ten as gold and suspends anyone clearly below 80%:
/// ```json
/// {"gold_rate": 0.1, "min_gold_accuracy": 0.8, "min_gold_answers": 10, "gold_window": 50, "auto_suspend": true}
/// ```
public struct QualitySettings: Codable, Sendable, Equatable {
    /// The share of `next` calls that hand out a gold item (when one the person has not seen is left): 0 to 0.5.
    public var goldRate: Double
    /// The accuracy on gold an annotator must keep, 0 to 1; nil checks nobody.
    public var minGoldAccuracy: Double?
    /// How many gold answers an annotator gives before the threshold applies.
    public var minGoldAnswers: Int
    /// How many of an annotator's most recent gold answers the running accuracy covers.
    public var goldWindow: Int
    /// Whether an annotator found below the threshold is removed from the queue, not just flagged.
    public var autoSuspend: Bool
    /// Whether arbitrators see who gave each judgment (off by default, so that a decision weighs the answers,
    /// not the people).
    public var arbitrationShowsAnnotators: Bool
    /// The share of judgments sampled for QA review when their item is decided, 0 to 1 (0: no QA).
    public var qaRate: Double
    /// How QA samples: at a flat rate, or per stratum (vendor × market × label × risk tier), oversampling a
    /// stratum until it has the reviews its error-rate interval needs to be `qaTargetWidth` wide.
    public var qaSampling: QASampling.Mode
    /// The width of the 95% interval on each stratum's error rate that stratified sampling aims for.
    public var qaTargetWidth: Double
    /// Whether reviewers label the item before they see the annotator's answer.
    public var qaBlind: Bool
    /// Whether annotators need a current qualification (a passed exam) to take work from the queue.
    public var requiresQualification: Bool
    /// The hours an item may wait, from import to its first final label, and still count as on time; nil sets
    /// no SLA.
    public var slaHours: Double?
    /// Wellbeing: how many items under each severe label (``LabelOption/severe``) one person may judge in a UTC
    /// day, across all queues; past it, this queue gives them no more work that day. nil sets no limit.
    public var exposureLimit: Int?
    /// Wellbeing: after how many minutes of unbroken work the workbench suggests a break; nil never.
    public var breakAfterMinutes: Int?
    /// Wellbeing: whether every image and video shows blurred and in greyscale until clicked, not only items
    /// marked `"sensitive": true`.
    public var blurAllMedia: Bool

    /// Settings with no gold and no threshold: the default for a new queue.
    public init(
        goldRate: Double = 0, minGoldAccuracy: Double? = nil, minGoldAnswers: Int = 10, goldWindow: Int = 50,
        autoSuspend: Bool = false, arbitrationShowsAnnotators: Bool = false, qaRate: Double = 0,
        qaSampling: QASampling.Mode = .uniform, qaTargetWidth: Double = 0.1, qaBlind: Bool = false,
        requiresQualification: Bool = false, slaHours: Double? = nil, exposureLimit: Int? = nil,
        breakAfterMinutes: Int? = nil, blurAllMedia: Bool = false
    ) {
        self.goldRate = goldRate
        self.minGoldAccuracy = minGoldAccuracy
        self.minGoldAnswers = minGoldAnswers
        self.goldWindow = goldWindow
        self.autoSuspend = autoSuspend
        self.arbitrationShowsAnnotators = arbitrationShowsAnnotators
        self.qaRate = qaRate
        self.qaSampling = qaSampling
        self.qaTargetWidth = qaTargetWidth
        self.qaBlind = qaBlind
        self.requiresQualification = requiresQualification
        self.slaHours = slaHours
        self.exposureLimit = exposureLimit
        self.breakAfterMinutes = breakAfterMinutes
        self.blurAllMedia = blurAllMedia
    }

    /// The settings, checked; throws ``AssayError/invalidInput(field:line:reason:)`` naming the field at fault.
    public func validated() throws -> QualitySettings {
        guard goldRate.isFinite, (0...0.5).contains(goldRate) else {
            throw AssayError.invalidInput(field: "gold_rate", line: nil, reason: "must be 0 to 0.5, got \(goldRate)")
        }
        if let minGoldAccuracy, !(minGoldAccuracy.isFinite && (0...1).contains(minGoldAccuracy)) {
            throw AssayError.invalidInput(
                field: "min_gold_accuracy", line: nil, reason: "must be 0 to 1, got \(minGoldAccuracy)")
        }
        guard (1...10_000).contains(minGoldAnswers) else {
            throw AssayError.invalidInput(
                field: "min_gold_answers", line: nil, reason: "must be 1 to 10000, got \(minGoldAnswers)")
        }
        guard (1...10_000).contains(goldWindow), goldWindow >= minGoldAnswers else {
            throw AssayError.invalidInput(
                field: "gold_window", line: nil,
                reason: "must be 1 to 10000 and at least min_gold_answers (\(minGoldAnswers)), got \(goldWindow)")
        }
        guard qaRate.isFinite, (0...1).contains(qaRate) else {
            throw AssayError.invalidInput(field: "qa_rate", line: nil, reason: "must be 0 to 1, got \(qaRate)")
        }
        guard qaTargetWidth.isFinite, qaTargetWidth > 0.01, qaTargetWidth <= 1 else {
            throw AssayError.invalidInput(
                field: "qa_target_width", line: nil, reason: "must be above 0.01 and at most 1, got \(qaTargetWidth)")
        }
        if let slaHours, !(slaHours.isFinite && slaHours > 0 && slaHours <= 8_760) {
            throw AssayError.invalidInput(
                field: "sla_hours", line: nil, reason: "must be above 0 and at most 8760 (a year), got \(slaHours)")
        }
        if let exposureLimit, !(1...10_000).contains(exposureLimit) {
            throw AssayError.invalidInput(
                field: "exposure_limit", line: nil, reason: "must be 1 to 10000 items a day, got \(exposureLimit)")
        }
        if let breakAfterMinutes, !(5...480).contains(breakAfterMinutes) {
            throw AssayError.invalidInput(
                field: "break_after_minutes", line: nil, reason: "must be 5 to 480 minutes, got \(breakAfterMinutes)")
        }
        if autoSuspend, minGoldAccuracy == nil {
            throw AssayError.invalidInput(
                field: "auto_suspend", line: nil, reason: "needs min_gold_accuracy: suspend below which accuracy?")
        }
        return self
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case goldRate = "gold_rate", minGoldAccuracy = "min_gold_accuracy", minGoldAnswers = "min_gold_answers"
        case goldWindow = "gold_window", autoSuspend = "auto_suspend"
        case arbitrationShowsAnnotators = "arbitration_shows_annotators"
        case qaRate = "qa_rate", qaSampling = "qa_sampling", qaTargetWidth = "qa_target_width", qaBlind = "qa_blind"
        case requiresQualification = "requires_qualification", slaHours = "sla_hours"
        case exposureLimit = "exposure_limit", breakAfterMinutes = "break_after_minutes", blurAllMedia = "blur_all_media"
    }

    /// Decodes settings; a missing key takes its default, so `{}` and `{"gold_rate": 0.1}` are both valid.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = QualitySettings()
        goldRate = try container.decodeIfPresent(Double.self, forKey: .goldRate) ?? defaults.goldRate
        minGoldAccuracy = try container.decodeIfPresent(Double.self, forKey: .minGoldAccuracy)
        minGoldAnswers = try container.decodeIfPresent(Int.self, forKey: .minGoldAnswers) ?? defaults.minGoldAnswers
        goldWindow = try container.decodeIfPresent(Int.self, forKey: .goldWindow) ?? defaults.goldWindow
        autoSuspend = try container.decodeIfPresent(Bool.self, forKey: .autoSuspend) ?? defaults.autoSuspend
        arbitrationShowsAnnotators = try container.decodeIfPresent(Bool.self, forKey: .arbitrationShowsAnnotators)
            ?? defaults.arbitrationShowsAnnotators
        qaRate = try container.decodeIfPresent(Double.self, forKey: .qaRate) ?? defaults.qaRate
        qaSampling = try container.decodeIfPresent(QASampling.Mode.self, forKey: .qaSampling) ?? defaults.qaSampling
        qaTargetWidth = try container.decodeIfPresent(Double.self, forKey: .qaTargetWidth) ?? defaults.qaTargetWidth
        qaBlind = try container.decodeIfPresent(Bool.self, forKey: .qaBlind) ?? defaults.qaBlind
        requiresQualification = try container.decodeIfPresent(Bool.self, forKey: .requiresQualification)
            ?? defaults.requiresQualification
        slaHours = try container.decodeIfPresent(Double.self, forKey: .slaHours)
        exposureLimit = try container.decodeIfPresent(Int.self, forKey: .exposureLimit)
        breakAfterMinutes = try container.decodeIfPresent(Int.self, forKey: .breakAfterMinutes)
        blurAllMedia = try container.decodeIfPresent(Bool.self, forKey: .blurAllMedia) ?? defaults.blurAllMedia
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(goldRate, forKey: .goldRate)
        try container.encode(minGoldAccuracy, forKey: .minGoldAccuracy)
        try container.encode(minGoldAnswers, forKey: .minGoldAnswers)
        try container.encode(goldWindow, forKey: .goldWindow)
        try container.encode(autoSuspend, forKey: .autoSuspend)
        try container.encode(arbitrationShowsAnnotators, forKey: .arbitrationShowsAnnotators)
        try container.encode(qaRate, forKey: .qaRate)
        try container.encode(qaSampling, forKey: .qaSampling)
        try container.encode(qaTargetWidth, forKey: .qaTargetWidth)
        try container.encode(qaBlind, forKey: .qaBlind)
        try container.encode(requiresQualification, forKey: .requiresQualification)
        try container.encode(slaHours, forKey: .slaHours)
        try container.encode(exposureLimit, forKey: .exposureLimit)
        try container.encode(breakAfterMinutes, forKey: .breakAfterMinutes)
        try container.encode(blurAllMedia, forKey: .blurAllMedia)
    }
}
