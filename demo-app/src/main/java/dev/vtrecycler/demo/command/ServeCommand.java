package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.serve.ServeRun;
import java.util.List;

/** {@code serve}: a Jetty service on virtual threads to watch on the dashboard. */
public final class ServeCommand implements Command {

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "HTTP service on 127.0.0.1, each request on a virtual thread; --load adds loopback traffic";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.number("port", "port", 0, 65535, 8080, "port on 127.0.0.1 (0 = any free port)"),
                Option.flag("load", "start the built-in loopback load generator"),
                Option.number("rate", "req/s", 1, 100_000, 200, "requests per second the load generator sends"),
                Option.number("duration", "seconds", 0, 31_536_000, 0, "stop after this long (0 = run until stopped)"));
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        ServeRun.run(options.intNumber("port"), options.flag("load"), options.intNumber("rate"),
                options.intNumber("duration"), System.out);
        return 0;
    }
}
