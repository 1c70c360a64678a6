import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Benchmarks for Assay that drive the real server over HTTP on 127.0.0.1 (bounded in count and time).
@main
struct AssayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay-bench", abstract: "Assay benchmarks.", subcommands: [Loop.self, Items.self, Crowd.self])
}

/// `assay-bench loop`: the annotator loop (next + submit) from N concurrent clients, each with its own token.
struct Loop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure annotator loops per second (next + submit) and their latency.")

    @Option(help: "Base URL of the server (must be on 127.0.0.1).") var url = "http://127.0.0.1:8080"
    @Option(help: "Queue name or id.") var queue: String
    @Option(help: "File with one annotator token per line; one client per token.") var tokens: String
    @Option(help: "Seconds to measure (after warm-up).") var seconds = 20.0
    @Option(help: "Seconds of warm-up, not measured.") var warmup = 3.0
    @Option(help: "Stop after this many loops in all, whatever the time.") var maxLoops = 2_000_000
    @Option(help: "Label code to submit.") var label = "none"
    @Flag(help: "Label Studio mode: drive /api/projects/{queue}/next and /api/tasks/{id}/annotations.")
    var labelStudio = false
    @Flag(help: "Harness ceiling: each loop is two GET /healthz, no database and no auth, to show what the client and HTTP stack alone allow.")
    var ceiling = false

    func validate() throws {
        guard url.hasPrefix("http://127.0.0.1") || url.hasPrefix("http://localhost") else {
            throw ValidationError("benchmarks only target 127.0.0.1")
        }
    }

    func run() async throws {
        let tokenList = try String(contentsOfFile: tokens, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: tokenList.count * 2)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = client.shutdown() }
        let start = Date()
        let measureFrom = start.addingTimeInterval(warmup)
        let stopAt = measureFrom.addingTimeInterval(seconds)
        let results = try await withThrowingTaskGroup(of: ClientResult.self) { group in
            for token in tokenList {
                group.addTask {
                    try await drive(client: client, token: token, measureFrom: measureFrom, stopAt: stopAt)
                }
            }
            var all: [ClientResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        let loops = results.flatMap(\.loopMillis).sorted()
        let requests = results.flatMap(\.requestMillis).sorted()
        let elapsed = min(Date(), stopAt).timeIntervalSince(measureFrom)
        let exhausted = results.contains(where: \.ranOut)
        let report: [String: Any] = [
            "clients": tokenList.count, "seconds": (elapsed * 100).rounded() / 100, "loops": loops.count,
            "loops_per_second": (Double(loops.count) / elapsed).rounded(),
            "loop_p50_ms": percentile(loops, 0.5), "loop_p99_ms": percentile(loops, 0.99),
            "request_p50_ms": percentile(requests, 0.5), "request_p99_ms": percentile(requests, 0.99),
            "errors": results.reduce(0) { $0 + $1.errors }, "queue_ran_out": exhausted,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    struct ClientResult: Sendable {
        var loopMillis: [Double] = []
        var requestMillis: [Double] = []
        var errors = 0
        var ranOut = false
    }

    private func drive(client: HTTPClient, token: String, measureFrom: Date, stopAt: Date) async throws -> ClientResult {
        var result = ClientResult()
        var count = 0
        while Date() < stopAt, count < maxLoops / 16 + 1 {
            let loopStart = Date()
            if ceiling {
                let (first, _, firstMillis) = try await send(client, .GET, "/healthz", token: token, body: nil)
                let (second, _, secondMillis) = try await send(client, .GET, "/healthz", token: token, body: nil)
                if first != .ok || second != .ok { result.errors += 1 }
                count += 1
                if loopStart >= measureFrom, Date() <= stopAt {
                    result.loopMillis.append(Date().timeIntervalSince(loopStart) * 1000)
                    result.requestMillis += [firstMillis, secondMillis]
                }
                continue
            }
            let nextPath = labelStudio ? "/api/projects/\(queue)/next" : "/api/v1/queues/\(queue)/next"
            let (nextStatus, nextBody, nextMillis) = try await send(
                client, labelStudio ? .GET : .POST, nextPath, token: token, body: nil)
            if nextStatus == .noContent || (labelStudio && nextStatus == .notFound) {
                result.ranOut = true
                break
            }
            guard nextStatus == .ok, let id = leaseID(from: nextBody) else {
                result.errors += 1
                continue
            }
            let submitPath = labelStudio ? "/api/tasks/\(id)/annotations" : "/api/v1/assignments/\(id)/judgment"
            let body = labelStudio
                ? #"{"result": [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["\#(label)"]}}]}"#
                : #"{"labels": ["\#(label)"], "time_spent_ms": 900}"#
            let (submitStatus, _, submitMillis) = try await send(client, .POST, submitPath, token: token, body: body)
            if submitStatus.code >= 300 { result.errors += 1 }
            count += 1
            if loopStart >= measureFrom, Date() <= stopAt {
                result.loopMillis.append(Date().timeIntervalSince(loopStart) * 1000)
                result.requestMillis += [nextMillis, submitMillis]
            }
        }
        return result
    }

    private func leaseID(from body: Data) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        if labelStudio { return object["id"] as? Int }
        return (object["assignment"] as? [String: Any])?["id"] as? Int
    }

    private func send(_ client: HTTPClient, _ method: HTTPMethod, _ path: String, token: String, body: String?)
        async throws -> (HTTPResponseStatus, Data, Double)
    {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: labelStudio ? "Token \(token)" : "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let started = Date()
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (response.status, Data(buffer: bytes), Date().timeIntervalSince(started) * 1000)
    }
}

/// `assay-bench items`: writes N generated items (JSON Lines) for import benchmarks, seeded.
struct Items: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write N generated items as JSON Lines.")

    @Argument(help: "How many items.") var count: Int
    @Option(help: "Output file.") var out: String
    @Option(help: "Also write one judgment per item (annotator bench-judge) to this CSV.") var judgments: String?

    func run() throws {
        let words = ["great", "match", "earn", "cash", "free", "gift", "you", "are", "the", "worst", "people", "like",
                     "this", "video", "today", "click", "here", "love", "it", "report", "spam", "again", "never"]
        var rng = SystemRandomNumberGenerator()
        FileManager.default.createFile(atPath: out, contents: nil)
        let handle = FileHandle(forWritingAtPath: out)!
        var judgmentHandle: FileHandle?
        if let judgments {
            FileManager.default.createFile(atPath: judgments, contents: nil)
            judgmentHandle = FileHandle(forWritingAtPath: judgments)
            judgmentHandle?.write(Data("item_external_id,annotator_external_id,label,submitted_at\n".utf8))
        }
        var buffer = ""
        var judgmentBuffer = ""
        for index in 1...count {
            let text = (0..<12).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined(separator: " ")
            buffer += #"{"external_id": "it-\#(index)", "text": "\#(text)", "language": "en", "market": "US", "priority": \#(index % 3)}"#
            buffer += "\n"
            if judgmentHandle != nil {
                judgmentBuffer += "it-\(index),bench-judge,\(index % 4 == 0 ? "spam" : "none"),2026-11-01T10:00:00Z\n"
            }
            if index % 10_000 == 0 {
                handle.write(Data(buffer.utf8))
                judgmentHandle?.write(Data(judgmentBuffer.utf8))
                buffer = ""
                judgmentBuffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        judgmentHandle?.write(Data(judgmentBuffer.utf8))
        try handle.close()
        try judgmentHandle?.close()
    }
}

/// `assay-bench crowd`: items with a hidden truth and `overlap` judgments each from a seeded crowd of annotators of
/// varied skill (one in ten a spammer), for the consensus benchmark.
struct Crowd: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write N items and N × overlap judgments from a seeded crowd.")

    @Argument(help: "How many items.") var count: Int
    @Option(help: "Judgments per item.") var overlap = 3
    @Option(help: "Annotators in the crowd.") var annotators = 300
    @Option(help: "Items file (JSON Lines).") var items: String
    @Option(help: "Judgments file (CSV).") var judgments: String
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Spread the judgments over this many days from 2026-11-01 (1: all at 10:00 that day).") var days = 1
    @Option(help: "Also write every Nth item's truth as a gold CSV (external_id,labels) to this file.") var gold: String?
    @Option(help: "With --gold: one item in this many is gold.") var goldEvery = 20

    func run() throws {
        let labels = ["none", "spam", "hate", "harassment"]
        let start = 1_793_527_200.0  // 2026-11-01T10:00:00Z
        let formatter = ISO8601DateFormatter()
        var rng = SeededGenerator(seed: seed)
        let skills = (0..<annotators).map { index -> Double in index % 10 == 9 ? 0.25 : Double.random(in: 0.6...0.97, using: &rng) }
        FileManager.default.createFile(atPath: items, contents: nil)
        FileManager.default.createFile(atPath: judgments, contents: nil)
        let itemHandle = FileHandle(forWritingAtPath: items)!
        let judgmentHandle = FileHandle(forWritingAtPath: judgments)!
        judgmentHandle.write(Data("item_external_id,annotator_external_id,label,submitted_at\n".utf8))
        var itemBuffer = ""
        var judgmentBuffer = ""
        var goldBuffer = "external_id,labels\n"
        for index in 1...count {
            let truth = labels[[0, 0, 0, 0, 1, 1, 2, 3][Int.random(in: 0..<8, using: &rng)]]
            if gold != nil, index % goldEvery == 0 { goldBuffer += "c-\(index),\(truth)\n" }
            itemBuffer += #"{"external_id": "c-\#(index)", "text": "crowd item \#(index)"}"# + "\n"
            var chosen = Set<Int>()
            while chosen.count < overlap { chosen.insert(Int.random(in: 0..<annotators, using: &rng)) }
            for worker in chosen.sorted() {
                let right = Double.random(in: 0..<1, using: &rng) < skills[worker]
                let label = right ? truth : labels.filter { $0 != truth }.randomElement(using: &rng)!
                let at = days == 1 ? "2026-11-01T10:00:00Z"
                    : formatter.string(from: Date(timeIntervalSince1970: start + Double(index % days) * 86_400 + Double(worker * 7 % 36_000)))
                judgmentBuffer += "c-\(index),crowd-\(worker),\(label),\(at)\n"
            }
            if index % 10_000 == 0 {
                itemHandle.write(Data(itemBuffer.utf8))
                judgmentHandle.write(Data(judgmentBuffer.utf8))
                itemBuffer = ""
                judgmentBuffer = ""
            }
        }
        itemHandle.write(Data(itemBuffer.utf8))
        judgmentHandle.write(Data(judgmentBuffer.utf8))
        try itemHandle.close()
        try judgmentHandle.close()
        if let gold { try goldBuffer.write(toFile: gold, atomically: true, encoding: .utf8) }
    }
}

/// SplitMix64, so the crowd is the same every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func percentile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let value = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    return (value * 100).rounded() / 100
}
