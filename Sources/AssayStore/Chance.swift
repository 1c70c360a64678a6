import AssayQuality
import Synchronization

/// Where the store's random choices come from: whether a lease serves gold, where a look for gold starts, and
/// which judgments QA samples.
///
/// A live server draws from the system's generator, so nobody can tell in advance which item is gold or which
/// judgment will be reviewed. The demo and the tests draw from a seeded one, so that the same seed builds the
/// same workspace and a test's outcome does not hang on luck (a test whose annotator is served no gold item in
/// twelve leases at a 50% gold rate fails one run in four thousand).
///
/// Draws are taken in the order the store asks for them; with concurrent requests that order, and so which
/// request gets which draw, is up to the scheduler. A seed makes sequential work reproducible, not concurrent work.
///
/// For example:
/// ```swift
/// let database = try await AssayDatabase.open(.sqlite(path: "demo.sqlite"), chance: .seeded(2026))
/// ```
public final class Chance: Sendable {
    private let generator: Mutex<SplitMix64?>
    /// Mixed into the draws fixed by a key (``uniform(fixedBy:_:)``): random on a live server, from the seed otherwise.
    private let salt: UInt64

    private init(seed: UInt64?) {
        generator = Mutex(seed.map(SplitMix64.init(seed:)))
        var salting = SplitMix64(seed: seed.map { $0 ^ 0x5DEE_CE66_D1CE_4E5B } ?? UInt64.random(in: .min ... .max))
        salt = salting.next()
    }

    /// Draws from the system's generator: unpredictable, as a live workspace needs.
    public static var system: Chance { Chance(seed: nil) }

    /// Draws a fixed sequence determined by `seed`.
    public static func seeded(_ seed: UInt64) -> Chance { Chance(seed: seed) }

    /// A uniform draw from 0 up to (not including) 1.
    func uniform() -> Double {
        generator.withLock { seeded in
            guard seeded != nil else { return Double.random(in: 0..<1) }
            return Double.random(in: 0..<1, using: &seeded!)
        }
    }

    /// A uniform draw from 0 up to 1 fixed by a key, the same however often it is asked: QA's draw for the `position`th
    /// judgment of an item, which an item decided again (more judgments came) must not draw afresh, or judgments on
    /// items decided twice would be sampled twice as often.
    func uniform(fixedBy item: Int64, _ position: Int) -> Double {
        var generator = SplitMix64(seed: salt &+ UInt64(bitPattern: item) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(position) &* 0xC2B2_AE3D_27D4_EB4F)
        return Double.random(in: 0..<1, using: &generator)
    }

    /// A uniform whole number in `range`.
    func integer(in range: ClosedRange<Int64>) -> Int64 {
        generator.withLock { seeded in
            guard seeded != nil else { return Int64.random(in: range) }
            return Int64.random(in: range, using: &seeded!)
        }
    }
}
