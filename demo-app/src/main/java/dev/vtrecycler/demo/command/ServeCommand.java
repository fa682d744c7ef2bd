package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.cli.UsageException;
import dev.vtrecycler.demo.serve.RequestThreads;
import dev.vtrecycler.demo.serve.RequestWork;
import dev.vtrecycler.demo.serve.ServeRun;
import dev.vtrecycler.demo.serve.ServerKind;
import java.util.List;
import java.util.function.Function;

/** {@code serve}: an HTTP service on virtual threads (Jetty unless --server says otherwise) to watch on the dashboard. */
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
                Option.number("duration", "seconds", 0, 31_536_000, 0, "stop after this long (0 = run until stopped)"),
                Option.text("server", "name", "which server: " + ServerKind.keys() + " (default jetty)"),
                Option.text("work", "name", "what a request does: demo (primes below 2,000 + 2 ms sleep) or empty"
                        + " (default demo)"),
                Option.text("threads", "kind", "what handlers run on: virtual, or platform (the server's classic pool"
                        + " of " + RequestThreads.PLATFORM_POOL_SIZE + " platform threads: the allocation floor) (default virtual)"));
    }

    @Override
    public int run(ParsedOptions options) throws Exception {
        ServeRun.run(server(name(), options), work(name(), options), threads(name(), options), options.intNumber("port"),
                options.flag("load"), options.intNumber("rate"), options.intNumber("duration"), System.out);
        return 0;
    }

    /** {@code --server}: one server; a bad name is a usage error naming what is allowed. */
    static ServerKind server(String command, ParsedOptions options) {
        String text = options.text("server");
        if (text == null) {
            return ServerKind.JETTY;
        }
        List<ServerKind> kinds = ServiceAbCommand.servers(command, text);
        if (kinds.size() != 1) {
            throw new UsageException(command + ": --server takes one server here, got '" + text + "'");
        }
        return kinds.get(0);
    }

    /** {@code --threads}: virtual unless given. */
    static RequestThreads threads(String command, ParsedOptions options) {
        return oneWord(command, options, "threads", RequestThreads.VIRTUAL, RequestThreads::parse);
    }

    /** {@code --work}: demo unless given. */
    static RequestWork work(String command, ParsedOptions options) {
        return oneWord(command, options, "work", RequestWork.DEMO, RequestWork::parse);
    }

    /** A one-word option: {@code absent} unless given; a bad word is a usage error naming what is allowed. */
    private static <T> T oneWord(String command, ParsedOptions options, String option, T absent,
                                 Function<String, T> parse) {
        String text = options.text(option);
        try {
            return text == null ? absent : parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --" + option + " " + e.getMessage());
        }
    }
}
