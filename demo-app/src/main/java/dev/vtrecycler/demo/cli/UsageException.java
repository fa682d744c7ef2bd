package dev.vtrecycler.demo.cli;

/** Bad input from the command line. Its message is the one line the user sees (exit code 2). */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
