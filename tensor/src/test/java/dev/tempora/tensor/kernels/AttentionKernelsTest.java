package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.assertClose;
import static dev.tempora.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.tensor.kernels.AttentionKernels.Geometry;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AttentionKernels} at this JVM's width against the double-precision references: outputs,
 * attention weights and all three gradients, for head sizes with and without a specialised SIMD
 * path, decoder lengths that do and do not fill whole vectors of queries, ragged and zero encoder
 * lengths (the uniform fallback), causal and padded decoders, with and without dropout.
 */
class AttentionKernelsTest {

    /** One random problem: inputs in the kernels' layouts. */
    private record Problem(Geometry geo, float[] q, float[] k, float[] v, float[] gOut) {
        static Problem of(long seed, int batch, int te, int td, int heads, int d, boolean causal, float spread) {
            SplittableRandom rng = KernelTestData.rng(seed);
            int[] encLen = new int[batch];
            int[] decLen = new int[batch];
            for (int b = 0; b < batch; b++) {
                // Sample 0 has no encoder (its first causal query sees nothing); sample 1 a full one.
                encLen[b] = b == 0 ? 0 : b == 1 ? te : rng.nextInt(te + 1);
                decLen[b] = b == 1 ? td : rng.nextInt(td + 1);
            }
            int keys = te + td;
            Geometry geo = new Geometry(batch, te, td, heads, d, encLen, decLen, causal);
            return new Problem(geo, gaussian(rng, batch * td * heads * d, 0, spread),
                    gaussian(rng, batch * keys * heads * d, 0, spread), gaussian(rng, batch * keys * d, 0, 1),
                    gaussian(rng, batch * td * d, 0, 1));
        }
    }

    private static void assertAllClose(float[] expected, float[] actual, double abs, double rel, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], abs + rel * Math.abs(expected[i]),
                    what + " [" + i + "] at " + VectorSupport.BITS + " bits");
        }
    }

    @ParameterizedTest(name = "d={0} td={1} causal={2} dropout={3}")
    @CsvSource({
        "2, 21, true, 0.0", "2, 21, true, 0.3", "2, 16, false, 0.0", "2, 5, false, 0.2",
        "1, 19, true, 0.0", "3, 17, true, 0.1", "4, 9, false, 0.0", "3, 33, false, 0.25"})
    void forwardMatchesTheReference(int d, int td, boolean causal, float dropout) {
        int batch = 5;
        int te = 7;
        int heads = 3;
        Problem pr = Problem.of(31L * d + td, batch, te, td, heads, d, causal, 1.5f);
        Geometry geo = pr.geo();
        int keys = te + td;
        float[] expected = new float[batch * td * d];
        float[] expectedWeights = new float[batch * td * heads * keys];
        AttentionKernels.forwardReference(geo, pr.q(), pr.k(), pr.v(), dropout, 77L, expected, expectedWeights, 0, batch);
        float[] out = new float[batch * td * d];
        float[] weights = new float[batch * td * heads * keys];
        float[] stats = new float[geo.statsSize()];
        AttentionKernels.forward(geo, pr.q(), pr.k(), pr.v(), dropout, 77L, out, weights, stats, 0, batch);
        assertAllClose(expected, out, 2e-6, 2e-6, "output");
        assertAllClose(expectedWeights, weights, 1e-7, 2e-6, "weights");
        // Sample 0's first causal query has no open key: uniform weights, as a softmax of all −1e9.
        if (causal) {
            assertEquals(1f / keys, weights[0], 1e-9f);
        }
    }

    /** The forward without SIMD (what C1 and forced scalar kernels run), at every width's test run. */
    @ParameterizedTest(name = "d={0} td={1} causal={2} dropout={3}")
    @CsvSource({"2, 21, true, 0.0", "2, 16, false, 0.2", "1, 19, true, 0.0", "3, 33, false, 0.25", "2, 9, true, 0.1"})
    void scalarForwardMatchesTheReference(int d, int td, boolean causal, float dropout) {
        int batch = 5;
        int te = 7;
        int heads = 3;
        Problem pr = Problem.of(13L * d + td, batch, te, td, heads, d, causal, 2f);
        Geometry geo = pr.geo();
        int keys = te + td;
        float[] expected = new float[batch * td * d];
        float[] expectedWeights = new float[batch * td * heads * keys];
        AttentionKernels.forwardReference(geo, pr.q(), pr.k(), pr.v(), dropout, 3L, expected, expectedWeights, 0, batch);
        float[] out = new float[batch * td * d];
        float[] weights = new float[batch * td * heads * keys];
        AttentionKernels.forwardScalar(geo, pr.q(), pr.k(), pr.v(), dropout, 3L, out, weights, 0, batch);
        assertAllClose(expected, out, 1e-6, 1e-6, "output");
        assertAllClose(expectedWeights, weights, 1e-7, 1e-6, "weights");
    }

    @ParameterizedTest(name = "d={0} td={1} causal={2} dropout={3}")
    @CsvSource({
        "2, 21, true, 0.0", "2, 21, true, 0.3", "2, 16, false, 0.0", "2, 5, false, 0.2",
        "1, 19, true, 0.0", "3, 17, true, 0.1", "4, 9, false, 0.0", "3, 33, false, 0.25"})
    void backwardMatchesTheReference(int d, int td, boolean causal, float dropout) {
        int batch = 5;
        int te = 7;
        int heads = 3;
        Problem pr = Problem.of(17L * d + td, batch, te, td, heads, d, causal, 1.5f);
        Geometry geo = pr.geo();
        int keys = te + td;
        float[] dqRef = new float[pr.q().length];
        float[] dkRef = new float[pr.k().length];
        float[] dvRef = new float[pr.v().length];
        AttentionKernels.backwardReference(geo, pr.q(), pr.k(), pr.v(), dropout, 5L, pr.gOut(), dqRef, dkRef, dvRef, 0, batch);
        float[] stats = new float[geo.statsSize()];
        AttentionKernels.forward(geo, pr.q(), pr.k(), pr.v(), dropout, 5L, new float[batch * td * d], null, stats, 0, batch);
        float[] dq = sentinelled(pr.q().length);
        float[] dk = sentinelled(pr.k().length);
        float[] dv = sentinelled(pr.v().length);
        AttentionKernels.backward(geo, pr.q(), pr.k(), pr.v(), dropout, 5L, stats, pr.gOut(), dq, dk, dv, 0, batch);
        assertAllClose(dqRef, dq, 5e-6, 1e-5, "dq");
        assertAllClose(dkRef, dk, 5e-6, 1e-5, "dk");
        assertAllClose(dvRef, dv, 5e-6, 1e-5, "dv");
        assertEquals(keys * heads * d, dk.length / batch);
    }

    @ParameterizedTest(name = "d={0}")
    @CsvSource({"2", "3"})
    void largeScoresStayFinite(int d) {
        // Scores of several hundred: without the max shift exp would overflow.
        Problem pr = Problem.of(99, 3, 6, 11, 2, d, true, 20f);
        Geometry geo = pr.geo();
        float[] expected = new float[3 * 11 * d];
        AttentionKernels.forwardReference(geo, pr.q(), pr.k(), pr.v(), 0f, 1L, expected, null, 0, 3);
        float[] out = new float[expected.length];
        AttentionKernels.forward(geo, pr.q(), pr.k(), pr.v(), 0f, 1L, out, null, new float[geo.statsSize()], 0, 3);
        assertAllClose(expected, out, 1e-5, 1e-5, "output");
    }

    @ParameterizedTest(name = "causal={0}")
    @CsvSource({"true", "false"})
    void samplesComputedInPiecesGiveTheSameBits(boolean causal) {
        Problem pr = Problem.of(5, 6, 5, 13, 4, 2, causal, 1f);
        Geometry geo = pr.geo();
        int n = pr.gOut().length;
        float[] whole = new float[n];
        float[] stats = new float[geo.statsSize()];
        AttentionKernels.forward(geo, pr.q(), pr.k(), pr.v(), 0.1f, 3L, whole, null, stats, 0, 6);
        float[] pieces = new float[n];
        float[] pieceStats = new float[geo.statsSize()];
        for (int[] range : new int[][] {{0, 1}, {1, 4}, {4, 6}}) {
            AttentionKernels.forward(geo, pr.q(), pr.k(), pr.v(), 0.1f, 3L, pieces, null, pieceStats, range[0], range[1]);
        }
        assertArrayEquals(whole, pieces);
        float[][] full = {new float[pr.q().length], new float[pr.k().length], new float[pr.v().length]};
        float[][] split = {new float[pr.q().length], new float[pr.k().length], new float[pr.v().length]};
        AttentionKernels.backward(geo, pr.q(), pr.k(), pr.v(), 0.1f, 3L, stats, pr.gOut(), full[0], full[1], full[2], 0, 6);
        for (int[] range : new int[][] {{0, 2}, {2, 3}, {3, 6}}) {
            AttentionKernels.backward(geo, pr.q(), pr.k(), pr.v(), 0.1f, 3L, pieceStats, pr.gOut(), split[0], split[1],
                    split[2], range[0], range[1]);
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(full[i], split[i]);
        }
    }

    private static float[] sentinelled(int n) {
        return KernelTestData.sentinels(n);
    }
}
