extension ImportRow {
    /// Refuses a field whose name is a slip of one of `known` (`rationnale`, `submited_at`, `lable`): the row would
    /// otherwise be read without it, and its value lost without a word. Other fields a row carries (a tool's own
    /// columns, such as `project` or `lead_time`) are left alone: they are not Assay's to read.
    ///
    /// A slip is one edit (a letter added, dropped, changed or two swapped) from a known name of six letters or
    /// more, or two from one of ten or more.
    ///
    /// ```swift
    /// try ImportRow(line: 2, fields: ["rationnale": "spam link"]).refuseMisspellings(of: ["rationale", "labels"])
    /// // line 2: rationnale: not a column Assay reads; did you mean rationale?
    /// ```
    /// With `allowingPlurals`, a known name with an `s` added (`languages`) is not a slip: for rows whose other
    /// fields are the user's own content, where such a column is likely meant.
    public func refuseMisspellings(of known: [String], allowingPlurals: Bool = false) throws {
        // Sorted only when there is an unknown name: on a million-row import nearly every row has none.
        let unknown = fields.keys.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return }
        for name in unknown.sorted() {
            let folded = name.lowercased()
            if allowingPlurals, folded.hasSuffix("s"), known.contains(String(folded.dropLast())) { continue }
            // A name the row has as well is not what this one meant: `workers` beside `worker` is a column of its own.
            if let meant = known.first(where: { fields[$0] == nil && Self.isSlip(folded, of: $0) }) {
                throw AssayError.invalidInput(
                    field: name, line: line, reason: "not a column Assay reads; did you mean \(meant)?")
            }
        }
    }

    static func isSlip(_ name: String, of known: String) -> Bool {
        if name == known { return true }  // another case: `Rationale`
        // Short names are one edit from many a tool's own columns (`items`, `label2`, `annotation`): only longer
        // ones are taken for slips, and a trailing digit marks a column of its own.
        let allowed = known.count >= 10 ? 2 : 1
        guard known.count >= 6, name.last?.isNumber != true, abs(name.count - known.count) <= allowed else { return false }
        return editDistance(Array(name), Array(known), atMost: allowed) <= allowed
    }

    /// The optimal string alignment distance (Levenshtein with adjacent swaps), stopping once past `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], atMost limit: Int) -> Int {
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var rowMinimum = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, before[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return rowMinimum }
            (before, previous, current) = (previous, current, before)
        }
        return a.isEmpty ? b.count : (b.isEmpty ? a.count : previous[b.count])
    }
}
