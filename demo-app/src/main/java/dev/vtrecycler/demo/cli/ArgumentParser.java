package dev.vtrecycler.demo.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses a subcommand's options. Accepts {@code --name value}, {@code --name=value} and flags;
 * {@code --help}/{@code -h} anywhere asks for help. Every mistake becomes a {@link UsageException}
 * whose message is one line naming the option and what is allowed.
 */
public final class ArgumentParser {
    private final String command;
    private final Map<String, Option> options = new LinkedHashMap<>();

    public ArgumentParser(String command, List<Option> options) {
        this.command = command;
        for (Option option : options) {
            this.options.put(option.name(), option);
        }
    }

    public ParsedOptions parse(List<String> args) {
        Set<String> flags = new HashSet<>();
        Map<String, Long> numbers = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg + "' (options: " + names() + ")");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inlineValue = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = options.get(name);
            if (option == null) {
                throw new UsageException(command + ": unknown option --" + name + " (options: " + names() + ")");
            }
            if (option.isFlag()) {
                if (inlineValue != null) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                flags.add(name);
                continue;
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(command + ": --" + name + " needs " + (option.text() ? "a value" : "a number")
                            + " (<" + option.valueName() + ">)");
                }
                value = args.get(++i);
            }
            if (option.text()) {
                if (value.isBlank()) {
                    throw new UsageException(command + ": --" + name + " needs a non-empty <" + option.valueName() + ">");
                }
                texts.put(name, value);
            } else {
                numbers.put(name, parseNumber(option, value));
            }
        }
        for (Option option : options.values()) {
            if (!option.isFlag() && !option.text()) {
                numbers.putIfAbsent(option.name(), option.defaultValue());
            }
        }
        return new ParsedOptions(Set.copyOf(flags), Map.copyOf(numbers), Map.copyOf(texts), help);
    }

    private long parseNumber(Option option, String value) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + option.name() + " needs a whole number, got '" + value + "'");
        }
        if (parsed < option.min() || parsed > option.max()) {
            throw new UsageException(command + ": --" + option.name() + " must be between " + option.min()
                    + " and " + option.max() + ", got " + parsed);
        }
        return parsed;
    }

    private String names() {
        return options.keySet().stream().map(n -> "--" + n).collect(Collectors.joining(", "));
    }

    /** The option lines of the subcommand's help text. */
    public String optionHelp() {
        return options.values().stream().map(Option::helpLine).collect(Collectors.joining("\n"));
    }
}
