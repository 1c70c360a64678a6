import ArgumentParser
import Foundation

/// Benchmarks for Assay that drive the real server over HTTP on 127.0.0.1 (bounded in count and time).
@main
struct AssayBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay-bench", abstract: "Assay benchmarks.", subcommands: [Loop.self, Items.self, Crowd.self])
}

/// `assay-bench loop`: the annotator loop (next + submit) from N concurrent clients, each with its own token.
///
/// Each client is a thread with its own keep-alive connection (`HTTPConnection`), so the client's share of the
/// machine's two cores stays small and the figure measures the server.
struct Loop: ParsableCommand {
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

    var port: UInt16 {
        let afterHost = url.split(separator: "//").last.map(String.init) ?? url
        return afterHost.split(separator: ":").dropFirst().first
            .flatMap { UInt16($0.prefix(while: \.isNumber)) } ?? 80
    }

    func validate() throws {
        guard url.hasPrefix("http://127.0.0.1") || url.hasPrefix("http://localhost") else {
            throw ValidationError("benchmarks only target 127.0.0.1")
        }
    }

    func run() throws {
        let tokenList = try String(contentsOfFile: tokens, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty }
        let start = monotonicNanos()
        let measureFrom = start + UInt64(warmup * 1e9)
        let stopAt = measureFrom + UInt64(seconds * 1e9)
        let perClient = maxLoops / max(1, tokenList.count) + 1
        let collected = Collected()
        let finished = DispatchGroup()
        for token in tokenList {
            finished.enter()
            let thread = Thread {
                collected.add(drive(token: token, measureFrom: measureFrom, stopAt: stopAt, maxLoops: perClient))
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        finished.wait()
        let results = collected.results
        let loops = results.flatMap(\.loopMillis).sorted()
        let requests = results.flatMap(\.requestMillis).sorted()
        let elapsed = Double(min(monotonicNanos(), stopAt) - measureFrom) / 1e9
        let report: [String: Any] = [
            "clients": tokenList.count, "seconds": (elapsed * 100).rounded() / 100, "loops": loops.count,
            "loops_per_second": (Double(loops.count) / elapsed).rounded(),
            "loop_p50_ms": percentile(loops, 0.5), "loop_p99_ms": percentile(loops, 0.99),
            "request_p50_ms": percentile(requests, 0.5), "request_p99_ms": percentile(requests, 0.99),
            "errors": results.reduce(0) { $0 + $1.errors }, "queue_ran_out": results.contains(where: \.ranOut),
            "failure": results.compactMap(\.failure).first ?? "",
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    struct ClientResult: Sendable {
        var loopMillis: [Double] = []
        var requestMillis: [Double] = []
        var errors = 0
        var ranOut = false
        /// Why the client stopped early (a connection that failed), if it did.
        var failure: String?
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var results: [ClientResult] = []
        func add(_ result: ClientResult) { lock.withLock { results.append(result) } }
    }

    private func drive(token: String, measureFrom: UInt64, stopAt: UInt64, maxLoops: Int) -> ClientResult {
        var result = ClientResult()
        let authorization = labelStudio ? "Authorization: Token \(token)" : "Authorization: Bearer \(token)"
        let submitBody = Array((labelStudio
            ? #"{"result": [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["\#(label)"]}}]}"#
            : #"{"labels": ["\#(label)"], "time_spent_ms": 900}"#).utf8)
        let nextPath = labelStudio ? "/api/projects/\(queue)/next" : "/api/v1/queues/\(queue)/next"
        var count = 0
        do {
            let connection = try HTTPConnection(port: port)
            // Times one request in milliseconds.
            func timed(_ method: String, _ path: String, _ headers: [String], _ body: [UInt8] = [])
                throws -> (HTTPConnection.Response, Double)
            {
                let started = monotonicNanos()
                let response = try connection.request(method, path, headers: headers, body: body)
                return (response, Double(monotonicNanos() - started) / 1e6)
            }
            while count < maxLoops {
                let loopStart = monotonicNanos()
                if loopStart >= stopAt { break }
                let first: (HTTPConnection.Response, Double)
                let second: (HTTPConnection.Response, Double)
                if ceiling {
                    first = try timed("GET", "/healthz", [])
                    second = try timed("GET", "/healthz", [])
                    if first.0.status != 200 || second.0.status != 200 { result.errors += 1 }
                } else {
                    first = try timed(labelStudio ? "GET" : "POST", nextPath, [authorization])
                    if first.0.status == 204 || (labelStudio && first.0.status == 404) {
                        result.ranOut = true
                        break
                    }
                    guard first.0.status == 200, let id = leaseID(from: first.0.body) else {
                        result.errors += 1
                        continue
                    }
                    let submitPath = labelStudio ? "/api/tasks/\(id)/annotations" : "/api/v1/assignments/\(id)/judgment"
                    second = try timed("POST", submitPath, [authorization, "Content-Type: application/json"], submitBody)
                    if second.0.status >= 300 { result.errors += 1 }
                }
                count += 1
                let loopEnd = monotonicNanos()
                if loopStart >= measureFrom, loopEnd <= stopAt {
                    result.loopMillis.append(Double(loopEnd - loopStart) / 1e6)
                    result.requestMillis += [first.1, second.1]
                }
            }
        } catch {
            result.failure = "\(error)"
            result.errors += 1
        }
        return result
    }

    /// The assignment id in an answer to `next`: Assay's `{"assignment":{"id":…`, found by a scan (this runs in the
    /// measured loop); Label Studio's task `id`, parsed as JSON.
    private func leaseID(from body: [UInt8]) -> Int? {
        if labelStudio {
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            return object?["id"] as? Int
        }
        guard let assignment = find(Array(#""assignment""#.utf8), in: body, from: 0),
            let idKey = find(Array(#""id""#.utf8), in: body, from: assignment)
        else { return nil }
        var index = idKey + 4
        while index < body.count, body[index] == UInt8(ascii: ":") || body[index] == UInt8(ascii: " ") { index += 1 }
        var value = 0
        var digits = 0
        while index < body.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(body[index]) {
            value = value * 10 + Int(body[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }
}

func monotonicNanos() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
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
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let handle = FileHandle(forWritingAtPath: out)!
        var judgmentHandle: FileHandle?
        if let judgments {
            _ = FileManager.default.createFile(atPath: judgments, contents: nil)
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
        _ = FileManager.default.createFile(atPath: items, contents: nil)
        _ = FileManager.default.createFile(atPath: judgments, contents: nil)
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
