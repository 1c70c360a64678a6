import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// `assay llm run` as a user runs it, against an OpenAI-compatible test server on 127.0.0.1, killed midway.
@Suite("assay llm")
struct LLMCommandTests {
    @Test("a run killed midway resumes where it stopped: finished items are never called again", arguments: TestBackend.allCases)
    func crashAndResume(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            try await FakeChatServer.with { server in
                try await cli.store { store in
                    let queue = try await Fixtures.queue(store, name: "llm")
                    _ = try await store.importItems(
                        (1...40).map { ItemDraft(externalID: "c-\($0)", content: ["text": .string("[id:c-\($0)] [answer:spam] post \($0)")]) },
                        into: queue, now: Date())
                    _ = try await store.createPerson(PersonDraft(externalID: "ana", name: "Ana", role: .analyst), now: Date())
                }
                server.setDelay(0.1)
                let arguments = [
                    "llm", "run", "--queue", "llm", "--predictor", "llm-spam@p1", "--by", "ana", "--base-url", server.baseURL,
                    "--model", "test-model", "--concurrency", "2", "--rate", "100", "--price-in", "2", "--price-out", "8",
                ]
                let first = try cli.launch(arguments, output: "first.log")
                let deadline = Date().addingTimeInterval(60)
                // Killed once at least 8 answers are in the database (not once the server has seen 12 calls: under a
                // loaded CI the run's writes can trail its calls, which left the count below 8 by chance).
                func recordedSoFar() async throws -> Int {
                    try await cli.store { store in try await store.llmRuns(in: try await store.queue("llm")) }.first?.succeeded ?? 0
                }
                while try await recordedSoFar() < 8, Date() < deadline, first.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                kill(first.processIdentifier, SIGKILL)
                first.waitUntilExit()
                #expect(first.terminationReason == .uncaughtSignal, "the first run was killed midway")
                let before = try await cli.store { store in try await store.llmRuns(in: try await store.queue("llm")) }
                #expect(before.count == 1 && before[0].state == .running)
                let recorded = before[0].succeeded
                #expect(recorded >= 8 && recorded < 40, "\(recorded) items recorded before the crash")

                // Resumed with another model, it is refused by name and left as it was; with another pace, it goes on at it.
                let otherModel = try cli.assay(arguments.map { $0 == "test-model" ? "other-model" : $0 })
                #expect(otherModel.status == 1, "\(otherModel.stdout)\n\(otherModel.stderr)")
                #expect(otherModel.stderr.contains("was started with another setup, model (test-model, not other-model)"), "\(otherModel.stderr)")
                var repaced = arguments
                repaced[repaced.firstIndex(of: "--concurrency")! + 1] = "1"
                repaced[repaced.firstIndex(of: "--rate")! + 1] = "50"

                // The second run is awaited without blocking a thread: the test server answers on this process's threads.
                let second = try cli.launch(repaced, output: "second.log")
                while second.isRunning, Date() < deadline.addingTimeInterval(60) { try await Task.sleep(for: .milliseconds(50)) }
                let log = try String(contentsOf: cli.folder.appendingPathComponent("second.log"), encoding: .utf8)
                #expect(!second.isRunning && second.terminationStatus == 0, "\(log)")
                #expect(log.contains("Resuming run \(before[0].id): \(recorded) items already done, now with --concurrency 1 (was 2), --rate 50.0 (was 100.0)."),
                        "\(log)")
                let runs = try await cli.store { store in try await store.llmRuns(in: try await store.queue("llm")) }
                #expect(runs.count == 1 && runs[0].state == .completed && runs[0].succeeded == 40 && runs[0].failed == 0)
                // Only the calls in flight at the kill (at most two) were made twice; every item has one prediction.
                #expect(runs[0].config.concurrency == 1 && runs[0].config.requestsPerSecond == 50)
                let repeated = (1...40).map { server.calls(for: "c-\($0)") - 1 }
                #expect(repeated.allSatisfy { $0 >= 0 } && repeated.reduce(0, +) <= 2, "\(repeated)")
                #expect(abs(runs[0].cost - 40 * (100 * 2 + 20 * 8) / 1_000_000) < 1e-9)
                let predictors = try await cli.store { try await $0.predictors() }
                #expect(predictors.map(\.predictions) == [40] && predictors.first?.kind == .llm)
                #expect(log.contains("\"state\" : \"completed\""), "\(log)")
            }
        }
    }

    @Test("a missing API key and a model server nobody listens on: each stops with its reason, and neither leaves a run running")
    func startFailures() async throws {
        try await CLISandbox.with(.sqlite) { cli in
            try await cli.store { store in
                let queue = try await Fixtures.queue(store, name: "llm")
                try await Fixtures.items(store, into: queue, count: 5)
                _ = try await store.createPerson(PersonDraft(externalID: "ana", name: "Ana", role: .analyst), now: Date())
            }
            let port = try UnusedPort.make()
            let arguments = [
                "llm", "run", "--queue", "llm", "--predictor", "llm-spam@p1", "--by", "ana",
                "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "m", "--timeout", "30",
            ]
            let noKey = try cli.assay(arguments + ["--api-key-env", "ASSAY_TEST_NO_SUCH_KEY"])
            #expect(noKey.status == 1 && noKey.stderr.contains("the environment variable ASSAY_TEST_NO_SUCH_KEY is not set"),
                    "\(noKey.stderr)")
            #expect(try await cli.store { try await $0.llmRuns(in: try await $0.queue("llm")) }.isEmpty, "no run was started")

            let down = try cli.assay(arguments)
            #expect(down.status == 1, "\(down.stdout)\n\(down.stderr)")
            #expect(down.stderr.contains("the run failed: could not connect to the model server: connection refused (http://127.0.0.1:\(port)/v1)"),
                    "\(down.stderr)")
            let runs = try await cli.store { try await $0.llmRuns(in: try await $0.queue("llm")) }
            #expect(runs.count == 1 && runs[0].state == .failed && runs[0].succeeded + runs[0].failed == 0, "\(runs)")

            // Run again without the endpoint and model: a new run takes the stopped one's setup (here, to stop again).
            let again = try cli.assay(["llm", "run", "--queue", "llm", "--predictor", "llm-spam@p1", "--by", "ana"])
            #expect(again.status == 1 && again.stderr.contains("with the setup of run \(runs[0].id) (failed)"), "\(again.stderr)")
            #expect(again.stderr.contains("connection refused (http://127.0.0.1:\(port)/v1)"), "\(again.stderr)")
            #expect(try await cli.store { try await $0.llmRuns(in: try await $0.queue("llm")) }.count == 2)
        }
    }
}
