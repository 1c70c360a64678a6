@testable import AssayCore
import Foundation
import Testing

@Suite("Timestamps")
struct TimestampTests {
    private static let foundationStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Foundation truncates to the millisecond, and a time stored as whole milliseconds (`…00.001`) is often a hair
    /// below it as a `Double`, so Foundation writes `…00.000`. This formatter rounds, so it writes the stored
    /// millisecond; a quarter of a millisecond above it, both agree.
    @Test func formatsAsFoundationDoesAcrossCenturiesAndLeapDays() throws {
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
            // Read back within the years Assay reads (not year 1).
            guard Timestamp.readable.contains(stored) else { continue }
            let parsed = try #require(Timestamp.parse(Timestamp.format(stored)), "\(value)")
            #expect((parsed.timeIntervalSince1970 * 1000).rounded() == Double(value))
        }
    }

    /// The direct reader must give Foundation's answer, to the bit, on every shape it takes, and leave the rest to it.
    @Test func readsTimesAsFoundationDoes() {
        var generator = SystemRandomNumberGenerator()
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var texts = [
            "2026-11-02", "2026-11-02T14:05:00Z", "2026-11-02T14:05:00.250+01:00", "2026-11-02T14:05:00.9999Z",
            "2024-02-29T00:00:00Z", "1600-01-01T00:00:00Z", "9999-12-31T23:59:59.999+05:00",
            // Left to Foundation: other offsets, more than nine digits of fraction.
            "2026-11-02T14:05:00+0100", "2026-11-02T14:05:00.1234567891Z", "2026-11-02T14:05:00+00:60",
            "2026-11-02T14:05:00+18:00", "2026-11-02T14:05:00-18:00", "2026-11-02T14:05:00+18:01", "2026-11-02T14:05:00-23:59",
            // Refused by both.
            "2026-11-02t14:05:00z", "2026-11-02 14:05:00Z", "2026-11-02T14:05Z", "2026-11-02T14:05:00", "2026-11-02T14:05:00.Z",
            "2026-13-02T14:05:00Z", "2026-00-02", "2026-11-00", "2026-11-02T14:05:00+25:00", "2026-1-02", "yesterday", "",
        ]
        for _ in 0..<20_000 {
            let year = Int.random(in: 1601...2400, using: &generator), month = Int.random(in: 1...12, using: &generator)
            var text = "\(year)-\(two(month))-\(two(Int.random(in: 1...28, using: &generator)))"
            if Int.random(in: 0..<10, using: &generator) == 0 {
                texts.append(text)
                continue
            }
            text += "T\(two(Int.random(in: 0...23, using: &generator))):\(two(Int.random(in: 0...59, using: &generator)))"
            text += ":\(two(Int.random(in: 0...59, using: &generator)))"
            let digits = Int.random(in: 0...9, using: &generator)
            if digits > 0 { text += "." + (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined() }
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: text += "Z"
            case 1: text += "+\(two(Int.random(in: 0...17, using: &generator))):\(two(Int.random(in: 0...59, using: &generator)))"
            default: text += "-\(two(Int.random(in: 0...17, using: &generator))):\(two(Int.random(in: 0...59, using: &generator)))"
            }
            texts.append(text)
            // Generated in range, so the direct reader takes every one (else this test would compare Foundation to itself).
            #expect(Timestamp.parseUsualShape(text) != nil, "\(text)")
        }
        for text in texts {
            let foundation = (try? Date(text, strategy: Date.ISO8601FormatStyle()))
                ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
                ?? (text.count == 10 ? try? Date(text + "T00:00:00Z", strategy: Date.ISO8601FormatStyle()) : nil)
            let parsed = Timestamp.parse(text)
            // What a Date stores: since 1970 would add a rounding of its own and could hide a difference.
            #expect(parsed?.timeIntervalSinceReferenceDate.bitPattern == foundation?.timeIntervalSinceReferenceDate.bitPattern, "\(text)")
        }
    }

    /// Foundation rolls an impossible day or hour over into the next, and reads any year: an import would store
    /// 2026-02-30 as March 2nd, or a year 0000 typed by mistake. These are refused.
    @Test func refusesWhatFoundationWouldRollOverOrWhatIsOutOfRange() {
        for text in [
            "2026-02-30T14:05:00Z", "2023-02-29", "2026-11-02T24:00:00Z", "2026-11-02T14:05:60Z", "2026-11-02T14:60:00Z",
            "2026-02-30T14:05:00+0100", "1581-12-31T00:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01", "99999-01-01T00:00:00Z",
            "9999-12-31T23:59:59-05:00", "1600-01-01T00:00:00+01:00",
        ] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
        #expect(Timestamp.parse("2024-02-29T23:59:59+0100") == Timestamp.parse("2024-02-29T22:59:59Z"))
        #expect(Timestamp.parse("9999-06-01") == Timestamp.parse("9999-06-01T00:00:00Z"), "every year up to 9999")
        #expect(Timestamp.parse("9999-06-01") != nil)
    }

    @Test func readsCalendarDaysOnly() {
        #expect(Timestamp.day("2024-02-29") == Timestamp.parse("2024-02-29T00:00:00Z"))
        for text in ["2026-02-30", "2026-2-3", "2026-02-03T00:00:00Z", "12026-01-01", "2026-13-01", "", "2026/02/03"] {
            #expect(Timestamp.day(text) == nil, "\(text)")
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
