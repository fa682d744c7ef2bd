package dev.vtrecycler.bootstrap;

/**
 * The bootstrap runtime's only output: one stderr line prefixed {@code [vtrecycler]}, the same
 * prefix as the agent side's {@code dev.vtrecycler.agent.Log} (which cannot be shared: it runs before
 * this package is defined in the boot loader). Never called on a mount, park or termination path.
 */
public final class BootLog {
    public static void warn(String message) {
        System.err.println("[vtrecycler] " + message);
    }

    private BootLog() {}
}
