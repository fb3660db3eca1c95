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
 * GEMM throughput, C = op(A)·op(B) with beta = 0, in products per second (GFLOP/s = score ·
 * 2·m·n·k / 1e9; {@code bench/scripts/gemm-vs-openblas.sh} converts and sets OpenBLAS beside it).
 *
 * <p>Shapes are {@code MxNxK} (C is m×n), {@code _tA}/{@code _tB} marking an operand stored
 * transposed: squares, and the products of a TFT training step on a batch of 128 series × 231
 * time steps with hidden size 20 to 80: a linear layer forward (29568×20 times 20×80), its two
 * backward products, a 16000-row variant, k = 2, and the per-series shapes 128×231×20 and
 * 128×20×231. {@code threads} = 1 runs on the calling thread; 2 uses two threads of the shared pool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "-Dtempora.threads=2", "--sun-misc-unsafe-memory-access=allow"})
public class GemmBenchmark {

    /** Instantiated by JMH, once per fork and thread. */
    public GemmBenchmark() {}

    /**
     * The GEMM shape, as {@link GemmThroughput.Shape#parse} reads it ({@code MxNxK}, {@code _tA}/{@code _tB} for a
     * transposed operand).
     */
    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "16000x80x20", "29568x80x20", "29568x20x80_tB", "20x80x29568_tA", "29568x80x2",
            "128x231x20", "128x20x231"})
    public String shape;

    /** Threads of the shared pool the product is split across (1: the calling thread alone). */
    @Param({"1", "2"})
    public int threads;

    private GemmThroughput.Operands operands;

    /** Random operands of the shape, the same for every run. */
    @Setup
    public void setUp() {
        operands = new GemmThroughput.Operands(GemmThroughput.Shape.parse(shape), 42);
    }

    /** One product C = A·B; returns an element of C so that the JIT cannot drop it. */
    @Benchmark
    public float gemm() {
        operands.multiply(threads);
        return operands.probe();
    }
}
