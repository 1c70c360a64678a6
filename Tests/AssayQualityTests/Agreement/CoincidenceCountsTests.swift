import AssayQuality
import Testing

@Suite struct CoincidenceCountsTests {
    /// The paper's 12 units, added one unit at a time and split over two "days": the same α at every level as from
    /// the judgment matrix.
    @Test(arguments: KrippendorffAlpha.Level.allCases)
    func summedCountsGiveThePublishedAlpha(level: KrippendorffAlpha.Level) throws {
        let units: [[String]] = [
            ["1", "1", "1"], ["2", "2", "3", "2"], ["3", "3", "3", "3"], ["3", "3", "3", "3"], ["2", "2", "2", "2"],
            ["1", "2", "3", "4"], ["4", "4", "4", "4"], ["1", "1", "2", "1"], ["2", "2", "2", "2"], ["5", "5", "5"],
            ["1", "1"], ["3"],
        ]
        var first = CoincidenceCounts()
        var second = CoincidenceCounts()
        for (index, unit) in units.enumerated() {
            if index < 5 { first.addUnit(unit) } else { second.addUnit(unit) }
        }
        var all = first
        all.add(second)
        let summed = try KrippendorffAlpha(level: level).measure(all)
        let direct = try KrippendorffAlpha(level: level).measure(Fixtures.krippendorff2011())
        #expect(abs(summed.value - direct.value) < 1e-12, "α(\(level)): \(summed.value) vs \(direct.value)")
        #expect(summed.itemCount == 11)
        #expect(summed.judgmentCount == 40)
    }

    /// Sums stored as rows (pair, weight) and read back give the same α as the units they came from.
    @Test func storedPairsRoundTrip() throws {
        var live = CoincidenceCounts()
        var stored = CoincidenceCounts()
        for unit in [["spam", "spam", "none"], ["none", "none"], ["hate", "spam"], ["hate", "hate", "hate"]] {
            live.addUnit(unit)
            for (pair, weight) in CoincidenceCounts.pairs(ofUnit: unit) { stored.add(pair.first, pair.second, weight: weight) }
            stored.add(units: 1)
        }
        #expect(stored == live)
        #expect(try KrippendorffAlpha().measure(stored).value == KrippendorffAlpha().measure(live).value)
    }

    @Test func unpairableUnitsAddNothing() throws {
        var counts = CoincidenceCounts()
        counts.addUnit(["spam"])
        counts.addUnit([])
        #expect(counts.unitCount == 0)
        #expect(throws: QualityError.self) { try KrippendorffAlpha().measure(counts) }
    }
}
