package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD versions of {@link ReductionKernels}. */
final class ReductionVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private ReductionVector() {}

    /** Most vectors in one chunk of whole rows (see {@link #reduceInChunks}). */
    private static final int MAX_CHUNK_VECTORS = 8;

    /** Per-thread accumulators for {@link #reduceInChunks}. */
    private static final ThreadLocal<float[]> CHUNK_ACCUMULATORS =
            ThreadLocal.withInitial(() -> new float[MAX_CHUNK_VECTORS * L]);

    /** Whether (r, inner) blocks are reduced by {@link #reduceInChunks}. */
    static boolean chunked(int r, int inner) {
        int chunk = chunkLength(inner);
        return inner > 1 && chunk <= MAX_CHUNK_VECTORS * L && r * inner >= chunk;
    }

    /** lcm(inner, L): the fewest floats that are whole rows and whole vectors. */
    private static int chunkLength(int inner) {
        int a = inner;
        int b = L;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return inner / a * L;
    }

    static void reduce(ReductionKernels.Kind kind, float[] a, int ao, int outer, int r, int inner, float[] out, int oo) {
        if (inner == 1) {
            for (int o = 0; o < outer; o++) {
                out[oo + o] = reduceRow(kind, a, ao + o * r, r);
            }
            return;
        }
        if (chunked(r, inner)) {
            for (int o = 0; o < outer; o++) {
                reduceInChunks(kind, a, ao + o * r * inner, r, inner, out, oo + o * inner);
            }
            return;
        }
        // Columns: accumulate the r rows of each outer block into out, a vector of inner at a time.
        int bound = inner - inner % L;
        for (int o = 0; o < outer; o++) {
            int src = ao + o * r * inner;
            int dst = oo + o * inner;
            for (int j = 0; j < bound; j += L) {
                FloatVector acc = FloatVector.fromArray(S, a, src + j);
                for (int k = 1; k < r; k++) {
                    acc = combine(kind, acc, FloatVector.fromArray(S, a, src + k * inner + j));
                }
                acc.intoArray(out, dst + j);
            }
            for (int j = bound; j < inner; j++) {
                float acc = a[src + j];
                for (int k = 1; k < r; k++) {
                    acc = ReductionKernels.combine(kind, acc, a[src + k * inner + j]);
                }
                out[dst + j] = acc;
            }
        }
    }

    /**
     * Columns of a contiguous (r, inner) block whose rows are narrower than a few vectors (a bias
     * gradient: thousands of rows of 2 to 80): the block is read as consecutive chunks of
     * lcm(inner, L) floats, whole rows and whole vectors at once, each vector of a chunk added to
     * its own accumulator; lane p of the chunk then belongs to column p mod inner, and the lanes of
     * a column are combined in lane order, then the rows after the last whole chunk. No strided or
     * scalar column walks, and the order is fixed, so the result never depends on threads.
     */
    static void reduceInChunks(ReductionKernels.Kind kind, float[] a, int start, int r, int inner, float[] out, int oo) {
        int chunk = chunkLength(inner);
        int vectors = chunk / L;
        int rowsPerChunk = chunk / inner;
        int chunks = r / rowsPerChunk;
        float[] acc = CHUNK_ACCUMULATORS.get();
        for (int v = 0; v < vectors; v++) {
            accumulateColumn(kind, a, start + v * L, chunk, chunks, acc, v * L);
        }
        for (int j = 0; j < inner; j++) {
            float result = acc[j];
            for (int p = j + inner; p < chunk; p += inner) {
                result = ReductionKernels.combine(kind, result, acc[p]);
            }
            for (int k = chunks * rowsPerChunk; k < r; k++) {
                result = ReductionKernels.combine(kind, result, a[start + k * inner + j]);
            }
            out[oo + j] = result;
        }
    }

    /**
     * Vector v of every chunk (a stride of {@code chunk} floats apart) combined into acc[ao ..],
     * with four independent accumulators to hide the FP latency, joined in a fixed order.
     */
    private static void accumulateColumn(ReductionKernels.Kind kind, float[] a, int start, int chunk, int chunks,
                                         float[] acc, int ao) {
        FloatVector acc0 = FloatVector.broadcast(S, ReductionKernels.identity(kind));
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int c = 0;
        for (; c + 4 <= chunks; c += 4) {
            int at = start + c * chunk;
            acc0 = combine(kind, acc0, FloatVector.fromArray(S, a, at));
            acc1 = combine(kind, acc1, FloatVector.fromArray(S, a, at + chunk));
            acc2 = combine(kind, acc2, FloatVector.fromArray(S, a, at + 2 * chunk));
            acc3 = combine(kind, acc3, FloatVector.fromArray(S, a, at + 3 * chunk));
        }
        for (; c < chunks; c++) {
            acc0 = combine(kind, acc0, FloatVector.fromArray(S, a, start + c * chunk));
        }
        combine(kind, combine(kind, acc0, acc1), combine(kind, acc2, acc3)).intoArray(acc, ao);
    }

    /** A contiguous row reduced with four independent accumulators to hide FP latency. */
    static float reduceRow(ReductionKernels.Kind kind, float[] a, int start, int n) {
        float id = ReductionKernels.identity(kind);
        FloatVector acc0 = FloatVector.broadcast(S, id);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int i = 0;
        int bound4 = n - n % (4 * L);
        for (; i < bound4; i += 4 * L) {
            acc0 = combine(kind, acc0, FloatVector.fromArray(S, a, start + i));
            acc1 = combine(kind, acc1, FloatVector.fromArray(S, a, start + i + L));
            acc2 = combine(kind, acc2, FloatVector.fromArray(S, a, start + i + 2 * L));
            acc3 = combine(kind, acc3, FloatVector.fromArray(S, a, start + i + 3 * L));
        }
        int bound = n - n % L;
        for (; i < bound; i += L) {
            acc0 = combine(kind, acc0, FloatVector.fromArray(S, a, start + i));
        }
        FloatVector acc = combine(kind, combine(kind, acc0, acc1), combine(kind, acc2, acc3));
        float result = switch (kind) {
            case SUM -> VectorMath.sum(acc);
            case MAX -> acc.reduceLanes(VectorOperators.MAX);
            case MIN -> acc.reduceLanes(VectorOperators.MIN);
        };
        for (; i < n; i++) {
            result = ReductionKernels.combine(kind, result, a[start + i]);
        }
        return result;
    }

    private static FloatVector combine(ReductionKernels.Kind kind, FloatVector acc, FloatVector v) {
        return switch (kind) {
            case SUM -> acc.add(v);
            case MAX -> acc.max(v);
            case MIN -> acc.min(v);
        };
    }
}
