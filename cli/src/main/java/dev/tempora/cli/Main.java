package dev.tempora.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tempora} command: one subcommand per job. */
@Command(name = "tempora",
        mixinStandardHelpOptions = true,
        version = "Tempora 0.1.0",
        description = "Temporal Fusion Transformer forecasting on the JVM.",
        subcommands = {DemoCommand.class, InitCommand.class, TrainCommand.class, EnsembleCommand.class, PredictCommand.class,
                EvaluateCommand.class, InspectCommand.class, SummaryCommand.class, PlotCommand.class, InterpretCommand.class,
                TuneCommand.class, BenchCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The top-level command, which prints the usage when run without a subcommand. */
    public Main() {
    }

    /** Whether to print the stack trace of an error too (for bug reports); every subcommand takes it. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace after the one-line message (for bug reports); also print why an "
                    + "installed accelerator is unavailable, and Java's start-up warnings.")
    boolean verbose;

    /**
     * Whether the user gave {@code --verbose} to the command of {@code spec} (or to {@code tempora} before it):
     * then details such as why an installed accelerator is unavailable are printed too.
     *
     * @param spec a subcommand's spec (its {@code @Spec} field)
     * @return true when {@code --verbose} was given
     */
    static boolean verbose(CommandLine.Model.CommandSpec spec) {
        CommandLine.Model.OptionSpec option = spec.findOption("--verbose");
        return option != null && Boolean.TRUE.equals(option.getValue());
    }

    /**
     * Runs the tool and exits the JVM with its status: 0 on success, 1 for any error (reported in one line
     * on standard error), 2 for a command line picocli cannot parse.
     *
     * @param args the subcommand and its options, e.g. {@code train --config examples/taxi.json}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the tool and returns its exit status (tests call this rather than {@link #main}). Every failure,
     * an OutOfMemoryError included, becomes one line {@code tempora <command>: <message>} on standard
     * error; {@code --verbose} adds the stack trace.
     *
     * @param args the subcommand and its options
     * @return 0 on success, 1 for any error (reported in one line on standard error), 2 for a command
     *         line picocli cannot parse
     */
    public static int run(String... args) {
        // Read before parsing, so that an error while picocli sets up the command still honours it.
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) ->
                ErrorReport.report(cmd.getCommandSpec().qualifiedName(" "), e, verbose, cmd.getErr()));
        try {
            return cli.execute(args);
        } catch (Throwable e) {
            // Errors (OutOfMemoryError, StackOverflowError) pass picocli's handler; report them the same way.
            return ErrorReport.report(commandName(cli, args), e, verbose, cli.getErr());
        }
    }

    /** "tempora" and the subcommand the arguments name, if any. */
    private static String commandName(CommandLine cli, String[] args) {
        for (String a : args) {
            if (cli.getSubcommands().containsKey(a)) {
                return cli.getCommandName() + " " + a;
            }
        }
        return cli.getCommandName();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
