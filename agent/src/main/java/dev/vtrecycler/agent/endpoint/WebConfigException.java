package dev.vtrecycler.agent.endpoint;

/** A web configuration file the endpoint cannot use; the message is the one line the user sees. */
public final class WebConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public WebConfigException(String message) {
        super(message, null, false, false);
    }
}
