import AssayCore
import Vapor

/// A queue with its progress, as `GET /api/v1/queues/{queue}` returns it.
struct QueueResponse: Content {
    let queue: Queue
    let stats: StatsResponse?
}

/// Progress figures, with the derived backlog and completion share.
struct StatsResponse: Content {
    let items: Int
    let goldItems: Int
    let completedItems: Int
    let backlog: Int
    let completion: Double
    let judgments: Int
    let skips: Int
    let resolvedItems: Int
    let unresolvedItems: Int

    init(_ stats: QueueStats) {
        items = stats.items
        goldItems = stats.goldItems
        completedItems = stats.completedItems
        backlog = stats.backlog
        completion = stats.completion
        judgments = stats.judgments
        skips = stats.skips
        resolvedItems = stats.resolvedItems
        unresolvedItems = stats.unresolvedItems
    }

    enum CodingKeys: String, CodingKey {
        case items, backlog, completion, judgments, skips
        case completedItems = "completed_items", resolvedItems = "resolved_items", unresolvedItems = "unresolved_items"
        case goldItems = "gold_items"
    }
}
