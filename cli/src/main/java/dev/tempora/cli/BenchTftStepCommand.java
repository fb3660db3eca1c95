package dev.tempora.cli;

import dev.tempora.bench.TftStepThroughput;
import dev.tempora.bench.TftStepThroughput.Preset;
import dev.tempora.bench.TftStepThroughput.Result;
import dev.tempora.tensor.Parallel;
import dev.tempora.tensor.kernels.VectorSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code tempora bench tft-step}: the TFT training and inference step of the PyTorch peer, timed here. */
@Command(name = "tft-step", mixinStandardHelpOptions = true,
        description = "The TFT training step (forward, quantile loss, backward, clip 0.1, Adam) and inference of a"
                + " batch of 128 series, encoder 63, decoder 168, as the PyTorch peer measures them; prints median"
                + " samples/s.",
        footer = {"", "Threads are data-parallel workers over fixed shards (as 'tempora train --workers').",
                "Examples:",
                "  ./tempora bench tft-step --preset seed",
                "  ./tempora bench tft-step --preset seed --threads 2 --json"})
final class BenchTftStepCommand implements Runnable {

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "seed",
            description = "Model size: seed (hidden 20, 8 heads, hidden_continuous 4) or big (64, 4, 16). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--threads", paramLabel = "T",
            description = "Data-parallel workers (default: the shared pool's size, ${sys:tempora.threads:-all cores}).")
    Integer threads;

    @Option(names = "--shards", paramLabel = "S", defaultValue = "8",
            description = "Fixed shards per batch, at least the thread count. Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "30", description = "Timed steps of each kind. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "40",
            description = "Untimed warm-up steps (the kernels reach C2 after tens of steps). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object: {\"train_samples_per_s\":..,\"infer_samples_per_s\":..,\"threads\":..}.")
    boolean json;

    @Override
    public void run() {
        Preset p = Preset.parse(preset);
        int t = threads == null ? Parallel.threads() : threads;
        if (t < 1 || t > Parallel.threads()) {
            throw new IllegalArgumentException("--threads " + t + " is outside 1.." + Parallel.threads()
                    + " (the shared pool's size; change it with TEMPORA_JAVA_OPTS=-Dtempora.threads=N)");
        }
        if (shards < t) {
            throw new IllegalArgumentException("--shards " + shards + " must be at least --threads " + t);
        }
        if (!json) {
            System.out.println("TFT step, preset " + p.label() + ", batch " + TftStepThroughput.BATCH + ", encoder "
                    + TftStepThroughput.ENCODER_STEPS + ", decoder " + TftStepThroughput.DECODER_STEPS + "; "
                    + VectorSupport.describe());
            System.out.println("warming up (" + warmup + " steps), then timing " + steps + " steps of each kind...");
        }
        Result r = TftStepThroughput.measure(p, t, shards, warmup, steps);
        if (json) {
            System.out.println(String.format(Locale.ROOT,
                    "{\"train_samples_per_s\":%.1f,\"infer_samples_per_s\":%.1f,\"threads\":%d,\"preset\":\"%s\","
                            + "\"shards\":%d,\"train_ms\":%.2f,\"train_ms_p10\":%.2f,\"train_ms_p90\":%.2f,"
                            + "\"infer_ms\":%.2f,\"infer_ms_p10\":%.2f,\"infer_ms_p90\":%.2f,"
                            + "\"train_alloc_mb_per_step\":%.2f,\"other_processes_cpu_pct\":%.1f}",
                    r.trainSamplesPerSecond(), r.inferSamplesPerSecond(), r.threads(), p.label(), r.shards(),
                    r.train().medianMs(), r.train().p10Ms(), r.train().p90Ms(), r.infer().medianMs(), r.infer().p10Ms(),
                    r.infer().p90Ms(), r.trainAllocatedMegabytes(), r.foreignCpuPercent()));
            return;
        }
        System.out.printf(Locale.ROOT, "%-9s %7s %12s %16s %12s%n", "", "threads", "ms/step", "[p10 - p90]", "samples/s");
        System.out.printf(Locale.ROOT, "%-9s %7d %12.1f %16s %12.0f%n", "train", t, r.train().medianMs(),
                String.format(Locale.ROOT, "[%.1f - %.1f]", r.train().p10Ms(), r.train().p90Ms()), r.trainSamplesPerSecond());
        System.out.printf(Locale.ROOT, "%-9s %7d %12.1f %16s %12.0f%n", "inference", t, r.infer().medianMs(),
                String.format(Locale.ROOT, "[%.1f - %.1f]", r.infer().p10Ms(), r.infer().p90Ms()), r.inferSamplesPerSecond());
        System.out.printf(Locale.ROOT, "allocated per training step: %.2f MB; other processes used %.0f%% of the CPU meanwhile%n",
                r.trainAllocatedMegabytes(), r.foreignCpuPercent());
    }
}
