package dev.vtrecycler.demo.cli;

import java.util.Map;
import java.util.Set;

/** What {@link ArgumentParser} read: the flags given, every number (given or default) and the texts given. */
public record ParsedOptions(Set<String> flags, Map<String, Long> numbers, Map<String, String> texts,
                            boolean helpRequested) {

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public long number(String name) {
        Long value = numbers.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no number option --" + name + " declared");
        }
        return value;
    }

    /** A text option's value, or null when it was not given. */
    public String text(String name) {
        return texts.get(name);
    }

    public int intNumber(String name) {
        return Math.toIntExact(number(name));
    }
}
