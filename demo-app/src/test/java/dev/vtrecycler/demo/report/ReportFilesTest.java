package dev.vtrecycler.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtrecycler.demo.cli.ArgumentParser;
import dev.vtrecycler.demo.cli.ParsedOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @TempDir
    Path dir;

    private static ParsedOptions parse(String... args) {
        return new ArgumentParser("compare", ReportFiles.OPTIONS).parse(List.of(args));
    }

    @Test
    void writesTheHtmlPageAndEveryChartAsItsOwnSvg() throws Exception {
        Path html = dir.resolve("sub/compare.html");
        Path svgs = dir.resolve("svg");
        ReportFiles.from(parse("--html", html.toString(), "--svg-dir=" + svgs)).write(c -> ReportSamples.compareReport());

        String page = Files.readString(html);
        // self-contained: the SVG namespace is the only URL in it, and nothing is fetched
        assertThat(page).doesNotContain("<script", "<link", "src=", "@import", "url(");
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg")
                .satisfies(p -> assertThat(p.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http"));
        assertThat(Files.readString(svgs.resolve("compare-time.svg"))).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(svgs.resolve("compare-alloc.svg")).isRegularFile();
    }

    @Test
    void buildsNothingWhenNeitherOptionIsGiven() {
        AtomicInteger built = new AtomicInteger();
        ReportFiles.from(parse()).write(c -> {
            built.incrementAndGet();
            return ReportSamples.compareReport();
        });
        assertThat(built).hasValue(0);
    }

    @Test
    void saysHowBusyTheMachineWas() {
        assertThat(ReportFiles.conditions(1.66, 2.34)).isEqualTo("load average 1.7 at start, 2.3 at end");
        assertThat(ReportFiles.conditions(-1, 2)).isEqualTo("load average not available on this system");
    }
}
