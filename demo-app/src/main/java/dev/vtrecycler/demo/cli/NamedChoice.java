package dev.vtrecycler.demo.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One of an enum's constants by the name a command line uses for it (trimmed, any case), for the
 * options that take one word from a fixed set ({@code --work}, {@code --threads}).
 */
public final class NamedChoice {

    /** The constant named {@code text}; throws IllegalArgumentException naming what is allowed. */
    public static <E> E parse(E[] choices, Function<E, String> name, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (E choice : choices) {
            if (name.apply(choice).equals(wanted)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("must be one of " + names(choices, name) + ", got '" + text + "'");
    }

    /** "a, b, c": the names, in declaration order. */
    public static <E> String names(E[] choices, Function<E, String> name) {
        return Arrays.stream(choices).map(name).collect(Collectors.joining(", "));
    }

    private NamedChoice() {}
}
