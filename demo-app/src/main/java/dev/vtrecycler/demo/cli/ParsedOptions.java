package dev.vtrecycler.demo.cli;

import java.util.Map;
import java.util.Set;

/** What {@link ArgumentParser} read: the flags given and every number (given or default). */
public record ParsedOptions(Set<String> flags, Map<String, Long> numbers, boolean helpRequested) {

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

    public int intNumber(String name) {
        return Math.toIntExact(number(name));
    }
}
