package dev.vtrecycler.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for single values; each throws IllegalArgumentException on anything it does not accept. */
final class ValueParsers {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmg]?)b?");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*\\.?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]%]+");

    static AgentConfig.Mode mode(String raw) {
        return byKey(AgentConfig.Mode.class, raw);
    }

    static AgentConfig.Wakeups wakeups(String raw) {
        return byKey(AgentConfig.Wakeups.class, raw);
    }

    static AgentConfig.Fallback fallback(String raw) {
        return byKey(AgentConfig.Fallback.class, raw);
    }

    static AgentConfig.Bootstrap bootstrap(String raw) {
        return byKey(AgentConfig.Bootstrap.class, raw);
    }

    /** The constant whose key (its lower-case name, as the enums' {@code key()} give it) is {@code raw}, exactly. */
    private static <E extends Enum<E>> E byKey(Class<E> type, String raw) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(raw)) {
                return constant;
            }
        }
        throw new IllegalArgumentException();
    }

    static String host(String raw) {
        if (!HOST.matcher(raw).matches()) {
            throw new IllegalArgumentException();
        }
        return raw;
    }

    static int port(String raw) {
        if (raw.equals("none")) {
            return AgentConfig.NO_PORT;
        }
        int port = integer(raw);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException();
        }
        return port;
    }

    /** {@code none} is null; otherwise a file path (relative to the working directory). */
    static java.nio.file.Path webConfig(String raw) {
        if (raw.equals("none")) {
            return null;
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException();
        }
        try {
            return java.nio.file.Path.of(raw);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static boolean bool(String raw) {
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException();
        };
    }

    static int localCap(String raw) {
        int cap = integer(raw);
        // Go's rule needs a half: spill while >= cap/2, refill while < cap/2.
        if (cap < 2 || cap > 1024 || cap % 2 != 0) {
            throw new IllegalArgumentException();
        }
        return cap;
    }

    /** A count of connections or queue places, 1-1024. */
    static int connections(String raw) {
        int n = integer(raw);
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException();
        }
        return n;
    }

    /** {@code auto} is 0; otherwise bytes, at least 1 KiB (a smaller gate would reject every thread). */
    static long stackLimit(String raw) {
        if (raw.equals("auto")) {
            return 0;
        }
        Matcher m = SIZE.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException();
        }
        long unit = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1L;
        };
        long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        if (bytes < 1024) {
            throw new IllegalArgumentException();
        }
        return bytes;
    }

    static Duration duration(String raw) {
        Matcher m = DURATION.matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException();
        }
        return d;
    }

    /** A JFR threshold: like {@link #duration} but zero (record every pin) is allowed. */
    static Duration threshold(String raw) {
        return raw.matches("0+(ms|s)") ? Duration.ZERO : duration(raw);
    }

    static int pinnedSites(String raw) {
        int n = integer(raw);
        if (n > 100) {
            throw new IllegalArgumentException();
        }
        return n;
    }

    /** {@code off} is null; else 1 ms to 10 s. */
    static Duration samplingPeriod(String raw) {
        return bounded(raw, Duration.ofMillis(1), Duration.ofSeconds(10));
    }

    /** {@code off} is null; else 100 ms to 1 h. */
    static Duration checkPeriod(String raw) {
        return bounded(raw, Duration.ofMillis(100), Duration.ofHours(1));
    }

    private static Duration bounded(String raw, Duration min, Duration max) {
        if (raw.equals("off")) {
            return null;
        }
        Duration d = duration(raw);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException();
        }
        return d;
    }

    static List<String> packages(String raw) {
        List<String> prefixes = new ArrayList<>();
        for (String part : raw.split(";", -1)) {
            if (!PACKAGE.matcher(part).matches()) {
                throw new IllegalArgumentException();
            }
            prefixes.add(part);
        }
        return List.copyOf(prefixes);
    }

    private static int integer(String raw) {
        if (!raw.matches("\\d{1,9}")) {
            throw new IllegalArgumentException();
        }
        return Integer.parseInt(raw);
    }

    private ValueParsers() {}
}
