package dev.vtrecycler.demo.serve.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The application: Boot's auto-configuration (web MVC on Tomcat, task execution), {@code @Async}
 * turned on, and the two beans of this package. No component scan: the jar holds much more than this
 * application, and scanning it would only slow the start.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableAsync
@Import({SpringRoutes.class, AsyncWork.class})
public class SpringDemoApplication {
}
