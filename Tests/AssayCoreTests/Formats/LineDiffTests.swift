import AssayCore
import Testing

@Suite("Line diff")
struct LineDiffTests {
    @Test("an edited line shows as removed then added, between the lines kept")
    func editedLine() {
        #expect(LineDiff.diff(old: "a\nb\nc", new: "a\nB\nc") == [
            .init(.same, "a"), .init(.removed, "b"), .init(.added, "B"), .init(.same, "c"),
        ])
    }

    @Test("insertions and deletions keep the longest common run of lines")
    func insertAndDelete() {
        let lines = LineDiff.diff(old: "one\ntwo\nthree\nfour", new: "zero\none\nthree\nfour\nfive")
        #expect(lines == [
            .init(.added, "zero"), .init(.same, "one"), .init(.removed, "two"), .init(.same, "three"), .init(.same, "four"),
            .init(.added, "five"),
        ])
        // Reading the old side back (same + removed) gives the old text, the new side the new text.
        #expect(lines.filter { $0.kind != .added }.map(\.text).joined(separator: "\n") == "one\ntwo\nthree\nfour")
        #expect(lines.filter { $0.kind != .removed }.map(\.text).joined(separator: "\n") == "zero\none\nthree\nfour\nfive")
    }

    @Test("identical texts are all kept; from or to nothing is all added or all removed")
    func edges() {
        #expect(LineDiff.diff(old: "x\ny", new: "x\ny").allSatisfy { $0.kind == .same })
        #expect(LineDiff.diff(old: "", new: "a\nb").map(\.kind) == [.removed, .added, .added])
        #expect(LineDiff.diff(old: "a", new: "").map(\.kind) == [.removed, .added])
    }
}
