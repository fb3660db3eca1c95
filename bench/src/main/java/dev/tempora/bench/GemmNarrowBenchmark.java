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
 * The narrow products of the TFT's variable selection networks on one worker's shard (16 samples ×
 * 168 steps = 2688 rows), on the calling thread, in microseconds per product: per-variable
 * prescalers Linear(1, 4) and gated residual networks of input and hidden 4 (their GLU 4 → 8).
 * Shapes are {@code MxNxK} as {@link GemmBenchmark} reads them: {@code _tB} forward X·Wᵀ,
 * plain the input gradient dY·W, {@code _tA} the weight gradient dYᵀ·X.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class GemmNarrowBenchmark {

    /** Instantiated by JMH, once per fork and thread. */
    public GemmNarrowBenchmark() {}

    /** The GEMM shape, as {@link GemmThroughput.Shape#parse} reads it. */
    @Param({"2688x4x1_tB", "2688x4x4_tB", "2688x8x4_tB", "2688x1x4", "2688x4x4", "2688x4x8",
            "4x1x2688_tA", "4x4x2688_tA", "8x4x2688_tA",
            "1008x4x40", "1008x4x20_tB", "3696x2x20_tB", "2688x7x20_tB", "2688x4x20_tB"})
    public String shape;

    private GemmThroughput.Operands operands;

    /** Random operands of the shape, the same for every run. */
    @Setup
    public void setUp() {
        operands = new GemmThroughput.Operands(GemmThroughput.Shape.parse(shape), 42);
    }

    /** One product on the calling thread; returns an element of C so that the JIT cannot drop it. */
    @Benchmark
    public float gemm() {
        operands.multiply(1);
        return operands.probe();
    }
}
