package dev.vtrecycler.demo.cli;

/**
 * One option a subcommand accepts: a flag ({@code --quick}), a whole number with bounds
 * ({@code --port 8080}) or a text such as a file name ({@code --html report.html}). Declared once per
 * subcommand so parsing, validation and help text come from the same place.
 */
public record Option(String name, String valueName, long min, long max, long defaultValue, String help, boolean text) {

    public static Option flag(String name, String help) {
        return new Option(name, null, 0, 1, 0, help, false);
    }

    public static Option number(String name, String valueName, long min, long max, long defaultValue, String help) {
        return new Option(name, valueName, min, max, defaultValue, help, false);
    }

    /** A free-form value (a path); absent unless given. */
    public static Option text(String name, String valueName, String help) {
        return new Option(name, valueName, 0, 0, 0, help, true);
    }

    public boolean isFlag() {
        return valueName == null;
    }

    /** The line shown under a subcommand's usage. */
    public String helpLine() {
        String left = isFlag() ? "--" + name : "--" + name + " <" + valueName + ">";
        String suffix = isFlag() || text ? "" : " (default " + defaultValue + ")";
        return String.format("  %-22s %s%s", left, help, suffix);
    }
}
