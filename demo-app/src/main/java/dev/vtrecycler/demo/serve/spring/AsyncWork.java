package dev.vtrecycler.demo.serve.spring;

import dev.vtrecycler.demo.serve.ServedRequests;
import java.util.concurrent.CompletableFuture;
import org.springframework.scheduling.annotation.Async;

/**
 * The request's work behind {@code @Async}: Spring proxies this bean and runs {@link #handle()} on
 * Boot's {@code applicationTaskExecutor}, a {@code SimpleAsyncTaskExecutor} that starts a new
 * virtual thread per call ({@code newThread(task).start()}) when virtual threads are enabled.
 */
public class AsyncWork {
    private final ServedRequests requests;

    public AsyncWork(ServedRequests requests) {
        this.requests = requests;
    }

    @Async
    public CompletableFuture<String> handle() {
        try {
            return CompletableFuture.completedFuture(requests.handle());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }
}
