import Foundation

/// Which groups drove the change in a weighted mean — gold accuracy, QA score, handling time — between two
/// periods (shift-share, or Kitagawa, decomposition).
///
/// Method. The overall value is the weighted mean of the groups' values, R = Σ_g w_g r_g with weights
/// w_g = n_g / N (the groups' shares of the answers). Between periods 0 and 1 its change splits exactly into one
/// term per group,
///
///     R¹ − R⁰ = Σ_g [ w̄_g (r¹_g − r⁰_g)  +  (w¹_g − w⁰_g) (r̄_g − R̄) ],
///
/// where bars are the two periods' averages. The first term is the group's **rate effect** (it got better or
/// worse at the same share of the work); the second its **mix effect** (its share of the work grew or shrank, which
/// moves the total by how far the group sits from the average). Subtracting R̄ changes nothing in the sum, since
/// the shares' changes add up to zero, but makes a mix effect read naturally: more work going to a group below the
/// average lowers the total. A group present in one period only takes its one value for both, so all its effect
/// is mix. E. M. Kitagawa (1955), "Components of a Difference Between Two Rates", JASA 50(272):1168–1194.
///
/// For example, accuracy fell from 90% to 85% because vendor B, at 70%, took on half the work:
/// ```swift
/// let change = ShiftShare(
///     before: ["A": (weight: 90, value: 0.9), "B": (weight: 10, value: 0.9)],
///     after: ["A": (weight: 50, value: 0.95), "B": (weight: 50, value: 0.75)])
/// change.total            // −0.05
/// change.groups.first!    // B: −0.065 = rate effect −0.045 + mix effect −0.02 (more work, below average)
/// change.groups.last!     // A: +0.015 = rate effect +0.035 + mix effect −0.02 (less work, above average)
/// ```
public struct ShiftShare: Sendable, Equatable {
    /// One group's part of the change.
    public struct Group: Sendable, Equatable {
        public var key: String
        public var before: (weight: Double, value: Double)?
        public var after: (weight: Double, value: Double)?
        public var rateEffect: Double
        public var mixEffect: Double
        /// rateEffect + mixEffect: how much of the total change this group accounts for.
        public var contribution: Double { rateEffect + mixEffect }

        public static func == (a: Group, b: Group) -> Bool {
            a.key == b.key && a.rateEffect == b.rateEffect && a.mixEffect == b.mixEffect
                && a.before?.weight == b.before?.weight && a.before?.value == b.before?.value
                && a.after?.weight == b.after?.weight && a.after?.value == b.after?.value
        }
    }

    /// The overall values; nil for a period without any weight.
    public var before: Double?
    public var after: Double?
    /// The groups, the largest contribution (either sign) first; empty when either period has no weight.
    public var groups: [Group]

    /// after − before, or nil when either is undefined.
    public var total: Double? {
        guard let before, let after else { return nil }
        return after - before
    }

    /// Decomposes the change from `before` to `after`, each a group's weight (how many answers) and value.
    /// Groups with zero weight in both periods are left out.
    public init(before: [String: (weight: Double, value: Double)], after: [String: (weight: Double, value: Double)]) {
        let totalBefore = before.values.reduce(0) { $0 + $1.weight }
        let totalAfter = after.values.reduce(0) { $0 + $1.weight }
        self.before = totalBefore > 0 ? before.values.reduce(0) { $0 + $1.weight * $1.value } / totalBefore : nil
        self.after = totalAfter > 0 ? after.values.reduce(0) { $0 + $1.weight * $1.value } / totalAfter : nil
        guard let overallBefore = self.before, let overallAfter = self.after else {
            groups = []
            return
        }
        let average = (overallBefore + overallAfter) / 2
        var groups: [Group] = []
        for key in Set(before.keys).union(after.keys) {
            let was = before[key].flatMap { $0.weight > 0 ? $0 : nil }
            let now = after[key].flatMap { $0.weight > 0 ? $0 : nil }
            guard let valueBefore = was?.value ?? now?.value, let valueAfter = now?.value ?? was?.value else { continue }
            let shareBefore = (was?.weight ?? 0) / totalBefore
            let shareAfter = (now?.weight ?? 0) / totalAfter
            groups.append(Group(
                key: key, before: was, after: now,
                rateEffect: (shareBefore + shareAfter) / 2 * (valueAfter - valueBefore),
                mixEffect: (shareAfter - shareBefore) * ((valueBefore + valueAfter) / 2 - average)))
        }
        self.groups = groups.sorted { (abs($0.contribution), $1.key) > (abs($1.contribution), $0.key) }
    }
}
