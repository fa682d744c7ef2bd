package dev.vtrecycler.demo.serve;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A request that does a little of what services do: some CPU (counting primes below 2,000 by
 * trial division) and a short wait (2 ms sleep, standing in for a database call: the virtual
 * thread unmounts). Jetty dispatches a handler of the default {@code BLOCKING} invocation type to
 * its virtual-threads executor; the counters show that it really ran on a virtual thread.
 */
final class DemoHandler extends Handler.Abstract {
    private final LongAdder requests = new LongAdder();
    private final LongAdder onVirtualThreads = new LongAdder();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean virtual = Thread.currentThread().isVirtual();
        requests.increment();
        if (virtual) {
            onVirtualThreads.increment();
        }
        int primes = countPrimesBelow(2_000);
        Thread.sleep(2);
        String body = "primes below 2000: " + primes + ", virtual thread: " + virtual + "\n";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    static int countPrimesBelow(int limit) {
        int count = 0;
        for (int n = 2; n < limit; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    long requests() {
        return requests.sum();
    }

    long requestsOnVirtualThreads() {
        return onVirtualThreads.sum();
    }
}
