import Foundation
import Testing

@testable import AssayServer

@Suite("SVG charts")
struct SVGChartTests {
    @Test("bars scale to a round axis top, escape their labels and list their values for screen readers")
    func bars() {
        #expect(SVGChart.niceCeiling(0) == 1 && SVGChart.niceCeiling(7) == 10 && SVGChart.niceCeiling(430) == 500)
        #expect(SVGChart.niceCeiling(1_500) == 2_000 && SVGChart.niceCeiling(2_000) == 2_000)
        let svg = SVGChart.bars(id: "v", title: "Judgments <per> day", bars: [("a&b", 400), ("c", 0), ("d", 250)])
        #expect(svg.components(separatedBy: "<rect class=\"column\"").count - 1 == 3)
        #expect(svg.contains("<title id=\"v-t\">Judgments &lt;per&gt; day</title>"))
        #expect(svg.contains("<desc id=\"v-d\">a&amp;b 400, c 0, d 250</desc>"))
        #expect(svg.contains(">400</text>") && svg.contains(">100</text>"), "four steps of 100 up to 400")
        #expect(!svg.contains("a&b"), "no unescaped text")
        // A day or two of a handful of judgments: whole-number ticks, never 0.2 or 0.8 of a judgment.
        let few = SVGChart.bars(id: "f", title: "Judgments", bars: [("1", 1), ("2", 0)])
        let ticks = few.matches(of: /class="tick" x="38\.0" y="[0-9.]+" text-anchor="end">([^<]+)</).map { String($0.1) }
        #expect(ticks == ["0", "1", "2", "3", "4"], "\(ticks)")
        let seconds = SVGChart.bars(id: "s", title: "Handling", bars: [("1", 0.6), ("2", 0.3)])
        #expect(seconds.contains(">0.2</text>") || seconds.contains(">0.8</text>"), "fractional data keep fractional steps")
    }

    @Test("the heat map leaves room for its longest slanted column label")
    func heatMapRoom() {
        let short = SVGChart.heatMap(id: "h", title: "Confusion", labels: ["a", "b"], counts: [[1, 0], [0, 1]])
        let long = SVGChart.heatMap(id: "h", title: "Confusion", labels: ["violent_extremism", "b"], counts: [[1, 0], [0, 1]])
        func viewBox(_ svg: String) -> [Double] {
            String(svg.firstMatch(of: /viewBox="([^"]+)"/)!.1).split(separator: " ").map { Double($0)! }
        }
        #expect(viewBox(long)[3] - viewBox(short)[3] >= 16 * 3.9 - 0.1, "taller by the label's rise")
        #expect(viewBox(long)[2] - viewBox(short)[2] >= 16 * 5.5 - 0.1, "wider by its run")
    }

    @Test("rates draw a line with interval bands and leave a gap for a day without data")
    func rates() {
        let svg = SVGChart.rates(id: "g", title: "Gold", points: [
            ("1", 0.9, 0.8, 0.95), ("2", nil, 0, 1), ("3", 0.5, 0.3, 0.7),
        ])
        #expect(svg.components(separatedBy: "<line class=\"band\"").count - 1 == 2)
        let path = String(svg.components(separatedBy: "<path class=\"line\" d=\"")[1].prefix { $0 != "\"" })
        #expect(path.filter { $0 == "M" }.count == 2, "the line restarts after the gap: \(path)")
        #expect(svg.contains("2 no data"))
        #expect(svg.contains(">100%</text>") && svg.contains(">0%</text>"))
    }

    @Test("coefficients are points on a 0–1 axis in decimals, with no interval band and no percent sign")
    func coefficients() {
        let svg = SVGChart.coefficients(id: "a", title: "Agreement", points: [("1", 0.562), ("2", nil), ("3", 0.7)])
        #expect(!svg.contains("<line class=\"band\""), "no interval was computed, so none is drawn")
        #expect(svg.contains("<desc id=\"a-d\">1 0.562, 2 no data, 3 0.700</desc>"), "\(svg)")
        #expect(svg.contains("<title>1: 0.562</title>"))
        #expect(svg.contains(">1.00</text>") && svg.contains(">0.50</text>") && !svg.contains("%"))
    }
}
