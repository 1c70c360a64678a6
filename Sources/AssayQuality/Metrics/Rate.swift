/// A proportion together with its counts and Wilson interval, so that no rate reaches a person without its
/// uncertainty.
///
/// With no trials the rate is undefined: `value` is then 0 (scikit-learn's `zero_division=0` convention),
/// `isDefined` is `false`, and the interval is [0, 1].
///
/// For example:
/// ```swift
/// let precision = Rate(successes: 45, trials: 50)
/// precision.value            // 0.9
/// precision.interval.lower   // 0.786
/// ```
public struct Rate: Sendable, Equatable {
    /// The number of successes.
    public let successes: Int
    /// The number of trials.
    public let trials: Int
    /// The Wilson score interval of the proportion.
    public let interval: WilsonInterval

    /// Creates a rate of `successes` out of `trials`, with a Wilson interval at normal quantile `z`.
    public init(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        self.successes = successes
        self.trials = trials
        interval = WilsonInterval(successes: successes, trials: trials, z: z)
    }

    /// successes / trials, or 0 when there are no trials.
    public var value: Double { interval.proportion }
    /// Whether there was at least one trial.
    public var isDefined: Bool { trials > 0 }
}
