package dev.vtrecycler.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code compare --quick} end to end, as the README's command runs it: the seed's table comes out
 * with a positive figure in all three columns of every row (with recycling, without, thread
 * recycling only), and the lines that split recycling into its parts. The figures themselves are
 * not asserted. The same run writes its HTML report, which a headless browser must show with both
 * charts drawn (when chromium is installed; required in CI).
 */
class CompareQuickIT {
    private static final String NUMBER = "(\\d+(?:\\.\\d+)?)(ns|µs|ms|s|B|kB|MB|GB) ±\\s?\\d+%";
    private static final String NAME = "(?:PrimeNumber|PingUrl)(?:-\\d+)?";
    private static final Pattern ROW = Pattern.compile(
            "^" + NAME + " +" + NUMBER + " +" + NAME + " +" + NUMBER + " +" + NAME + " +" + NUMBER
                    + " +" + NAME + " +" + NUMBER + "$");

    @Test
    void printsTheSeedsTableWithEveryColumnFilled() throws Exception {
        Path reportDir = Files.createTempDirectory("compare-report");
        Path html = reportDir.resolve("compare.html");
        DemoJar.Result result = DemoJar.run(240, "compare", "--quick", "--html", html.toString());

        assertThat(result.exitCode()).as("stderr:\n" + result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        int parallelism = Runtime.getRuntime().availableProcessors();
        List<String> names = parallelism == 1
                ? List.of("PrimeNumber", "PingUrl")
                : List.of("PrimeNumber", "PrimeNumber-" + parallelism, "PingUrl", "PingUrl-" + parallelism);

        assertThat(lines.stream().filter(l -> l.startsWith("With recycling")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).matches("With recycling +Without recycling +Thread recycling only \\(wakeups=jdk\\)"
                        + " +Scheduling only \\(mode=schedule\\)"));
        assertThat(lines.stream().filter(l -> l.matches("name +time/op +name +time/op +name +time/op +name +time/op"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.matches("name +alloc/op +name +alloc/op +name +alloc/op +name +alloc/op"))).hasSize(2);
        for (String name : names) {
            List<String> rows = lines.stream().filter(l -> l.startsWith(name + " ")).toList();
            assertThat(rows).as("rows of " + name + " in\n" + result.stdout()).hasSize(2); // time/op, alloc/op
            for (String row : rows) {
                Matcher m = ROW.matcher(row);
                assertThat(m.matches()).as(row).isTrue();
                for (int value = 1; value <= 7; value += 2) { // groups: value, unit, per column
                    assertThat(Double.parseDouble(m.group(value))).as(row).isPositive();
                }
            }
        }
        assertThat(lines.stream().filter(l -> l.startsWith("observe overhead"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("thread recycling alone (mode=recycle,wakeups=jdk vs"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("wake-up reuse alone (mode=recycle vs mode=recycle,wakeups=jdk)"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("threads with mode=recycle,wakeups=jdk "))).hasSize(2)
                .noneMatch(l -> l.contains("n/a"));
        // the wakeups=jdk JVMs really ran with the JDK's wake-ups (their agent line is progress on stderr)
        assertThat(result.stderr()).contains("mode=recycle,wakeups=jdk: [vtrecycler] ")
                .contains("active: mode=recycle, wakeups=jdk").contains("active: mode=recycle, wakeups=reuse")
                .contains("active: mode=schedule, wakeups=reuse, timers=" + (Runtime.version().feature() >= 25 ? "reuse" : "jdk"));
        assertThat(lines.stream().filter(l -> l.startsWith("allocation-free scheduling alone (mode=schedule vs mode=observe)"))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("verdict "))).hasSize(2);
        assertThat(result.stderr()).contains("iteration 1 of").contains("report: " + html.toAbsolutePath());

        assertThat(Files.readString(html)).contains("<svg").contains("load average");
        var chromium = HeadlessChromium.ifInstalled();
        if (chromium.isPresent()) {
            String dom = chromium.get().dumpDom(html);
            int bars = names.size() * 5; // a bar per row and configuration (five), in each of the two charts
            assertThat(HtmlReportBrowserIT.count(dom, "<svg[^>]*class=\"chart\"")).isEqualTo(2);
            assertThat(HtmlReportBrowserIT.count(dom, "<rect class=\"bar\"")).as(dom).isEqualTo(2 * bars);
            HtmlReportBrowserIT.assertPainted(chromium.get().screenshot(html, reportDir.resolve("compare.png"), 1200, 1800));
        }
    }
}
