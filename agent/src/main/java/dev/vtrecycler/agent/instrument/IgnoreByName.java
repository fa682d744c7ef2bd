package dev.vtrecycler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The ignore matcher of every transformer here: each wants a few types it knows by name, and must
 * decide about every other class by its name alone. Byte Buddy's default ignore (boot-loader and
 * synthetic types among others) reads each type's modifiers, which parses its class file: a
 * persistent transformer with it parsed every class the application loaded (Spring Boot loads
 * thousands, mostly in its first requests), and C2 spent 5.4 s compiling the parser while the server
 * warmed up (JFR {@code jdk.Compilation}, Spring {@code @Async} on one CPU: 25.4 s of compilation in
 * all against 19.0 without routing; 18.3 s by name). The default would also ignore the boot-loader
 * classes some transformers are about ({@code Thread}, {@code VirtualThread}, {@code Executors}).
 */
public final class IgnoreByName {
    private IgnoreByName() {}

    /** Ignores every type whose name is not one of {@code typeNames}. */
    public static ElementMatcher.Junction<TypeDescription> everyTypeBut(String... typeNames) {
        ElementMatcher.Junction<TypeDescription> wanted = named(typeNames[0]);
        for (int i = 1; i < typeNames.length; i++) {
            wanted = wanted.or(named(typeNames[i]));
        }
        return not(wanted);
    }
}
