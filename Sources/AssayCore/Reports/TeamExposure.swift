import Foundation

/// How much severe content one team saw over a period, for one label: what an ops lead watches to keep people
/// well — total items, how many people saw any, and how many person-days reached the limit.
public struct TeamExposure: Codable, Sendable, Equatable {
    /// `Vendor / Team`, `(in-house)` and `(no team)` where there is none.
    public var team: String
    public var label: String
    public var items: Int
    public var people: Int
    /// Days on which one person reached the limit (counted once per person and day); 0 without a limit.
    public var personDaysAtLimit: Int
    /// The most one person saw in one day.
    public var highestDay: Int

    public init(team: String, label: String, items: Int, people: Int, personDaysAtLimit: Int, highestDay: Int) {
        self.team = team
        self.label = label
        self.items = items
        self.people = people
        self.personDaysAtLimit = personDaysAtLimit
        self.highestDay = highestDay
    }

    enum CodingKeys: String, CodingKey {
        case team, label, items, people
        case personDaysAtLimit = "person_days_at_limit", highestDay = "highest_day"
    }
}

/// What needs attention in a queue now, for a business review: work waiting, cases waiting for an arbitrator,
/// judgments waiting for a QA reviewer, and people flagged or suspended by their gold accuracy.
public struct QueueIssues: Codable, Sendable, Equatable {
    public var backlog: Int
    public var awaitingArbitration: Int
    public var awaitingQA: Int
    public var flagged: Int
    public var suspended: Int

    public init(backlog: Int, awaitingArbitration: Int, awaitingQA: Int, flagged: Int, suspended: Int) {
        self.backlog = backlog
        self.awaitingArbitration = awaitingArbitration
        self.awaitingQA = awaitingQA
        self.flagged = flagged
        self.suspended = suspended
    }
}
