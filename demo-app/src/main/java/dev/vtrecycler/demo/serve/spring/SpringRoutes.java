package dev.vtrecycler.demo.serve.spring;

import dev.vtrecycler.demo.serve.ServedRequests;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: the work on Tomcat's request thread. {@code GET /async}: the same work in an
 * {@code @Async} method, the request thread waiting for it, as a controller that fans out to an
 * async service and joins does. {@code GET /-/stats}: the stats line.
 */
@RestController
public class SpringRoutes {
    private static final String TEXT = "text/plain;charset=utf-8";

    private final ServedRequests requests;
    private final AsyncWork async;

    public SpringRoutes(ServedRequests requests, AsyncWork async) {
        this.requests = requests;
        this.async = async;
    }

    @GetMapping(path = "/", produces = TEXT)
    public String root() throws InterruptedException {
        return requests.handle();
    }

    @GetMapping(path = "/async", produces = TEXT)
    public String async() {
        return async.handle().join();
    }

    @GetMapping(path = ServedRequests.STATS_PATH, produces = TEXT)
    public String stats() {
        return requests.statsLine();
    }
}
