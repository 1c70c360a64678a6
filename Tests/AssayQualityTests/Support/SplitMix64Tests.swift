import AssayQuality
import Testing

@Suite struct SplitMix64Tests {
    @Test func sameSeedSameSequence() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
    }

    @Test func knownFirstOutput() {
        // Reference value of SplitMix64 for seed 0 (as in the xoshiro authors' splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func docExample() {
        var rng = SplitMix64(seed: 7)
        let roll = Int.random(in: 1...6, using: &rng)
        var again = SplitMix64(seed: 7)
        #expect(roll == Int.random(in: 1...6, using: &again))
    }
}
