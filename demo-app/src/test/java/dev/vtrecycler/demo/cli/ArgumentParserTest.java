package dev.vtrecycler.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArgumentParserTest {
    private static final ArgumentParser PARSER = new ArgumentParser("serve", List.of(
            Option.number("port", "port", 0, 65535, 8080, "port"),
            Option.number("rate", "req/s", 1, 1000, 200, "rate"),
            Option.flag("load", "load")));

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("", 8080L, 200L, false, false),
                Arguments.of("--port 9000", 9000L, 200L, false, false),
                Arguments.of("--port=0", 0L, 200L, false, false),
                Arguments.of("--load --rate 5", 8080L, 5L, true, false),
                Arguments.of("--rate 1000 --port 65535 --load", 65535L, 1000L, true, false),
                Arguments.of("--port 1 --port 2", 2L, 200L, false, false),
                Arguments.of("--help", 8080L, 200L, false, true),
                Arguments.of("--load -h", 8080L, 200L, true, true));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("valid")
    void parsesValidInput(String args, long port, long rate, boolean load, boolean help) {
        ParsedOptions parsed = PARSER.parse(split(args));

        assertThat(parsed.number("port")).isEqualTo(port);
        assertThat(parsed.number("rate")).isEqualTo(rate);
        assertThat(parsed.flag("load")).isEqualTo(load);
        assertThat(parsed.helpRequested()).isEqualTo(help);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("--port abc", "serve: --port needs a whole number, got 'abc'"),
                Arguments.of("--port=1.5", "serve: --port needs a whole number, got '1.5'"),
                Arguments.of("--port", "serve: --port needs a number (<port>)"),
                Arguments.of("--port 70000", "serve: --port must be between 0 and 65535, got 70000"),
                Arguments.of("--rate 0", "serve: --rate must be between 1 and 1000, got 0"),
                Arguments.of("--rate -3", "serve: --rate must be between 1 and 1000, got -3"),
                Arguments.of("--port 99999999999999999999", "serve: --port needs a whole number, got '99999999999999999999'"),
                Arguments.of("--speed 3", "serve: unknown option --speed (options: --port, --rate, --load)"),
                Arguments.of("--load=yes", "serve: --load takes no value"),
                Arguments.of("extra", "serve: unexpected argument 'extra' (options: --port, --rate, --load)"),
                Arguments.of("--", "serve: unexpected argument '--' (options: --port, --rate, --load)"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("invalid")
    void rejectsBadInputWithOneLine(String args, String message) {
        assertThatThrownBy(() -> PARSER.parse(split(args)))
                .isInstanceOf(UsageException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static List<String> split(String args) {
        return args.isEmpty() ? List.of() : Arrays.asList(args.split(" "));
    }

    private static final ArgumentParser WITH_TEXT = new ArgumentParser("compare", List.of(
            Option.flag("quick", "quick"),
            Option.text("html", "file", "html")));

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("", null, false),
                Arguments.of("--html out.html", "out.html", false),
                Arguments.of("--html=dir/out.html --quick", "dir/out.html", true),
                Arguments.of("--html a --html b", "b", false));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("texts")
    void textOptionsKeepTheirValueAsGiven(String args, String html, boolean quick) {
        ParsedOptions parsed = WITH_TEXT.parse(split(args));

        assertThat(parsed.text("html")).isEqualTo(html);
        assertThat(parsed.flag("quick")).isEqualTo(quick);
    }

    static Stream<Arguments> badTexts() {
        return Stream.of(
                Arguments.of("--html", "compare: --html needs a value (<file>)"),
                Arguments.of("--html=", "compare: --html needs a non-empty <file>"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badTexts")
    void rejectsAMissingTextWithOneLine(String args, String message) {
        assertThatThrownBy(() -> WITH_TEXT.parse(split(args))).isInstanceOf(UsageException.class).hasMessage(message);
    }
}
