package dev.vtrecycler.demo;

import java.lang.reflect.InvocationTargetException;

/**
 * The demo jar's Main-Class. Compiled for Java 8 (see the demo pom) and touching nothing else until
 * it has checked the JDK: on a JDK older than 21 the rest of the demo cannot even be loaded (class
 * file version 65), and {@code java -jar} would end in an {@code UnsupportedClassVersionError}. Here
 * it says in one line what is needed and how to get it, then hands over to {@link Main}.
 */
public final class Launcher {
    static final int MIN_FEATURE = 21;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        String refusal = refusal(System.getProperty("java.specification.version", "0"),
                System.getProperty("java.version"), System.getProperty("java.home"));
        if (refusal != null) {
            System.err.println(refusal);
            System.exit(2); // bad input, as Main's exit codes go: the wrong java
        }
        try {
            Class.forName("dev.vtrecycler.demo.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // as if Main had been the Main-Class
        }
    }

    /** The one line for a JDK older than 21, else null. */
    static String refusal(String specificationVersion, String version, String javaHome) {
        if (feature(specificationVersion) >= MIN_FEATURE) {
            return null;
        }
        return "vtrecycler-demo needs JDK " + MIN_FEATURE + " or newer; this is Java " + version + " (" + javaHome
                + "). Run it with a JDK " + MIN_FEATURE + "+ java: /path/to/jdk-" + MIN_FEATURE
                + "/bin/java -jar vtrecycler-demo.jar ..., or $JAVA_HOME/bin/java when JAVA_HOME points at one.";
    }

    /** "1.8" is 8, "17" is 17; anything unreadable counts as too old. */
    static int feature(String specificationVersion) {
        String s = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
