package dev.vtrecycler.agent;

/** The agent's only output: single lines on stderr, prefixed so users can grep them. */
public final class Log {
    public static final String PREFIX = "[vtrecycler] ";

    public static void line(String message) {
        System.err.println(PREFIX + message);
    }

    private Log() {}
}
