package dev.tempora.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tempora} command: one subcommand per job. */
@Command(name = "tempora",
        mixinStandardHelpOptions = true,
        version = "Tempora 0.1.0",
        description = "Temporal Fusion Transformer forecasting on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
                InspectCommand.class, SummaryCommand.class, PlotCommand.class, InterpretCommand.class, BenchCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The top-level command, which prints the usage when run without a subcommand. */
    public Main() {
    }

    /**
     * Runs the tool and exits the JVM with its status: 0 on success, 1 for bad input (reported in one line
     * on standard error), 2 for a command line picocli cannot parse.
     *
     * @param args the subcommand and its options, e.g. {@code train --config examples/taxi.json}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the tool and returns its exit status (tests call this rather than {@link #main}).
     *
     * @param args the subcommand and its options
     * @return 0 on success, 1 for bad input (reported in one line on standard error), 2 for a command line
     *         picocli cannot parse
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Bad input is reported in one line; a stack trace only helps for bugs.
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("tempora " + cmd.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
