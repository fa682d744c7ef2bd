package dev.vtrecycler.it.apps;

/** Prints which JDK it runs on: {@code JDK <version> <java.home>}. */
public final class JdkProbe {
    public static void main(String[] args) {
        System.out.println("JDK " + Runtime.version() + " " + System.getProperty("java.home"));
    }

    private JdkProbe() {}
}
