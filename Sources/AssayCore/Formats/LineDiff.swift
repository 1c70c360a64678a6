import Foundation

/// A line-by-line difference between two texts: the longest common subsequence of lines kept, the rest marked
/// removed (from the old text) or added (in the new), in reading order, as `diff` shows it.
///
/// Method: the classic dynamic programme over prefixes, L[i][j] = length of the longest common subsequence of
/// old[i…] and new[j…], then a walk from the start taking a common line when both sides agree and otherwise the
/// side whose remainder keeps the longer common subsequence (removals first on ties). Common leading and trailing
/// lines are trimmed first, so a small edit to a long document costs little. O(n·m) time and memory in the
/// lines that differ; guideline documents are hundreds of lines.
///
/// ```swift
/// LineDiff.diff(old: "a\nb\nc", new: "a\nB\nc")
/// // [same "a", removed "b", added "B", same "c"]
/// ```
public enum LineDiff {
    public struct Line: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            case same
            case added
            case removed
        }

        public var kind: Kind
        public var text: String

        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    public static func diff(old: String, new: String) -> [Line] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let oldMiddle = Array(a[prefix..<(a.count - suffix)])
        let newMiddle = Array(b[prefix..<(b.count - suffix)])
        var lines = a[..<prefix].map { Line(.same, $0) }
        lines += middle(oldMiddle, newMiddle)
        lines += a[(a.count - suffix)...].map { Line(.same, $0) }
        return lines
    }

    private static func middle(_ a: [String], _ b: [String]) -> [Line] {
        let n = a.count
        let m = b.count
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var lines: [Line] = []
        var i = 0
        var j = 0
        while i < n, j < m {
            if a[i] == b[j] {
                lines.append(Line(.same, a[i]))
                i += 1
                j += 1
            } else if lengths[i + 1][j] >= lengths[i][j + 1] {
                lines.append(Line(.removed, a[i]))
                i += 1
            } else {
                lines.append(Line(.added, b[j]))
                j += 1
            }
        }
        lines += a[i...].map { Line(.removed, $0) }
        lines += b[j...].map { Line(.added, $0) }
        return lines
    }
}
