package dev.vtrecycler.demo.serve;

/** A started server of {@link ServerKind}: on 127.0.0.1, answering its routes through {@link ServedRequests}. */
public interface DemoService extends AutoCloseable {
    int port();

    ServedRequests requests();

    /** Stops the server; never throws (a server that failed to stop is left to the JVM's exit). */
    @Override
    void close();
}
