import AssayStore
import Foundation
import Synchronization
import Testing

@Suite("Heavy work off the cooperative pool")
struct HeavyWorkTests {
    /// As many blocking jobs as the machine has cores — enough to fill Swift's cooperative pool — each waiting for a
    /// flag that only an ordinary task can set. Run on the cooperative pool, the task setting the flag would never
    /// get a thread and every job would give up after its wait; run by `HeavyWork`, all see the flag.
    @Test("blocking work leaves the cooperative threads free for other tasks")
    func blockingWorkLeavesTheCooperativePoolFree() async throws {
        let flag = Flag()
        let jobs = (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in
            Task {
                try await HeavyWork.run { () -> Bool in
                    let giveUp = Date().addingTimeInterval(20)
                    while !flag.isSet.load(ordering: .acquiring), Date() < giveUp { usleep(1_000) }
                    return flag.isSet.load(ordering: .acquiring)
                }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        flag.isSet.store(true, ordering: .releasing)
        for job in jobs { #expect(try await job.value, "a job waited out its 20 s without the flag being set") }
    }

    private final class Flag: Sendable {
        let isSet = Atomic<Bool>(false)
    }

    @Test("the work's result and its error reach the caller")
    func resultsAndErrorsReachTheCaller() async throws {
        struct Refused: Error {}
        #expect(try await HeavyWork.run { (1...100).reduce(0, +) } == 5_050)
        await #expect(throws: Refused.self) { try await HeavyWork.run { () throws -> Int in throw Refused() } }
    }
}
