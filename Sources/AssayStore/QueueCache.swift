import AssayCore
import Foundation
import Synchronization

/// Queue definitions by id and by name, kept in memory: the loop reads its queue on every request.
///
/// Queues cannot be changed or deleted once made (no route does either), so an entry never goes stale, in this
/// process or any other. When queue settings become editable, the edit must go through the store and clear the
/// entry here; other processes would then need a version check.
final class QueueCache: Sendable {
    private let entries = Mutex<[String: Queue]>([:])

    func queue(_ reference: String) -> Queue? {
        entries.withLock { $0[reference] }
    }

    func remember(_ queue: Queue) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[queue.id.uuidString] = queue
            entries[queue.name] = queue
        }
    }
}
