import AssayQuality
import Testing

@Suite struct WilsonIntervalTests {
    /// 81 successes in 263 trials: Wilson 95 % interval (0.2553, 0.3662).
    @Test func docExample() {
        let interval = WilsonInterval(successes: 81, trials: 263)
        #expect(abs(interval.proportion - 0.308) < 0.0005)
        #expect(abs(interval.lower - 0.2553) < 0.00005)
        #expect(abs(interval.upper - 0.3662) < 0.00005)
        #expect(abs(WilsonInterval(successes: 81, trials: 263, confidence: 0.99).upper - 0.3853) < 0.00005)
    }

    @Test func zIsConfigurable() {
        let wide = WilsonInterval(successes: 81, trials: 263, z: 2.576)
        #expect(abs(wide.lower - 0.2401) < 0.0001)
        #expect(isClose(WilsonInterval.normalQuantile(forCoverage: 0.95), WilsonInterval.z95, within: 1e-12))
        #expect(isClose(WilsonInterval.normalQuantile(forCoverage: 0.99), 2.5758293035489004, within: 1e-12))
        #expect(isClose(WilsonInterval.normalQuantile(forCoverage: 0.9), 1.6448536269514722, within: 1e-12))
    }

    @Test func edgesStayInsideTheUnitInterval() {
        let none = WilsonInterval(successes: 0, trials: 10)
        #expect(none.lower == 0 && none.upper > 0.2 && none.upper < 0.35)
        let all = WilsonInterval(successes: 10, trials: 10)
        #expect(all.upper == 1 && all.lower > 0.65)
        let empty = WilsonInterval(successes: 0, trials: 0)
        #expect(empty.lower == 0 && empty.upper == 1 && empty.proportion == 0)
        #expect(all.contains(1) && !all.contains(0.5))
    }
}
