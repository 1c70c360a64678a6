import Dispatch

/// CPU-heavy work — fitting a skill model, training a classifier — run on a thread of its own, off Swift's
/// cooperative pool.
///
/// The cooperative pool has one thread per core (two on the machines Assay is sized for), and every request
/// handler and every database reply of the server continues on it. A fit that took ten seconds there would hold
/// one of the two threads for ten seconds and leave every annotator's next item waiting on the other; run here,
/// it shares the cores with them by the kernel's time slicing and the server keeps answering.
///
/// For example:
/// ```swift
/// let model = try await HeavyWork.run { try ConsensusModel.estimate(kind: .dawidSkene, labels: codes, matrix: matrix) }
/// ```
public enum HeavyWork {
    private static let queue = DispatchQueue(label: "assay.heavy-work", qos: .utility, attributes: .concurrent)

    /// Runs `work` on a dispatch thread and returns its result (or rethrows its error) to the caller.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
