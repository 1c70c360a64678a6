import AssayCore

/// The five demo queues: a trust & safety taxonomy in English and in Portuguese/Spanish, an ads-policy queue
/// with multi-choice labels, a search-relevance queue on a 1–5 scale, and a preference (RLHF) queue of assistant
/// replies compared in pairs.
enum DemoQueues {
    /// What kind of content a queue holds.
    enum Kind {
        case comments, ads, searchRelevance, preference
    }

    /// A queue, its share of the items, where its items come from, and how its true labels are distributed.
    struct Plan {
        let draft: QueueDraft
        let kind: Kind
        let itemCount: Int
        /// (market, language) pairs items come from.
        let origins: [(market: String, language: String)]
        /// The true-label distribution.
        let prior: [(code: String, weight: Double)]
        /// Labels people confuse a true label with, most likely first.
        let confusions: [String: [String]]
    }

    static let safetyLabels = [
        LabelOption(code: "hate_speech", name: "Hate speech", description: "Attacks people for a protected characteristic"),
        LabelOption(code: "harassment", name: "Harassment", description: "Targets a person with abuse or threats"),
        LabelOption(
            code: "violent_extremism", name: "Violent extremism", description: "Praises or supports violent groups", severe: true),
        LabelOption(
            code: "self_harm", name: "Self-harm", description: "Encourages or depicts self-injury or suicide", severe: true),
        LabelOption(code: "minor_safety", name: "Minor safety", description: "Endangers or sexualises minors", severe: true),
        LabelOption(code: "spam_scam", name: "Spam or scam", description: "Fraud, phishing, fake giveaways, bulk promotion"),
        LabelOption(code: "monetisation_abuse", name: "Monetisation abuse", description: "Gaming payouts or ad revenue"),
        LabelOption(code: "none", name: "No violation", description: "Allowed under the policy"),
    ]

    /// The labels whose content is harmful to see: exposure to them is counted and limited per person and day.
    static var severeCodes: [String] { safetyLabels.filter(\.severe).map(\.code) }

    static let safetyPrior: [(code: String, weight: Double)] = [
        ("none", 0.52), ("spam_scam", 0.13), ("harassment", 0.11), ("hate_speech", 0.09), ("monetisation_abuse", 0.05),
        ("violent_extremism", 0.04), ("self_harm", 0.035), ("minor_safety", 0.025),
    ]

    static let safetyConfusions: [String: [String]] = [
        "hate_speech": ["harassment", "none"], "harassment": ["hate_speech", "none"],
        "violent_extremism": ["hate_speech", "none"], "self_harm": ["none", "harassment"],
        "minor_safety": ["harassment", "none"], "spam_scam": ["monetisation_abuse", "none"],
        "monetisation_abuse": ["spam_scam", "none"], "none": ["harassment", "spam_scam"],
    ]

    /// One queue in twenty is gold; below 70% on the last 50 gold answers (with 95% confidence) an annotator is
    /// flagged, and on the English comments queue removed until reinstated. One judgment in twenty goes to QA;
    /// an item should have its final label within a day.
    /// For wellbeing, nobody judges more than 40 items under one severe label a day, and the workbench suggests a
    /// break after 50 minutes of unbroken work.
    static let flagging = QualitySettings(
        goldRate: 0.05, minGoldAccuracy: 0.7, minGoldAnswers: 10, goldWindow: 50, qaRate: 0.05, slaHours: 24,
        exposureLimit: 40, breakAfterMinutes: 50)
    static let suspending = QualitySettings(
        goldRate: 0.05, minGoldAccuracy: 0.7, minGoldAnswers: 10, goldWindow: 50, autoSuspend: true, qaRate: 0.05,
        slaHours: 24, exposureLimit: 40, breakAfterMinutes: 50)

    /// The first queue's name: the one the demo's examples read, and by which a demo workspace is known.
    static let firstName = "comments-en"

    static func all(totalItems: Int) -> [Plan] {
        let counts = [0.40, 0.25, 0.20, 0.15].map { max(20, Int(Double(totalItems) * $0)) }
        return [
            Plan(
                draft: QueueDraft(
                    name: firstName, description: "User comments reported or flagged in English-language markets.",
                    domain: "comments", markets: ["US", "GB", "IN", "PH"], languages: ["en"],
                    schema: .singleChoice(safetyLabels), overlap: 3, leaseSeconds: 300, consensus: .majority,
                    ordering: .priority, quality: suspending),
                kind: .comments, itemCount: counts[0],
                origins: [("US", "en"), ("GB", "en"), ("IN", "en"), ("PH", "en"), ("US", "en")],
                prior: safetyPrior, confusions: safetyConfusions),
            Plan(
                draft: QueueDraft(
                    name: "comments-latam-iberia",
                    description: "Comentários e comentarios from Brazil, Mexico, Argentina and Spain.",
                    domain: "comments", markets: ["BR", "MX", "AR", "ES"], languages: ["pt-BR", "es"],
                    schema: .singleChoice(safetyLabels), overlap: 2, leaseSeconds: 300,
                    consensus: ConsensusRule(kind: .majority), ordering: .priority, quality: flagging),
                kind: .comments, itemCount: counts[1],
                origins: [("BR", "pt-BR"), ("BR", "pt-BR"), ("MX", "es"), ("AR", "es"), ("ES", "es")],
                prior: safetyPrior, confusions: safetyConfusions),
            Plan(
                draft: QueueDraft(
                    name: "ads-policy", description: "New ads before they run: every policy they break.",
                    domain: "ads", markets: ["US", "GB", "IN"], languages: ["en"],
                    schema: .multiChoice([
                        LabelOption(code: "scam", name: "Scam", description: "Deceptive offers, fake giveaways"),
                        LabelOption(code: "misleading_claims", name: "Misleading claims", description: "Unproven health or income claims"),
                        LabelOption(code: "prohibited_product", name: "Prohibited product", description: "Weapons, drugs, counterfeits"),
                        LabelOption(code: "adult", name: "Adult content"),
                        LabelOption(code: "none", name: "Compliant", description: "Nothing in the ad breaks the policy.", exclusive: true),
                    ], rationale: .optional),
                    overlap: 2, leaseSeconds: 600, consensus: .majority, ordering: .oldest, quality: flagging),
                kind: .ads, itemCount: counts[2], origins: [("US", "en"), ("GB", "en"), ("IN", "en")],
                prior: [("none", 0.55), ("misleading_claims", 0.18), ("scam", 0.14), ("prohibited_product", 0.08), ("adult", 0.05)],
                confusions: ["scam": ["misleading_claims"], "misleading_claims": ["none", "scam"], "prohibited_product": ["none"],
                             "adult": ["none"], "none": ["misleading_claims"]]),
            Plan(
                draft: QueueDraft(
                    name: "search-relevance", description: "How well a result answers a query, from 1 (off-topic) to 5 (perfect).",
                    domain: "search_relevance", markets: ["US", "IN"], languages: ["en"],
                    schema: LabelSchema(kind: .rating, labels: [
                        LabelOption(code: "1", name: "Off-topic", description: "The result has nothing to do with the query."),
                        LabelOption(code: "2", name: "Barely related", description: "It shares a word or a topic with the query but does not help."),
                        LabelOption(code: "3", name: "Partly useful", description: "It answers part of the query, or answers it for a different intent."),
                        LabelOption(code: "4", name: "Useful", description: "It answers the query; a better result could exist."),
                        LabelOption(code: "5", name: "Perfect", description: "It is what the person was looking for."),
                    ], rationale: .none), overlap: 3, leaseSeconds: 300,
                    consensus: .majority, ordering: .oldest, quality: flagging),
                kind: .searchRelevance, itemCount: counts[3], origins: [("US", "en"), ("IN", "en")],
                prior: [("1", 0.12), ("2", 0.18), ("3", 0.25), ("4", 0.27), ("5", 0.18)],
                confusions: ["1": ["2"], "2": ["1", "3"], "3": ["2", "4"], "4": ["3", "5"], "5": ["4"]]),
            Plan(
                draft: QueueDraft(
                    name: "assistant-replies",
                    description: "Which of two assistant replies is better: helpful, honest and harmless (RLHF preference data).",
                    domain: "rlhf", markets: ["US", "GB", "IN"], languages: ["en"],
                    schema: LabelSchema(
                        kind: .preference,
                        labels: [
                            LabelOption(
                                code: "A", name: "Reply A is better",
                                description: "A is more helpful, honest and harmless than B. When both fail, choose the one that fails more safely."),
                            LabelOption(
                                code: "B", name: "Reply B is better",
                                description: "B is more helpful, honest and harmless than A. When both fail, choose the one that fails more safely."),
                        ],
                        rationale: .optional),
                    overlap: 3, leaseSeconds: 600, consensus: .majority, ordering: .oldest, quality: flagging),
                kind: .preference, itemCount: max(20, totalItems * 3 / 100), origins: [("US", "en"), ("GB", "en"), ("IN", "en")],
                prior: [("A", 0.5), ("B", 0.5)], confusions: ["A": ["B"], "B": ["A"]]),
        ]
    }
}

extension DemoQueues {
    /// A queue's review policy as the policy team would write it: a heading per label, which becomes that label's
    /// passage in the workbench.
    static func guidelines(for queue: Queue) -> String {
        let rules: String
        switch queue.schema.kind {
        case .rating:
            rules = """
                Rate the result for the query as the person who typed it meant it. Judge the page, not its title; when
                unsure between two grades, choose the lower.
                """
        case .preference:
            rules = """
                Read the prompt, then both replies in full. Prefer the reply that is helpful, honest and harmless, in that
                order of checking: a confident wrong answer loses to a careful partial one. Write a rationale when the call
                was close.
                """
        default:
            rules = """
                Judge what the content does, not the words it uses: quoting, reporting or condemning harm is not harm. When two
                labels fit, choose the more severe. Write a rationale when the call was close.
                """
        }
        var text = "# \(queue.name): review policy\n\n\(rules)\n"
        for label in queue.schema.labels {
            text += "\n## \(label.name)\n\n\(label.description ?? "Use \(label.name) when it is what the content does.")\n"
        }
        return text
    }
}
