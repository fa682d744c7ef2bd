package dev.vtrecycler.demo.cli;

/**
 * One option a subcommand accepts: a flag ({@code --quick}) or a whole number with bounds
 * ({@code --port 8080}). Declared once per subcommand so parsing, validation and help text come
 * from the same place.
 */
public record Option(String name, String valueName, long min, long max, long defaultValue, String help) {

    public static Option flag(String name, String help) {
        return new Option(name, null, 0, 1, 0, help);
    }

    public static Option number(String name, String valueName, long min, long max, long defaultValue, String help) {
        return new Option(name, valueName, min, max, defaultValue, help);
    }

    public boolean isFlag() {
        return valueName == null;
    }

    /** The line shown under a subcommand's usage. */
    public String helpLine() {
        String left = isFlag() ? "--" + name : "--" + name + " <" + valueName + ">";
        String suffix = isFlag() ? "" : " (default " + defaultValue + ")";
        return String.format("  %-22s %s%s", left, help, suffix);
    }
}
