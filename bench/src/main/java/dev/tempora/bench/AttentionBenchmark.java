package dev.tempora.bench;

import dev.tempora.tensor.kernels.AttentionKernels;
import dev.tempora.tensor.kernels.AttentionKernels.Geometry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The TFT's fused attention core on one worker's shard of the demo step (16 samples, 8 heads of
 * size 2, 168 causal decoder queries over 63 + 168 keys), in microseconds per call: the training
 * forward (dropout 0.1), the inference forward (no dropout) and the backward.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class AttentionBenchmark {

    private static final int BATCH = 16;
    private static final int ENCODER = 63;
    private static final int DECODER = 168;
    private static final int HEADS = 8;
    private static final int HEAD_SIZE = 2;

    private Geometry geometry;
    private float[] queries;
    private float[] keys;
    private float[] values;
    private float[] gradient;
    private float[] output;
    private float[] stats;
    private float[] dq;
    private float[] dk;
    private float[] dv;

    /** Instantiated by JMH, once per fork and thread. */
    public AttentionBenchmark() {}

    /** Random inputs of the demo's shapes (scores of a few units, as a trained model's) and one forward's stats. */
    @Setup
    public void setUp() {
        int[] encoderLengths = new int[BATCH];
        int[] decoderLengths = new int[BATCH];
        java.util.Arrays.fill(encoderLengths, ENCODER);
        java.util.Arrays.fill(decoderLengths, DECODER);
        geometry = new Geometry(BATCH, ENCODER, DECODER, HEADS, HEAD_SIZE, encoderLengths, decoderLengths, true);
        SplittableRandom rng = new SplittableRandom(42);
        int steps = ENCODER + DECODER;
        queries = random(rng, BATCH * DECODER * HEADS * HEAD_SIZE, 2f);
        keys = random(rng, BATCH * steps * HEADS * HEAD_SIZE, 2f);
        values = random(rng, BATCH * steps * HEAD_SIZE, 1f);
        gradient = random(rng, BATCH * DECODER * HEAD_SIZE, 1f);
        output = new float[BATCH * DECODER * HEAD_SIZE];
        stats = new float[geometry.statsSize()];
        dq = new float[queries.length];
        dk = new float[keys.length];
        dv = new float[values.length];
        trainingForward();
    }

    private static float[] random(SplittableRandom rng, int n, float spread) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * spread);
        }
        return a;
    }

    /** The training forward: dropout 0.1 on the heads' outputs; returns one output so that it cannot be dropped. */
    @Benchmark
    public float trainingForward() {
        AttentionKernels.forward(geometry, queries, keys, values, 0.1f, 7L, output, null, stats, 0, BATCH);
        return output[5];
    }

    /** The inference forward: no dropout. */
    @Benchmark
    public float inferenceForward() {
        AttentionKernels.forward(geometry, queries, keys, values, 0f, 7L, output, null, stats, 0, BATCH);
        return output[5];
    }

    /** The backward from the stats of the setup's training forward. */
    @Benchmark
    public float backward() {
        AttentionKernels.backward(geometry, queries, keys, values, 0.1f, 7L, stats, gradient, dq, dk, dv, 0, BATCH);
        return dk[5];
    }
}
