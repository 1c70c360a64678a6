import AssayQuality
import Testing

@Suite struct LabelCodingTests {
    @Test func docExample() {
        var coding = LabelCoding<String>()
        #expect(coding.encode("spam") == 0)
        #expect(coding.encode("ham") == 1)
        #expect(coding.encode("spam") == 0)
        #expect(coding.index(of: "ham") == 1)
        #expect(coding.value(at: 0) == "spam")
    }

    @Test func initSkipsRepeatsAndKeepsOrder() {
        let coding = LabelCoding(["b", "a", "b", "c"])
        #expect(coding.values == ["b", "a", "c"])
        #expect(coding.count == 3)
        #expect(coding.contains("c"))
        #expect(!coding.contains("d"))
        #expect(coding.index(of: "d") == nil)
    }
}
