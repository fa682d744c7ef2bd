package dev.vtrecycler.demo.cli;

/** A subcommand could not do its work (port taken, child JVM failed). One line, exit code 1. */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message, null, false, false);
    }
}
