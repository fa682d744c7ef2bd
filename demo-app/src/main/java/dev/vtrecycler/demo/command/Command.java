package dev.vtrecycler.demo.command;

import dev.vtrecycler.demo.cli.ArgumentParser;
import dev.vtrecycler.demo.cli.Option;
import dev.vtrecycler.demo.cli.ParsedOptions;
import java.util.List;

/** One subcommand of the demo: its name, a one-line summary, its options and what it does. */
public interface Command {
    String name();

    String summary();

    List<Option> options();

    /** Runs with parsed options; returns the process exit code. */
    int run(ParsedOptions options) throws Exception;

    default ArgumentParser parser() {
        return new ArgumentParser(name(), options());
    }

    default String help() {
        return "usage: vtrecycler-demo " + name() + " [options]\n  " + summary() + "\n\noptions:\n"
                + parser().optionHelp() + "\n";
    }
}
