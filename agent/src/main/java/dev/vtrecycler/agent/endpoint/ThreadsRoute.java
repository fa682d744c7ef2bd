package dev.vtrecycler.agent.endpoint;

import dev.vtrecycler.agent.diagnostics.ThreadDumps;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /threads} (the JDK's JSON thread dump, virtual threads included, grouped by thread
 * container, with the deadlock check's cycles in front) and {@code /threads.txt} (the same in the
 * JDK's plain-text form; {@code /threads} with {@code Accept: text/plain} and no JSON in it gives
 * it too). Only with {@code threads-endpoint=true}; behind basic auth whenever the web
 * configuration has users, like {@code /metrics}. Busy or too soon after the last dump: 429 with
 * {@code Retry-After}; the dump itself runs on {@link ThreadDumps}' own thread.
 */
final class ThreadsRoute implements Function<Request, Response> {
    private static final String JSON = "application/json; charset=utf-8";

    private final ThreadDumps dumps;
    private final BasicAuth auth; // null: no authentication configured

    ThreadsRoute(ThreadDumps dumps, BasicAuth auth) {
        this.dumps = dumps;
        this.auth = auth;
    }

    @Override
    public Response apply(Request request) {
        if (auth != null && !auth.permits(request.header("authorization"))) {
            return Response.text(401, "unauthorized\n").withHeader("WWW-Authenticate", BasicAuth.CHALLENGE);
        }
        boolean json = !request.path().equals("/threads.txt") && !prefersText(request.header("accept"));
        ThreadDumps.Result result = dumps.dump(json);
        return switch (result.status()) {
            case OK -> new Response(200, json ? JSON : Response.TEXT, result.body(), Map.of("Cache-Control", "no-store"), false);
            case BUSY, TOO_SOON -> Response.text(429, result.reason() + "\n")
                    .withHeader("Retry-After", Long.toString(result.retryAfterSeconds()));
            case TOO_LARGE -> Response.text(500, result.reason() + "\n");
            case FAILED -> Response.text(500, result.reason() + "\n").closing();
        };
    }

    /** {@code Accept} names text/plain and not JSON (curl's and browsers' defaults get JSON). */
    static boolean prefersText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("json");
    }
}
