package dev.tempora.tensor.kernels;

import dev.tempora.tensor.Parallel;

/**
 * GEMM for narrow products, where the register tiles of {@link GemmVector} (8 rows by two vectors,
 * one broadcast of A per row and step) leave most lanes idle. Two shapes, both from linear layers of
 * 1 to 8 features (the TFT's variable selection: per-variable prescalers Linear(1, 4), gated residual
 * networks of input and hidden 4):
 * <ul>
 *   <li>{@link Shape#TALL}: many rows, n and k at most 8, A not transposed and both A and C dense
 *       ({@code lda = k}, {@code ldc = n}): the forward X·Wᵀ and the input gradient dY·W.
 *       {@link GemmNarrowVector#tall} computes several rows of C in one vector;</li>
 *   <li>{@link Shape#TALL_DEEP}: the same layout with n below 8 (and at most a vector's lanes), k up to
 *       {@link #MAX_DEEP} and at least {@link #DEEP_MIN_ROWS} rows, where {@link Shape#TALL} does not
 *       apply (the TFT's
 *       gated residual networks of hidden 20 to 40 into 2 to 8 outputs, and their input gradients).
 *       {@link GemmNarrowDeepVector} computes one or two rows of C per vector, eight rows at a time;</li>
 *   <li>{@link Shape#OUTER_SUM}: C of at most 8 rows and one vector's columns summed over a long k,
 *       A transposed and B not, when C fits one vector or has fewer rows than the general kernel's
 *       tile, or of up to {@link #MAX_SUM_ROWS} rows and 7 columns in at most {@link #MAX_SUM_PASSES}
 *       vectors when the general kernel's tiles would be partial: the weight gradient dYᵀ·X. {@link GemmNarrowVector#outerSum} keeps
 *       the elements of C in vector lanes for the whole sum and adds one outer product per step.</li>
 * </ul>
 *
 * <p>Every element of C is one chain of fused multiply-adds over p = 0, 1, …, k − 1 in order, started
 * from zero (an outer sum: four such chains, see {@link #outerSumReference}), then scaled by alpha
 * (and added to C when accumulating). The scalar references here
 * compute the same chain, so the vector kernels equal them bit for bit at every vector width, and an
 * element's value never depends on which other rows share its call or thread.
 */
final class GemmNarrow {

    /**
     * The widest n and k of a tall product, and the most rows of C in an outer sum of one vector's
     * columns.
     */
    static final int MAX_NARROW = 8;
    /** The longest k of a deep tall product: its weight vectors, one per step, stay in the L1 cache. */
    static final int MAX_DEEP = 64;
    /** Tall products need this many rows to pay for setting up the kernel's index and weight vectors. */
    static final int TALL_MIN_ROWS = 32;
    /**
     * Deep tall products need this many rows: setting up the weight vectors and the blocks of eight rows
     * cost about half a microsecond, and at 512 rows of n = 4 the kernel ran 1.08× the general one
     * (0.93× at 256). With n = 8 the general kernel's tiles are full and it is as fast, so n stays below 8.
     */
    static final int DEEP_MIN_ROWS = 512;
    /** The most rows of C in an outer sum of fewer than 8 columns. */
    static final int MAX_SUM_ROWS = 40;
    /** The most vectors of C (passes over k) an outer sum of more than 8 rows may take. */
    static final int MAX_SUM_PASSES = 9;
    /** Outer sums of more than 8 rows need this many steps to pay for their passes' set-up. */
    static final int TALL_SUM_MIN_STEPS = 256;
    /** Outer sums need this many steps; shorter ones stay with the general kernel. */
    static final int OUTER_SUM_MIN_STEPS = 32;

    /** Chains of an outer sum: step p adds to chain p mod 4. */
    static final int OUTER_SUM_CHAINS = 4;
    /** Rows of a tall product per task when one is shared among threads. */
    static final int ROWS_PER_TASK = 4096;

    /** Which narrow kernel a product takes, if any. */
    enum Shape { NONE, TALL, TALL_DEEP, OUTER_SUM }

    private GemmNarrow() {}

    /**
     * The narrow kernel for a product of these flags, sizes and leading dimensions, or
     * {@link Shape#NONE} when it has none (or the Vector API is off).
     */
    static Shape shape(boolean transA, boolean transB, int m, int n, int k, int lda, int ldc) {
        if (!VectorSupport.ENABLED) {
            return Shape.NONE;
        }
        int lanes = VectorSupport.LANES;
        if (!transA && lda == k && ldc == n && n <= MAX_NARROW && m >= TALL_MIN_ROWS) {
            if (k <= MAX_NARROW && groupWidth(n, k) <= lanes) {
                return Shape.TALL;
            }
            if (k <= MAX_DEEP && n < MAX_NARROW && m >= DEEP_MIN_ROWS && GemmNarrowDeepVector.covers(n)) {
                return Shape.TALL_DEEP;
            }
        }
        // C of more than one vector takes a pass over k per vector, and loses to the general kernel's
        // full tiles of rows (8 × 4 on 16 lanes: 0.86×; 8 × 8: 0.4×).
        boolean onePassOrPartialTile = m * n <= lanes || m < GemmVector.PREFERRED.mr;
        if (transA && !transB && m <= MAX_NARROW && n <= lanes && k >= OUTER_SUM_MIN_STEPS && onePassOrPartialTile) {
            return Shape.OUTER_SUM;
        }
        // Taller C (weight gradients of 10 to 40 inputs into 2 to 7 outputs), on 16 lanes over 2688 steps:
        // a pass per vector of C still beats the general kernel where its last tile of rows or of 4 columns
        // is partial (20 × 4: 1.7×, 16 × 2: 4×, 20 × 7: 1.4×, 36 × 4: 1.2×), in up to nine passes (20 × 8,
        // ten: 0.76×), over 256 steps or more (20 × 4 × 100: 0.93×); with full tiles it does not (24 × 4:
        // 0.82×, 40 × 4: 0.75×), nor with 8 columns (17 × 8: 0.87×).
        boolean fullTiles = m % GemmVector.PREFERRED.mr == 0 && n % 4 == 0;
        if (transA && !transB && m > MAX_NARROW && m <= MAX_SUM_ROWS && n < MAX_NARROW && k >= TALL_SUM_MIN_STEPS
                && m * n <= MAX_SUM_PASSES * lanes && !fullTiles) {
            return Shape.OUTER_SUM;
        }
        return Shape.NONE;
    }

    /**
     * C = alpha·op(A)·op(B) (+ C when {@code accumulate}) through the kernel {@code shape} names (not
     * {@link Shape#NONE}), for arguments {@link Gemm} has checked. A tall product (deep or not) of at least
     * {@link Gemm#PARALLEL_MIN_WORK} is shared among up to {@code threads} threads in blocks of
     * {@link #ROWS_PER_TASK} rows (each row's value is the same whichever task computes it); an outer
     * sum runs on the calling thread, since splitting its sum over k would change its order.
     */
    static void multiply(int threads, Shape shape, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        if (shape == Shape.OUTER_SUM || threads < 2 || (long) m * n * (k + 8) < Gemm.PARALLEL_MIN_WORK) {
            multiply(shape, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Parallel.forRange((m + ROWS_PER_TASK - 1) / ROWS_PER_TASK, 1, threads, (from, to) -> {
            int first = from * ROWS_PER_TASK;
            int rows = Math.min(m, to * ROWS_PER_TASK) - first;
            multiply(shape, transB, rows, n, k, alpha, a, aOff + first * k, lda, b, bOff, ldb,
                    c, cOff + first * n, ldc, accumulate);
        });
    }

    /** C = alpha·op(A)·op(B) (+ C) through the kernel {@code shape} names, on the calling thread. */
    static void multiply(Shape shape, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        switch (shape) {
            case TALL -> GemmNarrowVector.tall(transB, m, n, k, alpha, a, aOff, b, bOff, ldb, c, cOff, accumulate);
            case TALL_DEEP -> GemmNarrowDeepVector.multiply(transB, m, n, k, alpha, a, aOff, b, bOff, ldb, c, cOff,
                    accumulate);
            case OUTER_SUM -> GemmNarrowVector.outerSum(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                    accumulate);
            case NONE -> throw new IllegalArgumentException("GemmNarrow.multiply: the product has no narrow kernel");
        }
    }

    /**
     * Lanes one row of a tall product takes in the kernel's vectors: the power of two at or above
     * the wider of n and k, so a vector holds whole rows of both A and C.
     */
    static int groupWidth(int n, int k) {
        return Integer.highestOneBit(2 * Math.max(n, k) - 1);
    }

    /**
     * The definition of a tall product for rows {@code from} to {@code to}: A dense (m×k, lda = k),
     * C dense (ldc = n), op(B)'s element (p, j) at {@code b[bOff + j*ldb + p]} when {@code transB},
     * else {@code b[bOff + p*ldb + j]}.
     */
    static void tallReference(boolean transB, int from, int to, int n, int k, float alpha, float[] a, int aOff,
                              float[] b, int bOff, int ldb, float[] c, int cOff, boolean accumulate) {
        for (int i = from; i < to; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float w = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum = Math.fma(a[aOff + i * k + p], w, sum);
                }
                int ci = cOff + i * n + j;
                float value = alpha * sum;
                c[ci] = accumulate ? c[ci] + value : value;
            }
        }
    }

    /**
     * The definition of an outer sum: C(i, j) = alpha · Σ_p A(p, i)·B(p, j) (+ C) with A stored k×m
     * ({@code a[aOff + p*lda + i]}) and B stored k×n ({@code b[bOff + p*ldb + j]}). The sum runs as
     * {@link #OUTER_SUM_CHAINS} chains, one for the steps p of each remainder p mod 4, added at the
     * end as (s0 + s1) + (s2 + s3): four independent chains keep four FMAs in flight where one chain
     * would wait out each FMA's latency.
     */
    static void outerSumReference(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = finishOuterSum(0f, 0f, 0f, 0f, 0, k, a, aOff + i, lda, b, bOff + j, ldb);
                int ci = cOff + i * ldc + j;
                float value = alpha * sum;
                c[ci] = accumulate ? c[ci] + value : value;
            }
        }
    }

    /**
     * Continues one element's four chains of an outer sum, s0 to s3, over steps {@code from} (a
     * multiple of 4) to {@code to}, and adds them up; the element's column of A starts at
     * {@code aAt}, of B at {@code bAt}.
     */
    static float finishOuterSum(float s0, float s1, float s2, float s3, int from, int to, float[] a, int aAt,
                                int lda, float[] b, int bAt, int ldb) {
        int p = from;
        for (; p + 4 <= to; p += 4) {
            s0 = Math.fma(a[aAt + p * lda], b[bAt + p * ldb], s0);
            s1 = Math.fma(a[aAt + (p + 1) * lda], b[bAt + (p + 1) * ldb], s1);
            s2 = Math.fma(a[aAt + (p + 2) * lda], b[bAt + (p + 2) * ldb], s2);
            s3 = Math.fma(a[aAt + (p + 3) * lda], b[bAt + (p + 3) * ldb], s3);
        }
        if (p < to) {
            s0 = Math.fma(a[aAt + p * lda], b[bAt + p * ldb], s0);
        }
        if (p + 1 < to) {
            s1 = Math.fma(a[aAt + (p + 1) * lda], b[bAt + (p + 1) * ldb], s1);
        }
        if (p + 2 < to) {
            s2 = Math.fma(a[aAt + (p + 2) * lda], b[bAt + (p + 2) * ldb], s2);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
