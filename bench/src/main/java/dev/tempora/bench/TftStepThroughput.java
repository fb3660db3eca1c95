package dev.tempora.bench;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.models.Adam;
import dev.tempora.models.GradientClipping;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.DataParallelEngine;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Parallel;
import dev.tempora.tensor.Tensor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The TFT step of the PyTorch peer ({@code shared/tools/torch_peer/bench_step.py}), timed in
 * Tempora: what {@code tempora bench tft-step} prints, and what {@link TftStepBenchmark} runs
 * under JMH.
 *
 * <p>The data is the peer's: a batch of 128 random series with encoder 63 and decoder 168, the
 * demo's variables (static categorical {@code series} of 260 classes; known categorical
 * {@code day_hour} of 168; known reals {@code time_idx}, {@code relative_time_idx}; static reals
 * {@code encoder_length}, {@code target_center}, {@code target_scale}; unknown real {@code target}),
 * dropout 0.1 and 7 quantiles. A training step is what the peer times and the trainer runs: forward,
 * quantile loss and backward on the {@link DataParallelEngine} (which replaces the gradients, as
 * {@code zero_grad} then {@code backward}), gradient clipping by norm 0.1, then Adam (lr 1e-3).
 * Inference is the eval-mode forward without a tape, its shards spread over the same workers.
 * Threads are data-parallel workers: each runs whole shards with serial kernels.
 */
public final class TftStepThroughput {

    private TftStepThroughput() {}

    /** The peer's model sizes. */
    public enum Preset {
        /** The demo: hidden 20, 8 heads (head size 2), hidden_continuous 4; 33,191 parameters. */
        SEED(20, 8, 4),
        /** hidden 64, 4 heads (head size 16), hidden_continuous 16; 248,089 parameters. */
        BIG(64, 4, 16);

        final int hidden;
        final int heads;
        final int hiddenContinuous;

        Preset(int hidden, int heads, int hiddenContinuous) {
            this.hidden = hidden;
            this.heads = heads;
            this.hiddenContinuous = hiddenContinuous;
        }

        /** The preset named {@code name}, ignoring case and surrounding spaces. */
        public static Preset parse(String name) {
            for (Preset p : values()) {
                if (p.name().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("preset '" + name + "' is not one of seed, big");
        }

        /** The preset's name in lower case, as reports and the command line write it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Samples in a batch. */
    public static final int BATCH = 128;
    /** Encoder (history) steps of each sample. */
    public static final int ENCODER_STEPS = 63;
    /** Decoder (forecast) steps of each sample: a week of hours. */
    public static final int DECODER_STEPS = 168;
    private static final int SERIES = 260;
    private static final int DAY_HOURS = 168;
    private static final List<String> STATIC_REALS = List.of("encoder_length", "target_center", "target_scale");
    private static final List<String> KNOWN_REALS = List.of("time_idx", "relative_time_idx");
    private static final List<String> REALS = List.of("encoder_length", "target_center", "target_scale", "time_idx",
            "relative_time_idx", "target");

    /** The preset's model over the demo's variables (PTF's embedding sizes, capped at the hidden size). */
    public static TftConfig config(Preset preset) {
        return new TftConfig(preset.hidden, preset.heads, 0.1f, preset.hiddenContinuous, Map.of(), 1,
                TftConfig.DEFAULT_QUANTILES, List.of("series"), STATIC_REALS, List.of("day_hour"), List.of("day_hour"),
                List.of("time_idx", "relative_time_idx", "target"), KNOWN_REALS, List.of("series", "day_hour"), REALS,
                Map.of("series", SERIES, "day_hour", DAY_HOURS), Map.of(), Map.of(), true, "none", 7);
    }

    /**
     * A batch shaped as the peer's: every series full length, day_hour running on from a random
     * start, reals standard normal (static ones constant over time), target scale (N(0,1), U(0.5,1.5))
     * and a target drawn around it.
     */
    public static TrainingBatch randomBatch(TftConfig config, int batch, int encoder, int decoder, long seed) {
        RandomGenerator rng = Tensor.generator(seed);
        int steps = encoder + decoder;
        int reals = config.xReals().size();
        float[] cat = new float[batch * steps * 2];
        float[] cont = new float[batch * steps * reals];
        for (int b = 0; b < batch; b++) {
            int series = rng.nextInt(SERIES);
            int start = rng.nextInt(DAY_HOURS);
            float[] first = new float[reals];
            for (int t = 0; t < steps; t++) {
                cat[(b * steps + t) * 2] = series;
                cat[(b * steps + t) * 2 + 1] = (start + t) % DAY_HOURS;
                for (int j = 0; j < reals; j++) {
                    float v = (float) rng.nextGaussian();
                    boolean constant = STATIC_REALS.contains(config.xReals().get(j));
                    if (t == 0) {
                        first[j] = v;
                    }
                    cont[(b * steps + t) * reals + j] = constant ? first[j] : v;
                }
            }
        }
        float[] scale = new float[batch * 2];
        float[] target = new float[batch * decoder];
        for (int b = 0; b < batch; b++) {
            scale[2 * b] = (float) rng.nextGaussian();
            scale[2 * b + 1] = rng.nextFloat() + 0.5f;
            for (int t = 0; t < decoder; t++) {
                target[b * decoder + t] = (float) rng.nextGaussian() * scale[2 * b + 1] + scale[2 * b];
            }
        }
        Tensor catT = Tensor.wrap(cat, batch, steps, 2);
        Tensor contT = Tensor.wrap(cont, batch, steps, reals);
        int[] encLen = new int[batch];
        int[] decLen = new int[batch];
        Arrays.fill(encLen, encoder);
        Arrays.fill(decLen, decoder);
        ModelInputs inputs = new ModelInputs(catT.narrow(1, 0, encoder).contiguous(), contT.narrow(1, 0, encoder).contiguous(),
                catT.narrow(1, encoder, decoder).contiguous(), contT.narrow(1, encoder, decoder).contiguous(),
                encLen, decLen, Tensor.wrap(scale, batch, 2));
        return new TrainingBatch(inputs, Tensor.wrap(target, batch, decoder));
    }

    /** A model with its optimiser, engine and batch, ready to run training and inference steps. */
    public static final class Step {
        private final TemporalFusionTransformer model;
        private final DataParallelEngine engine;
        private final List<Variable> parameters;
        private final Adam optimizer;
        private final TrainingBatch batch;
        private final TrainingBatch[] shardBatches;
        private final BufferPool[] inferencePools;
        private final int workers;
        private long steps;

        /**
         * The preset's model with Adam, and a random batch of {@link #BATCH} samples drawn from {@code seed}, split
         * into {@code shards} shards that {@code workers} threads share.
         */
        public Step(Preset preset, int workers, int shards, long seed) {
            if (workers < 1 || shards < workers) {
                throw new IllegalArgumentException("need 1 <= workers <= shards, got " + workers + " workers and "
                        + shards + " shards");
            }
            TftConfig config = config(preset);
            this.model = new TemporalFusionTransformer(config);
            this.parameters = model.parameters();
            this.optimizer = new Adam(parameters, 1e-3);
            this.engine = new DataParallelEngine(model, workers, shards);
            this.batch = randomBatch(config, BATCH, ENCODER_STEPS, DECODER_STEPS, seed);
            this.workers = workers;
            this.shardBatches = new TrainingBatch[shards];
            this.inferencePools = new BufferPool[shards];
            for (int s = 0; s < shards; s++) {
                shardBatches[s] = batch.shard(BATCH * s / shards, BATCH * (s + 1) / shards);
                inferencePools[s] = new BufferPool();
            }
        }

        /** The samples in the batch. */
        public int batchSize() {
            return batch.size();
        }

        /** One training step; returns the batch loss. */
        public double train() {
            double loss = engine.trainStep(batch, ++steps);
            GradientClipping.clipByGlobalNorm(parameters, 0.1);
            optimizer.step();
            return loss;
        }

        /** One eval-mode forward of the whole batch, without a tape; returns a value of the output. */
        public float infer() {
            model.eval();
            float[] probe = new float[shardBatches.length];
            int active = Math.min(workers, shardBatches.length);
            Parallel.forRange(active, 1, active, (from, to) -> {
                for (int w = from; w < to; w++) {
                    for (int s = w; s < shardBatches.length; s += active) {
                        int shard = s;
                        Parallel.serial(() -> {
                            try (BufferPool.Scope scope = inferencePools[shard].open();
                                 GradMode.Scope off = GradMode.noGrad()) {
                                probe[shard] = model.forward(shardBatches[shard].inputs(), false).prediction()
                                        .value().get(0, 0, 0);
                            }
                        });
                    }
                }
            });
            model.train();
            float sum = 0;
            for (float p : probe) {
                sum += p;
            }
            return sum;
        }
    }

    /** Timings of one preset at one thread count: medians and spread over the timed steps. */
    public record Result(Preset preset, int threads, int shards, Summary train, Summary infer,
                         double trainAllocatedMegabytes, double foreignCpuPercent) {
        /** Training throughput at the median step time. */
        public double trainSamplesPerSecond() {
            return BATCH / (train.medianMs() / 1e3);
        }

        /** Inference throughput at the median step time. */
        public double inferSamplesPerSecond() {
            return BATCH / (infer.medianMs() / 1e3);
        }
    }

    /** Median, 10th and 90th percentile of step times, in milliseconds. */
    public record Summary(double medianMs, double p10Ms, double p90Ms, int steps) {
        static Summary of(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Summary(median, s[(int) Math.round(0.1 * (n - 1))], s[(int) Math.round(0.9 * (n - 1))], n);
        }
    }

    /**
     * Warms up (C2 compiles the Vector API kernels only after tens of steps), then times
     * {@code steps} training steps and {@code steps} inference steps.
     */
    public static Result measure(Preset preset, int threads, int shards, int warmupSteps, int steps) {
        if (threads > Parallel.threads()) {
            throw new IllegalArgumentException(threads + " threads need a pool of as many; this one has "
                    + Parallel.threads() + " (set -Dtempora.threads=N, e.g. TEMPORA_JAVA_OPTS=-Dtempora.threads=" + threads
                    + ")");
        }
        if (steps < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("need at least one timed step and no negative warm-up, got " + steps
                    + " and " + warmupSteps);
        }
        Step step = new Step(preset, threads, shards, 1);
        for (int i = 0; i < warmupSteps; i++) {
            step.train();
            step.infer();
        }
        CpuMonitor monitor = CpuMonitor.start();
        long allocated = allocatedBytes();
        double[] train = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.train();
            train[i] = (System.nanoTime() - t0) / 1e6;
        }
        double trainMegabytes = (allocatedBytes() - allocated) / 1e6 / steps;
        double[] infer = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.infer();
            infer[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Result(preset, threads, shards, Summary.of(train), Summary.of(infer), trainMegabytes,
                monitor.foreignPercent());
    }

    /** Bytes allocated so far by all threads of this JVM (-1 where the JVM cannot tell). */
    static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /** The share of the machine's CPU that other processes used while we measured, from /proc/stat. */
    static final class CpuMonitor {
        private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
        private final long wallStart;
        private final double busyStart;
        private final double ownStart;

        private CpuMonitor(long wallStart, double busyStart, double ownStart) {
            this.wallStart = wallStart;
            this.busyStart = busyStart;
            this.ownStart = ownStart;
        }

        static CpuMonitor start() {
            return new CpuMonitor(System.nanoTime(), machineBusySeconds(), ownCpuSeconds());
        }

        /** Other processes' CPU use in percent of all cores since start, or NaN where unknown. */
        double foreignPercent() {
            double wall = (System.nanoTime() - wallStart) / 1e9;
            double busy = machineBusySeconds() - busyStart;
            double own = ownCpuSeconds() - ownStart;
            int cores = Runtime.getRuntime().availableProcessors();
            return Math.max(0, 100 * (busy - own) / (wall * cores));
        }

        private static double machineBusySeconds() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return (total - idle) / CLOCK_TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        private static double ownCpuSeconds() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime() / 1e9;
            }
            return Double.NaN;
        }
    }
}
