import AssayCore
import Foundation
import Synchronization

/// Queues by id and by name, for the few seconds a queue may be served from memory.
///
/// The labeling loop reads its queue on every call; caching saves that query. A queue's quality settings can
/// change, and another server process over the same database would not hear of it, so entries live
/// `lifetime` seconds: a change made through one process reaches the others within that time (at once in the
/// process that made it, which forgets its copy).
final class QueueCache: Sendable {
    private let lifetime: Duration
    private let entries = Mutex<[String: (queue: Queue, expires: ContinuousClock.Instant)]>([:])

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    func queue(_ reference: String) -> Queue? {
        entries.withLock { entries in
            guard let entry = entries[reference] else { return nil }
            guard entry.expires > .now else {
                entries[reference] = nil
                return nil
            }
            return entry.queue
        }
    }

    func remember(_ queue: Queue) {
        let expires = ContinuousClock.now + lifetime
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[queue.id.uuidString] = (queue, expires)
            entries[queue.name] = (queue, expires)
        }
    }

    func forget(_ queue: Queue) {
        entries.withLock { entries in
            entries[queue.id.uuidString] = nil
            entries[queue.name] = nil
        }
    }
}
