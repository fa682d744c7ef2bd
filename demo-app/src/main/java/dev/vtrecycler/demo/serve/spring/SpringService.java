package dev.vtrecycler.demo.serve.spring;

import dev.vtrecycler.demo.serve.DemoService;
import dev.vtrecycler.demo.serve.RequestThreads;
import dev.vtrecycler.demo.serve.ServedRequests;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A Spring Boot 4 application on its embedded Tomcat with {@code spring.threads.virtual.enabled=true}:
 * Tomcat's virtual threads for requests, and Boot's {@code applicationTaskExecutor} (a
 * {@code SimpleAsyncTaskExecutor} on virtual threads) behind {@code @Async}. Routes in
 * {@link SpringRoutes}. Started programmatically so it runs from the demo's one shaded jar. With
 * {@link RequestThreads#PLATFORM}, virtual threads off: Tomcat's pool of platform threads, and Boot's
 * {@code ThreadPoolTaskExecutor} behind {@code @Async}, as large as Tomcat's pool.
 */
public final class SpringService implements DemoService {
    private final ConfigurableApplicationContext context;
    private final ServedRequests requests;

    private SpringService(ConfigurableApplicationContext context, ServedRequests requests) {
        this.context = context;
        this.requests = requests;
    }

    public static SpringService start(int port, ServedRequests requests, RequestThreads threads) {
        SpringApplication application = new SpringApplication(SpringDemoApplication.class);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false); // serve stops it; Boot's hook would race serve's own
        application.addInitializers(context ->
                ((GenericApplicationContext) context).registerBean(ServedRequests.class, () -> requests));
        application.setDefaultProperties(Map.of(
                "spring.threads.virtual.enabled", Boolean.toString(threads == RequestThreads.VIRTUAL),
                // with platform threads: the @Async pool as large as Tomcat's, so @Async is not the queue
                "spring.task.execution.pool.core-size", Integer.toString(RequestThreads.PLATFORM_POOL_SIZE),
                "server.address", "127.0.0.1",
                "server.port", Integer.toString(port),
                // as for the other servers: a backlog that takes many connections at once, and
                // unlimited keep-alive requests (Tomcat's default closes a connection after 100)
                "server.tomcat.accept-count", "1024",
                "server.tomcat.max-keep-alive-requests", "-1",
                "server.shutdown", "immediate", // serve stops when asked; no graceful drain to wait for
                "logging.level.org.apache", "warn",
                "logging.level.org.springframework", "warn",
                // with platform threads, the @Async pool's threads outlive the web application at
                // stop and Tomcat's leak check prints each one's stack: expected, not a problem
                "logging.level.org.apache.catalina.loader.WebappClassLoaderBase", "error"));
        return new SpringService(application.run(), requests);
    }

    @Override
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public ServedRequests requests() {
        return requests;
    }

    @Override
    public void close() {
        try {
            context.close();
        } catch (RuntimeException ignored) {
            // stopping at exit: nothing left to do
        }
    }
}
