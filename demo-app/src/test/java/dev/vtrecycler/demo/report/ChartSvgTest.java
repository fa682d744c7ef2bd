package dev.vtrecycler.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vtrecycler.demo.measure.Units;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ChartSvgTest {
    private static final List<String> SERIES = List.of("no agent", "mode=<recycle> & co");

    private static Chart chart(Chart.Style style, Chart.Scale scale, List<List<Chart.Value>> values) {
        return new Chart("t", "Title", "load average 1.0 at start, 2.0 at end", "time/op", style, scale, SERIES,
                List.of(new Chart.Panel("Panel", List.of("a", "b"), values)), Units::duration);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document doc, String name, String cssClass) {
        NodeList nodes = doc.getElementsByTagName(name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cssClass.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void barsAreWellFormedSvgWithHeightsProportionalToTheirValues() throws Exception {
        String svg = ChartSvg.render(chart(Chart.Style.BARS, Chart.Scale.LINEAR, List.of(
                List.of(new Chart.Value(100e6, 10), new Chart.Value(50e6, 0)),
                List.of(new Chart.Value(25e6, 5), Chart.Value.MISSING))));

        Document doc = parse(svg);
        List<Element> bars = elements(doc, "rect", "bar");
        assertThat(bars).hasSize(3);
        double first = Double.parseDouble(bars.get(0).getAttribute("height"));
        double second = Double.parseDouble(bars.get(1).getAttribute("height"));
        double third = Double.parseDouble(bars.get(2).getAttribute("height"));
        // bar order: category a (series 0, then 1), then b (series 0; series 1 failed)
        assertThat(first / second).isCloseTo(4, within(0.05));
        assertThat(first / third).isCloseTo(2, within(0.02));
        assertThat(bars.get(0).getTextContent()).isEqualTo("Panel a, no agent: 100ms ± 10%");
        assertThat(svg).contains(">failed</text>").contains("mode=&lt;recycle&gt; &amp; co")
                .contains("load average 1.0 at start, 2.0 at end").contains(">100ms</text>");
        // bars of one category share a baseline
        double bottom = Double.parseDouble(bars.get(0).getAttribute("y")) + first;
        assertThat(Double.parseDouble(bars.get(2).getAttribute("y")) + third).isCloseTo(bottom, within(0.11));
    }

    @Test
    void aLogScaleDrawsEachDecadeTheSameHeight() throws Exception {
        String svg = ChartSvg.render(chart(Chart.Style.BARS, Chart.Scale.LOG, List.of(
                List.of(new Chart.Value(72.6e6, 0), new Chart.Value(7.26e6, 0)),
                List.of(new Chart.Value(726e3, 0), new Chart.Value(72.6e3, 0)))));

        List<Element> bars = elements(parse(svg), "rect", "bar");
        double[] heights = bars.stream().mapToDouble(b -> Double.parseDouble(b.getAttribute("height"))).toArray();
        // bar order: category a (series 0, 1), then b: 72.6M, 726k, 7.26M, 72.6k
        double decade = heights[0] - heights[2];
        assertThat(decade).isPositive();
        assertThat(heights[2] - heights[1]).isCloseTo(decade, within(0.2));
        assertThat(heights[1] - heights[3]).isCloseTo(decade, within(0.2));
        assertThat(svg).contains("time/op (log scale)");
    }

    @Test
    void linesJoinTheirPointsAndSkipMissingOnes() throws Exception {
        String svg = ChartSvg.render(chart(Chart.Style.LINES, Chart.Scale.LOG, List.of(
                List.of(new Chart.Value(2e6, 5), new Chart.Value(900e6, 5)),
                List.of(new Chart.Value(3e6, 5), Chart.Value.MISSING))));

        Document doc = parse(svg);
        assertThat(elements(doc, "polyline", "series")).hasSize(1); // a line needs two points
        List<Element> points = elements(doc, "circle", "point");
        assertThat(points).hasSize(3);
        double low = Double.parseDouble(points.get(0).getAttribute("cy"));
        double high = Double.parseDouble(points.get(1).getAttribute("cy"));
        assertThat(high).isLessThan(low); // SVG's y grows downwards: the slower point is higher up
    }
}
