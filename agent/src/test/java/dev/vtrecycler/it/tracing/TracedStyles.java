package dev.vtrecycler.it.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The submission styles of issue 15's table, each run {@link #TASKS} times with a fresh span current at
 * every submission; each task records whether {@code Span.current()} there has its submitter's trace
 * id, and which thread it ran on. Tasks go in batches of {@link #BATCH} (each batch awaited), so a
 * recycler has finished threads to reuse; the JDK's executor uses one new thread per task.
 *
 * <p>Prints one line per style: {@code ROW <style> propagated=<n> of=<tasks> threads=<distinct threads>}.
 * Uses the application's own OpenTelemetry API, as a service would: without the agent it is a no-op
 * (no valid span, nothing propagates); with it the agent bridges it onto its context.
 */
final class TracedStyles {
    static final int TASKS = 200;
    static final int BATCH = 10;

    /** One submission: starts the task so that it eventually calls {@code body.run()}; returns a wait for it. */
    interface Style {
        Waiter submit(Runnable body) throws Exception;
    }

    interface Waiter {
        void await() throws Exception;
    }

    private final Tracer tracer = GlobalOpenTelemetry.getTracer("vtrecycler-it");

    static Map<String, Style> styles(ExecutorService vtpte, ExecutorService factoryExecutor) {
        Map<String, Style> styles = new LinkedHashMap<>();
        styles.put("submit-lambda", body -> {
            Future<?> f = vtpte.submit(() -> body.run());
            return f::get;
        });
        styles.put("factory-execute", body -> {
            CountDownLatch done = new CountDownLatch(1);
            factoryExecutor.execute(() -> {
                body.run();
                done.countDown();
            });
            return () -> await(done);
        });
        styles.put("supplyAsync", body -> {
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
                body.run();
                return 1;
            }, vtpte);
            return f::get;
        });
        styles.put("startVirtualThread-discarded", body -> {
            CountDownLatch done = new CountDownLatch(1);
            Thread.startVirtualThread(() -> {
                body.run();
                done.countDown();
            });
            return () -> await(done);
        });
        styles.put("context-wrap-explicit", body -> {
            Future<?> f = vtpte.submit(Context.current().wrap(body));
            return f::get;
        });
        styles.put("submit-anonymous-callable", body -> {
            Future<Integer> f = vtpte.submit(new Callable<Integer>() {
                @Override
                public Integer call() {
                    body.run();
                    return 1;
                }
            });
            return f::get;
        });
        styles.put("execute-anonymous-runnable", body -> {
            CountDownLatch done = new CountDownLatch(1);
            vtpte.execute(new Runnable() {
                @Override
                public void run() {
                    body.run();
                    done.countDown();
                }
            });
            return () -> await(done);
        });
        styles.put("invokeAll-lambda", body -> {
            List<Callable<Integer>> one = List.of(() -> {
                body.run();
                return 1;
            });
            vtpte.invokeAll(one);
            return () -> { };
        });
        return styles;
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("task did not finish within 60 s");
        }
    }

    void runAll() throws Exception {
        try (ExecutorService vtpte = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService factoryExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory())) {
            System.out.println("EXECUTOR " + vtpte.getClass().getName());
            for (Map.Entry<String, Style> style : styles(vtpte, factoryExecutor).entrySet()) {
                run(style.getKey(), style.getValue(), true);
            }
            // A task submitted with no span current must see none: no context left behind on a
            // recycled thread by an earlier task.
            run("no-span-at-submission", styles(vtpte, factoryExecutor).get("submit-lambda"), false);
        }
    }

    private void run(String name, Style style, boolean withSpan) throws Exception {
        AtomicInteger propagated = new AtomicInteger();
        Set<Thread> threads = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        for (int start = 0; start < TASKS; start += BATCH) {
            List<Waiter> waits = new ArrayList<>();
            for (int i = start; i < start + BATCH; i++) {
                Span span = tracer.spanBuilder("submit-" + name).startSpan();
                SpanContext expected = span.getSpanContext();
                Runnable body = () -> {
                    threads.add(Thread.currentThread());
                    SpanContext seen = Span.current().getSpanContext();
                    if (seen.isValid() && (!withSpan || seen.getTraceId().equals(expected.getTraceId()))) {
                        propagated.incrementAndGet();
                    }
                };
                if (withSpan) {
                    try (Scope ignored = span.makeCurrent()) {
                        waits.add(style.submit(body));
                    }
                } else {
                    waits.add(style.submit(body));
                }
                span.end();
            }
            for (Waiter w : waits) {
                w.await();
            }
        }
        System.out.println("ROW " + name + " propagated=" + propagated.get() + " of=" + TASKS + " threads=" + threads.size());
    }
}
