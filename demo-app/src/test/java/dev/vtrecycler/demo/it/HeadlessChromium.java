package dev.vtrecycler.demo.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real browser for the HTML reports: Debian's {@code chromium} (installed by {@code .ci/run}), run
 * headless on a local file. Missing, the tests that need it are skipped with a banner, unless
 * {@code VTRECYCLER_REQUIRE_CHROMIUM=1} (CI), where they fail: as {@code VTRECYCLER_REQUIRE_PROMETHEUS}
 * does for Prometheus.
 */
final class HeadlessChromium {
    static final String REQUIRE = "VTRECYCLER_REQUIRE_CHROMIUM";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final long TIMEOUT_SECONDS = 180;

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The browser, or the test is skipped (failed under {@value #REQUIRE}=1). */
    static HeadlessChromium findOrSkip() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return new HeadlessChromium(found.get());
        }
        String message = "no chromium on PATH (looked for " + String.join(", ", NAMES)
                + "): install Debian's chromium package (.ci/run does) to render the HTML reports in a browser";
        if ("1".equals(System.getenv(REQUIRE))) {
            fail(message + " (" + REQUIRE + "=1)");
        }
        System.err.println("\n*****\n***** SKIPPED: " + message + "\n***** (set " + REQUIRE
                + "=1 to make this a failure)\n*****\n");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /**
     * The browser for a test that checks more than the report: empty when it is missing (the test's
     * other checks still run), a failure under {@value #REQUIRE}=1.
     */
    static Optional<HeadlessChromium> ifInstalled() {
        Optional<Path> found = find();
        if (found.isEmpty() && "1".equals(System.getenv(REQUIRE))) {
            fail("no chromium on PATH (" + REQUIRE + "=1)");
        }
        return found.map(HeadlessChromium::new);
    }

    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after the page loaded and parsed, serialized: what the browser made of the file. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom")).stdout();
    }

    /** A PNG of the page at the given window size. */
    Path screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Run run = run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot; stderr:\n" + run.stderr());
        }
        return png;
    }

    private record Run(String stdout, String stderr) {}

    private Run run(Path page, List<String> what) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless=new",
                // the sandbox needs user namespaces CI containers (often running as root) do not give;
                // the page is our own local file, so nothing untrusted runs without it
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile));
        command.addAll(what);
        command.add(page.toAbsolutePath().toUri().toString());
        Path out = Files.createTempFile("chromium-out", ".txt");
        Path err = Files.createTempFile("chromium-err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ": " + command + "\n" + stderr);
            }
            return new Run(Files.readString(out, StandardCharsets.UTF_8), stderr);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
