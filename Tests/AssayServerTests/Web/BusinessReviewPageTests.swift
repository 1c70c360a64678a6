import AssayCore
import Foundation
import Testing

@testable import AssayServer

/// How the business review page lays out its figures.
@Suite("Business review page")
struct BusinessReviewPageTests {
    @Test("a change that rounds to nothing as shown is neither better nor worse")
    func roundedChangeIsNeutral() {
        #expect(BusinessReviewPage.direction(false, shown: "+0.0 pp") == "neutral")
        #expect(BusinessReviewPage.direction(true, shown: "-0.0 s") == "neutral")
        #expect(BusinessReviewPage.direction(false, shown: "-0.2 pp") == "worse")
        #expect(BusinessReviewPage.direction(true, shown: "+12 (+0.3%)") == "better")
        #expect(BusinessReviewPage.direction(nil, shown: "+1.0 pp") == "neutral")
    }

    @Test("a root cause with more than five groups shows the largest five and the rest summed, so its rows add up to the change")
    func causeRowsAddUp() throws {
        // Seven teams: each one's gold accuracy moves from 80% to 80% + 1 point × its number, on 100 answers each time.
        let before = Dictionary(uniqueKeysWithValues: (1...7).map { ("team-\($0)", (weight: 100.0, value: 0.8)) })
        let after = Dictionary(uniqueKeysWithValues: (1...7).map { ("team-\($0)", (weight: 100.0, value: 0.8 + 0.01 * Double($0))) })
        let change = ShiftShare(before: before, after: after)
        let cause = BusinessReviewPage.cause(
            BusinessReview.RootCause(figure: "Gold accuracy", dimension: .team, change: change, titles: [:]))
        #expect(cause.rows.count == 6)
        #expect(cause.rows.last?.group == "The other 2 groups")
        let points = cause.rows.map { Double($0.contribution.replacingOccurrences(of: " pp", with: ""))! }
        #expect(abs(points.reduce(0, +) - (change.total ?? 0) * 100) < 0.051, "\(points) against \(change.total ?? 0)")
        #expect(cause.rows.last?.contribution == "+0.4 pp", "teams 1 and 2: (1 + 2) / 7 points")
    }
}
