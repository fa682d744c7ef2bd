package dev.vtrecycler.agent.routing;

import java.util.List;

/**
 * Which classes may have their call sites rewritten, by name. Never the JDK (it starts threads it
 * keeps track of itself, and its own executors are routed at the factory methods instead), never the
 * agent (its bootstrap runtime starts the recycler's own threads) or its shaded libraries, never Byte
 * Buddy. Then the user's {@code include} prefixes (empty =
 * everything) minus the {@code exclude} prefixes.
 *
 * <p>A prefix names a package and its subpackages: {@code com.acme} matches {@code com.acme.Foo} and
 * {@code com.acme.web.Bar}, not {@code com.acmetools.Baz}. A trailing dot is allowed.
 */
final class ClassFilter {
    /**
     * The agent's own packages only, not all of {@code dev/vtrecycler/}: the demo application and the
     * routing tests' forked programs live there and must be rewritten like any application.
     */
    private static final List<String> NEVER = List.of(
            "java/", "javax/", "jdk/", "sun/", "com/sun/",
            "dev/vtrecycler/agent/", "dev/vtrecycler/bootstrap/", "dev/vtrecycler/shaded/", "net/bytebuddy/");

    private final List<String> include;
    private final List<String> exclude;

    ClassFilter(List<String> include, List<String> exclude) {
        this.include = internalPrefixes(include);
        this.exclude = internalPrefixes(exclude);
    }

    private static List<String> internalPrefixes(List<String> packages) {
        return packages.stream()
                .map(p -> p.endsWith(".") ? p.substring(0, p.length() - 1) : p)
                .filter(p -> !p.isEmpty())
                .map(p -> p.replace('.', '/') + "/")
                .toList();
    }

    /** @param internalName a class name with '/' separators, as a ClassFileTransformer receives it */
    boolean accepts(String internalName) {
        if (internalName == null || startsWithAny(internalName, NEVER)) {
            return false;
        }
        if (!include.isEmpty() && !startsWithAny(internalName, include)) {
            return false;
        }
        return !startsWithAny(internalName, exclude);
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
