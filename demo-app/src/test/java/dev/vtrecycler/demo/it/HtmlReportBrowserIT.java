package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.report.Report;
import dev.vtrecycler.demo.report.ReportSamples;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both HTML reports opened in a real headless browser: the DOM it built holds the charts (an SVG
 * element per chart, a bar per value, a line per configuration), and a screenshot shows them painted
 * in the configurations' colours. {@link CompareQuickIT} does the same with a real {@code compare}
 * run's report.
 */
class HtmlReportBrowserIT {
    @TempDir
    Path dir;

    @Test
    void compareReportDrawsABarPerWorkloadParallelismAndConfiguration() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        Path page = write(ReportSamples.compareReport(), "compare.html");

        String dom = chromium.dumpDom(page);
        assertThat(count(dom, "<svg[^>]*class=\"chart\"")).as(dom).isEqualTo(2);   // time/op, alloc/op
        // 2 workloads x 2 parallelisms x 5 configurations (mode=schedule the fifth), one failed, per chart
        assertThat(count(dom, "<rect class=\"bar\"")).isEqualTo(2 * (2 * 2 * 5 - 1));
        assertThat(dom).contains(">failed</text>").contains("load average 1.7 at start, 1.8 at end")
                .contains("the text tables &lt;as printed&gt; &amp; more");
        assertPainted(chromium.screenshot(page, dir.resolve("compare.png"), 1200, 1800));
    }

    @Test
    void serviceAbReportDrawsLatencyLinesAndThroughputBars() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        Path page = write(ReportSamples.serviceAbReport(), "service-ab.html");

        String dom = chromium.dumpDom(page);
        assertThat(count(dom, "<svg[^>]*class=\"chart\"")).as(dom).isEqualTo(8); // latency + 7 bar charts
        // latency: 3 percentile panels x 4 configurations, each a line through its points
        assertThat(count(dom, "<polyline class=\"series\"")).isEqualTo(3 * 4);
        // 3 loads x 4 configurations per panel, mode=observe at max failed
        assertThat(count(dom, "<circle class=\"point\"")).isEqualTo(3 * (3 * 4 - 1));
        assertThat(count(dom, "<rect class=\"bar\"")).isEqualTo(7 * (3 * 4 - 1));
        assertPainted(chromium.screenshot(page, dir.resolve("service-ab.png"), 1200, 1400));
    }

    private Path write(Report report, String name) throws Exception {
        Path page = dir.resolve(name);
        Files.writeString(page, report.page().render(), StandardCharsets.UTF_8);
        return page;
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Not blank: a real share of the screenshot is neither white nor near-white, and the colours of
     * no agent (grey), mode=observe (orange) and mode=recycle (blue) each cover bars' worth of pixels.
     */
    static void assertPainted(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG at " + png).isNotNull();
        long ink = 0;
        long grey = 0;
        long orange = 0;
        long blue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (near(rgb, 0xf0f0f0) < 0) {
                    ink++;
                }
                grey += near(rgb, 0x6b6b6b) >= 0 ? 1 : 0;
                orange += near(rgb, 0xE69F00) >= 0 ? 1 : 0;
                blue += near(rgb, 0x0072B2) >= 0 ? 1 : 0;
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertThat(ink).as("non-white pixels of " + pixels).isGreaterThan(pixels / 50);
        assertThat(grey).as("pixels in the no-agent colour").isGreaterThan(500);
        assertThat(orange).as("pixels in the mode=observe colour").isGreaterThan(500);
        assertThat(blue).as("pixels in the mode=recycle colour").isGreaterThan(500);
    }

    /** 0 or more when every channel of {@code rgb} is within 24 of {@code target} (or lighter, for 0xf0f0f0). */
    private static int near(int rgb, int target) {
        int worst = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (rgb >> shift) & 0xff;
            int b = (target >> shift) & 0xff;
            int d = target == 0xf0f0f0 ? b - a : Math.abs(a - b);
            worst = Math.max(worst, d);
        }
        return 24 - worst;
    }
}
