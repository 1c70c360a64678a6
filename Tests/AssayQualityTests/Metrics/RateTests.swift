import AssayQuality
import Testing

@Suite struct RateTests {
    @Test func docExample() {
        let precision = Rate(successes: 45, trials: 50)
        #expect(precision.value == 0.9)
        #expect(abs(precision.interval.lower - 0.786) < 0.0005)
        #expect(precision.isDefined)
        #expect(!Rate(successes: 0, trials: 0).isDefined)
    }
}
