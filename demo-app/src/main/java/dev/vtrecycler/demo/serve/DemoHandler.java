package dev.vtrecycler.demo.serve;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's handler for every request: {@link ServedRequests#handle()}. Jetty dispatches a handler of
 * the default {@code BLOCKING} invocation type to its virtual-threads executor.
 */
final class DemoHandler extends Handler.Abstract {
    private final ServedRequests requests;

    DemoHandler(ServedRequests requests) {
        this.requests = requests;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String body = requests.handle();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }
}
