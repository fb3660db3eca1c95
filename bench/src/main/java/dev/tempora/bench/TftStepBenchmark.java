package dev.tempora.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The TFT training step and inference of {@link TftStepThroughput} (the PyTorch peer's step: batch
 * 128, encoder 63, decoder 168, the demo's variables), in milliseconds per step of 128 samples.
 * {@code threads} is the number of data-parallel workers over 8 fixed shards. Run with
 * {@code -prof gc} to see the allocation per step ({@code gc.alloc.rate.norm}).
 *
 * <p>Warm-up is long on purpose: the kernels reach C2 only after tens of steps, and until then the
 * Vector API runs interpreted and allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 12, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "-Dtempora.threads=2", "--sun-misc-unsafe-memory-access=allow"})
public class TftStepBenchmark {

    /** Instantiated by JMH, once per fork and thread. */
    public TftStepBenchmark() {}

    /** The model size, a {@link TftStepThroughput.Preset} by name. */
    @Param({"seed"})
    public String preset;

    /** Data-parallel workers, each running whole shards with serial kernels. */
    @Param({"1", "2"})
    public int threads;

    private TftStepThroughput.Step step;

    /** The model, optimiser and random batch of the preset, split into 8 shards. */
    @Setup
    public void setUp() {
        step = new TftStepThroughput.Step(TftStepThroughput.Preset.parse(preset), threads, 8, 1);
    }

    /** One training step; returns the batch loss. */
    @Benchmark
    public double trainStep() {
        return step.train();
    }

    /** One eval-mode forward of the batch; returns a value of the output so that the JIT cannot drop it. */
    @Benchmark
    public float inference() {
        return step.infer();
    }
}
