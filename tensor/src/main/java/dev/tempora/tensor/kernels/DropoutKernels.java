package dev.tempora.tensor.kernels;

/**
 * Inverted dropout with a counter-based mask: element i is kept when a hash of (seed, i) maps to a
 * uniform number ≥ p, and kept elements are scaled by 1/(1−p). The mask is a pure function of the
 * seed and the index, so it needs no storage (the backward recomputes it), does not depend on how
 * work is split across threads, and is identical in the SIMD ({@link DropoutVector}) and scalar paths.
 */
public final class DropoutKernels {

    private DropoutKernels() {}

    /** out[oo+i] = keep(seed, i) ? x[xo+i] / (1−p) : 0. */
    public static void forward(float[] x, int xo, float[] out, int oo, int n, float p, long seed) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            DropoutVector.forward(x, xo, out, oo, n, p, seed);
        } else {
            forwardReference(x, xo, out, oo, 0, n, p, seed);
        }
    }

    /** Elements [from, n) of the reference; the SIMD path finishes its tail with it. */
    static void forwardReference(float[] x, int xo, float[] out, int oo, int from, int n, float p, long seed) {
        float scale = 1f / (1f - p);
        int k1 = key1(seed);
        int k2 = key2(seed);
        for (int i = from; i < n; i++) {
            out[oo + i] = uniform(i, k1, k2) >= p ? x[xo + i] * scale : 0f;
        }
    }

    /** The uniform number in [0, 1) that decides element i. */
    public static float uniform(int i, int k1, int k2) {
        int h = mix(mix(i + k1) ^ k2);
        return (h >>> 8) * 0x1.0p-24f;
    }

    static int key1(long seed) {
        return (int) mix64(seed);
    }

    static int key2(long seed) {
        return (int) (mix64(seed) >>> 32);
    }

    /** A 32-bit avalanche mixer (lowbias32). */
    static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** SplitMix64's finaliser, to spread a user seed over two 32-bit keys. */
    static long mix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
