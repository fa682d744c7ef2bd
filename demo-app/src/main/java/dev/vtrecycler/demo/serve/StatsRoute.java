package dev.vtrecycler.demo.serve;

import dev.vtrecycler.demo.measure.ProcessStats;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /-/stats}: this JVM's running totals ({@link ProcessStats}) as one line, for the load
 * generator of {@code service-ab}, which takes a snapshot before and after each load step. Every
 * other path goes to the demo handler; stats requests are not counted as requests.
 */
final class StatsRoute extends Handler.Wrapper {
    static final String PATH = "/-/stats";

    private final LongSupplier requests;

    StatsRoute(Handler demo, LongSupplier requests) {
        super(demo);
        this.requests = requests;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, ProcessStats.now(requests.getAsLong()).format() + "\n", callback);
        return true;
    }
}
