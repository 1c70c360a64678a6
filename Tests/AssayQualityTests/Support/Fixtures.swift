import AssayQuality

/// Small, hand-checkable judgment sets from the literature, and a seeded crowd simulator.
enum Fixtures {
    /// Builds a matrix from rows of a reliability data table: `rows[rater][unit]`, `nil` for missing.
    static func matrix(raters: [String], units: [[Int?]]) throws -> JudgmentMatrix {
        var triples: [(item: String, worker: String, label: String)] = []
        for (rater, values) in zip(raters, units) {
            for (unit, value) in values.enumerated() {
                if let value { triples.append((item: "unit-\(unit + 1)", worker: rater, label: String(value))) }
            }
        }
        return try JudgmentMatrix(triples: triples)
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with missing data:
    /// 4 observers, 12 units. α: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
    static func krippendorff2011() throws -> JudgmentMatrix {
        try matrix(
            raters: ["A", "B", "C", "D"],
            units: [
                [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
                [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
                [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
                [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
            ])
    }

    /// Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters each, 5 categories; κ ≈ 0.210.
    static let fleissCounts: [[Int]] = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]

    /// A matrix from per-item category counts; rater names are reused across items.
    static func matrix(counts: [[Int]]) throws -> JudgmentMatrix {
        var triples: [(item: String, worker: String, label: String)] = []
        for (item, row) in counts.enumerated() {
            var rater = 0
            for (category, count) in row.enumerated() {
                for _ in 0..<count {
                    triples.append((item: "s\(item)", worker: "r\(rater)", label: "c\(category + 1)"))
                    rater += 1
                }
            }
        }
        return try JudgmentMatrix(triples: triples, labelOrder: (1...counts[0].count).map { "c\($0)" })
    }

    /// The running example of the doc comments: three workers, two posts.
    static func posts() throws -> JudgmentMatrix {
        try JudgmentMatrix(triples: [
            (item: "post-1", worker: "ann", label: "spam"), (item: "post-1", worker: "bob", label: "spam"),
            (item: "post-1", worker: "cat", label: "ham"),
            (item: "post-2", worker: "ann", label: "ham"), (item: "post-2", worker: "bob", label: "ham"),
            (item: "post-2", worker: "cat", label: "ham"),
        ])
    }

    /// A simulated crowd: `good` workers with accuracy `goodAccuracy` (errors uniform), `spammers` answering
    /// uniformly at random, and `biased` workers who answer label 0 whatever the truth. Each item gets
    /// `perItem` distinct random workers.
    struct Crowd {
        var judgments: JudgmentMatrix
        var truth: [String: String]
    }

    static func crowd(
        items: Int, labels: Int, good: Int, goodAccuracy: Double, spammers: Int, biased: Int = 0, perItem: Int,
        seed: UInt64
    ) throws -> Crowd {
        var rng = SplitMix64(seed: seed)
        let workers = good + spammers + biased
        var triples: [(item: String, worker: String, label: String)] = []
        var truth: [String: String] = [:]
        for item in 0..<items {
            let label = Int.random(in: 0..<labels, using: &rng)
            truth["i\(item)"] = "l\(label)"
            var chosen = Set<Int>()
            while chosen.count < perItem { chosen.insert(Int.random(in: 0..<workers, using: &rng)) }
            for worker in chosen.sorted() {
                let answer: Int
                if worker < good {
                    if Double.random(in: 0..<1, using: &rng) < goodAccuracy {
                        answer = label
                    } else {
                        answer = (label + Int.random(in: 1..<labels, using: &rng)) % labels
                    }
                } else if worker < good + spammers {
                    answer = Int.random(in: 0..<labels, using: &rng)
                } else {
                    answer = 0
                }
                triples.append((item: "i\(item)", worker: "w\(worker)", label: "l\(answer)"))
            }
        }
        return Crowd(
            judgments: try JudgmentMatrix(triples: triples, labelOrder: (0..<labels).map { "l\($0)" }), truth: truth)
    }

    /// The share of items whose aggregated label equals the truth.
    static func accuracy(of result: AggregationResult, against truth: [String: String]) -> Double {
        let hits = truth.filter { result.label(of: $0.key) == $0.value }.count
        return Double(hits) / Double(truth.count)
    }
}

/// |a − b| ≤ tolerance.
func isClose(_ a: Double, _ b: Double, within tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance
}
