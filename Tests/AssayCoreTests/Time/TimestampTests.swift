import AssayCore
import Foundation
import Testing

@Suite("Timestamps")
struct TimestampTests {
    private static let foundationStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Foundation truncates to the millisecond, and a time stored as whole milliseconds (`…00.001`) is often a hair
    /// below it as a `Double`, so Foundation writes `…00.000`. This formatter rounds, so it writes the stored
    /// millisecond; a quarter of a millisecond above it, both agree.
    @Test func formatsAsFoundationDoesAcrossCenturiesAndLeapDays() {
        var generator = SystemRandomNumberGenerator()
        var millis: [Int64] = [
            0, -1, 951_825_600_001, -2_203_891_200_000, 4_107_542_399_500, 1_735_689_599_999, -62_135_596_800_000,
            253_402_300_799_999,
        ]
        // From 1600 to 2400.
        for _ in 0..<5_000 { millis.append(Int64.random(in: -11_676_096_000_000...13_569_465_600_000, using: &generator)) }
        for value in millis {
            let stored = Date(timeIntervalSince1970: Double(value) / 1000)
            let quarterAbove = Date(timeIntervalSince1970: (Double(value) + 0.25) / 1000)
            #expect(Timestamp.format(stored) == quarterAbove.formatted(Self.foundationStyle), "\(value)")
            #expect(Timestamp.format(stored) == Timestamp.format(quarterAbove))
            let parsed = Timestamp.parse(Timestamp.format(stored))!
            #expect((parsed.timeIntervalSince1970 * 1000).rounded() == Double(value))
        }
    }

    @Test func writesTheDocumentedShape() {
        #expect(Timestamp.format(Timestamp.parse("2026-11-02T14:05:00.250+01:00")!) == "2026-11-02T13:05:00.250Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Timestamp.parse("2000-02-29T12:00:00.001Z")!) == "2000-02-29T12:00:00.001Z")
    }

    @Test func roundsToTheMillisecond() {
        let date = Date(timeIntervalSince1970: 1_764_000_000.2506)
        #expect(Timestamp.format(date) == "2025-11-24T16:00:00.251Z")
    }

    @Test func parsesWhatItWrites() {
        let date = Date(timeIntervalSince1970: 1_764_000_000.25)
        #expect(Timestamp.parse(Timestamp.format(date)) == date)
    }
}
