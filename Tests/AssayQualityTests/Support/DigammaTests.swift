import Testing

@testable import AssayQuality

@Suite struct DigammaTests {
    /// Reference values from scipy.special.digamma.
    @Test(arguments: [
        (0.5, -1.9635100260214235), (1.0, -0.5772156649015329), (2.5, 0.7031566406452432),
        (10.0, 2.251752589066721), (1234.5, 7.1180162318279985),
    ])
    func matchesReferenceValues(_ x: Double, _ expected: Double) {
        #expect(abs(digamma(x) - expected) < 1e-12 * max(1, abs(expected)))
    }

    @Test func satisfiesTheRecurrence() {
        for x in stride(from: 0.05, through: 30, by: 0.37) {
            #expect(abs(digamma(x + 1) - digamma(x) - 1 / x) < 1e-11)
        }
    }
}
