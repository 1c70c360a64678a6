extension ImportRow {
    /// How the refusal of a column Assay does not read begins.
    public static let notAColumn = "not a column Assay reads"

    /// Refuses a field whose name is a slip of one of `known` (`rationnale`, `submited_at`, `lable`): the row would
    /// otherwise be read without it, and its value lost without a word. Other fields a row carries (a tool's own
    /// columns, such as `project` or `level`) are left alone: they are not Assay's to read.
    ///
    /// A slip is one edit (a letter added, dropped, changed or two swapped) from a known name of six letters or
    /// more, or two from one of ten or more.
    ///
    /// ```swift
    /// try ImportRow(line: 2, fields: ["rationnale": "spam link"]).refuseMisspellings(of: ["rationale", "labels"])
    /// // line 2: rationnale: not a column Assay reads; did you mean rationale?
    /// ```
    /// With `allowingPlurals`, a known name with an `s` added (`languages`) is not a slip: for rows whose other
    /// fields are the user's own content, where such a column is likely meant. `maxEdits` lowers the edits a slip
    /// may be (at most 2, for names of ten letters or more).
    public func refuseMisspellings(of known: [String], allowingPlurals: Bool = false, maxEdits: Int = 2) throws {
        // Every row of an items file has content fields unknown here: each name is first ruled out by its length,
        // which costs nothing, and only a row with a slip is sorted, for the first one in name order.
        var slips: [(name: String, meant: String)] = []
        for name in fields.keys where !known.contains(name) {
            guard known.contains(where: { abs($0.utf8.count - name.utf8.count) <= maxEdits }) else { continue }
            let folded = name.lowercased()
            if allowingPlurals, folded.hasSuffix("s"), known.contains(String(folded.dropLast())) { continue }
            // A name the row has as well is not what this one meant: `workers` beside `worker` is a column of its own.
            if let meant = known.first(where: { fields[$0] == nil && Self.isSlip(folded, of: $0, maxEdits: maxEdits) }) {
                slips.append((name, meant))
            }
        }
        guard let first = slips.min(by: { $0.name < $1.name }) else { return }
        throw AssayError.invalidInput(field: first.name, line: line, reason: "\(Self.notAColumn); did you mean \(first.meant)?")
    }

    static func isSlip(_ name: String, of known: String, maxEdits: Int = 2) -> Bool {
        if name == known { return true }  // another case: `Rationale`
        // Short names are one edit from many a tool's own columns (`items`, `label2`, `annotation`): only longer
        // ones are taken for slips, and a trailing digit marks a column of its own.
        let allowed = min(maxEdits, known.count >= 10 ? 2 : 1)
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
