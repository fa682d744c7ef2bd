package dev.vtrecycler.agent.config;

/** A bad agent argument or system property; the message is the one line the user sees. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
