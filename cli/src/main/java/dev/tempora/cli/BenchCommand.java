package dev.tempora.cli;

import picocli.CommandLine.Command;

/** {@code tempora bench ...}: quick throughput runs (the JMH suites live in the bench module). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Quick benchmarks: GEMM throughput, the TFT training step.",
        subcommands = {BenchGemmCommand.class, BenchTftStepCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
