package dev.vtrecycler.demo;

import dev.vtrecycler.demo.cli.CommandFailure;
import dev.vtrecycler.demo.cli.ParsedOptions;
import dev.vtrecycler.demo.cli.UsageException;
import dev.vtrecycler.demo.command.Command;
import dev.vtrecycler.demo.command.CompareCommand;
import dev.vtrecycler.demo.command.PingCommand;
import dev.vtrecycler.demo.command.ServeCommand;
import dev.vtrecycler.demo.command.ServiceAbCommand;
import dev.vtrecycler.demo.command.SieveCommand;
import dev.vtrecycler.demo.command.StartupCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Entry point of the demo: {@code java -jar vtrecycler-demo.jar <subcommand> [options]}.
 * Exit codes: 0 done, 1 the work failed, 2 bad input. Every error is one line on stderr.
 */
public final class Main {
    static final List<Command> COMMANDS =
            List.of(new SieveCommand(), new PingCommand(), new ServeCommand(), new CompareCommand(), new ServiceAbCommand(),
                    new StartupCommand());

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Everything but the exit itself, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println("vtrecycler-demo: unknown subcommand '" + args[0] + "' (expected one of "
                    + names() + "; try --help)");
            return 2;
        }
        try {
            ParsedOptions options = command.parser().parse(Arrays.asList(args).subList(1, args.length));
            if (options.helpRequested()) {
                out.print(command.help());
                return 0;
            }
            return command.run(options);
        } catch (UsageException e) {
            err.println("vtrecycler-demo " + e.getMessage() + " (try " + command.name() + " --help)");
            return 2;
        } catch (CommandFailure e) {
            err.println("vtrecycler-demo " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("vtrecycler-demo " + command.name() + ": failed: " + e);
            return 1;
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: vtrecycler-demo <subcommand> [options]\n\n"
                + "The seed's workloads on virtual threads, with and without the vtrecycler agent.\n\n"
                + "subcommands:\n");
        for (Command command : COMMANDS) {
            text.append(String.format("  %-10s %s%n", command.name(), command.summary()));
        }
        text.append("\n'vtrecycler-demo <subcommand> --help' lists a subcommand's options.\n");
        return text.toString();
    }

    private static String names() {
        return COMMANDS.stream().map(Command::name).collect(Collectors.joining(", "));
    }
}
