/// A small, fast, seedable random number generator, so that bootstraps, samplers, simulations and MACE restarts are
/// reproducible run to run.
///
/// SplitMix64 adds a fixed odd constant to its state and scrambles the result; it passes BigCrush and is the
/// generator Java's `SplittableRandom` and the xoshiro authors use for seeding. It is not cryptographically secure.
///
/// G. L. Steele Jr., D. Lea and C. H. Flood (2014), "Fast Splittable Pseudorandom Number Generators", OOPSLA '14,
/// 453–472. https://doi.org/10.1145/2660193.2660195
///
/// For example:
/// ```swift
/// var rng = SplitMix64(seed: 7)
/// let roll = Int.random(in: 1...6, using: &rng)   // the same roll on every run
/// ```
/// - Complexity: O(1) per number, 8 bytes of state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
