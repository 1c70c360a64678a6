import AssayQuality
import Testing

/// Reference values computed once with crowd-kit 1.4.2 (`DawidSkene(100, 1e-5)`, `OneCoinDawidSkene(100, 1e-5)`)
/// on the seeded crowd below, exported as CSV, so that `swift test` checks the match without Python.
@Suite struct CrowdKitReferenceTests {
    static func crowd() throws -> Fixtures.Crowd {
        try Fixtures.crowd(
            items: 60, labels: 3, good: 3, goodAccuracy: 0.7, spammers: 3, biased: 1, perItem: 3, seed: 21)
    }

    @Test func dawidSkeneMatchesCrowdKit() throws {
        let judgments = try Self.crowd().judgments
        let result = try DawidSkene().aggregate(judgments)
        let labels = (0..<judgments.itemCount).map { String(result.label(of: "i\($0)")!.dropFirst()) }.joined()
        #expect(labels == "111101110101102211212112022000112100022101111010001222112121")
        #expect(result.iterations == 39)  // crowd-kit: len(loss_history_)
        #expect(isClose(result.logLikelihood ?? 0, -1.5672891548408865, within: 1e-8))
        #expect(isClose(result.posterior(of: "i0")?["l1"] ?? 0, 0.7982861162706416, within: 1e-9))
        #expect(isClose(result.posterior(of: "i1")?["l2"] ?? 0, 0.4516939085914137, within: 1e-9))
    }

    @Test func oneCoinDawidSkeneMatchesCrowdKit() throws {
        // On this crowd the one-coin model collapses onto one label, in crowd-kit as here.
        let judgments = try Self.crowd().judgments
        let result = try OneCoinDawidSkene().aggregate(judgments)
        #expect(result.labelIndices.allSatisfy { $0 == 2 })
        #expect(result.iterations == 100)
        #expect(isClose(result.logLikelihood ?? 0, -1.0371152553718976, within: 1e-8))
    }
}
