package dev.vtrecycler.demo.serve;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's {@code GET /-/stats} ({@link ServedRequests#statsLine()}); every other path goes to the
 * demo handler.
 */
final class StatsRoute extends Handler.Wrapper {
    private final ServedRequests requests;

    StatsRoute(Handler demo, ServedRequests requests) {
        super(demo);
        this.requests = requests;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!ServedRequests.STATS_PATH.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, requests.statsLine(), callback);
        return true;
    }
}
