package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel of {@link GemmNarrow.Shape#TALL_DEEP}: tall products with n ≤ 8 and k up to
 * {@link GemmNarrow#MAX_DEEP} (see {@link GemmNarrow#tallReference} for the layout and the chain each
 * element of C is). Rows of C lie in 256-bit vectors whatever the JVM's width: one row's n columns need
 * at most 8 lanes, and wider vectors ran no faster (each step's cost is moving A(i, p) across lanes,
 * not the FMAs).
 * <ul>
 *   <li>n ≤ 4: two rows per vector, row r in lanes 0-3 and row r + 1 in lanes 4-7. Eight rows' next
 *       eight steps of A are loaded as vectors; for step p one two-vector permute per row pair puts
 *       A(r, p) into the first half and A(r + 1, p) into the second;</li>
 *   <li>otherwise: one row per vector, A(i, p) broadcast, eight rows at a time.</li>
 * </ul>
 * Either way the step's weight vector (op(B)'s row p, zero past column n) is shared by the eight rows,
 * whose sums are independent chains that keep several FMAs in flight. Rows whose full-vector loads or
 * stores would pass an array's end, and rows after the last whole block of eight, take the scalar chain,
 * which gives the same bits. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmNarrowDeepVector {

    private static final VectorSpecies<Float> D = Species.LANES >= 8 ? FloatVector.SPECIES_256 : Species.FLOAT;
    private static final int DL = D.length();
    private static final int HALF = DL / 2;
    private static final int ROWS_PER_BLOCK = 8;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private GemmNarrowDeepVector() {}

    /** Whether this kernel takes a tall product of n columns (n ≤ 8): when a row fits one vector. */
    static boolean covers(int n) {
        return n <= DL;
    }

    /** A deep tall product, C = alpha·A·op(B) (+ C), A and C dense; n must be {@linkplain #covers covered}. */
    static void multiply(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                         int ldb, float[] c, int cOff, boolean accumulate) {
        Scratch scratch = SCRATCH.get();
        boolean pairs = DL == 8 && n <= HALF;
        float[] weights = scratch.weights;
        fillWeights(pairs, transB, n, k, b, bOff, ldb, weights);
        int rows = Math.min(m, fitting(c.length - cOff, n, DL));
        if (pairs) {
            // The last row's steps are loaded in whole vectors.
            rows = Math.min(rows, fitting(a.length - aOff, k, (k + DL - 1) / DL * DL));
        }
        rows -= rows % ROWS_PER_BLOCK;
        int covered = rows * n;
        float[] saved = accumulate ? scratch.saved(covered) : null;
        if (accumulate) {
            System.arraycopy(c, cOff, saved, 0, covered);
        }
        // The kernels only overwrite (a branch per store would have to choose between vectors, and box them).
        if (pairs) {
            rowPairs(rows, n, k, alpha, a, aOff, weights, scratch.indices, c, cOff);
        } else {
            singleRows(rows, n, k, alpha, a, aOff, weights, c, cOff);
        }
        if (accumulate) {
            // alpha·sum + C: the same bits as C + alpha·sum.
            for (int i = 0; i < covered; i++) {
                c[cOff + i] += saved[i];
            }
        }
        GemmNarrow.tallReference(transB, rows, m, n, k, alpha, a, aOff, b, bOff, ldb, c, cOff, accumulate);
    }

    /**
     * Weight vector p (at {@code p * DL}) holds op(B)'s row p in lanes 0 to n − 1, again from lane 4
     * when {@code pairs}, and zeros elsewhere (lanes past n are never stored).
     */
    private static void fillWeights(boolean pairs, boolean transB, int n, int k, float[] b, int bOff, int ldb,
                                    float[] weights) {
        java.util.Arrays.fill(weights, 0, k * DL, 0f);
        int copies = pairs ? 2 : 1;
        for (int p = 0; p < k; p++) {
            for (int copy = 0; copy < copies; copy++) {
                int w = p * DL + copy * HALF;
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        weights[w + j] = b[bOff + j * ldb + p];
                    }
                } else {
                    System.arraycopy(b, bOff + p * ldb, weights, w, n);
                }
            }
        }
    }

    /**
     * How many rows, {@code stride} floats apart from 0 on, can each read or write {@code extent} floats
     * inside {@code available}.
     */
    private static int fitting(int available, int stride, int extent) {
        return available < extent ? 0 : (available - extent) / stride + 1;
    }

    private static void singleRows(int rows, int n, int k, float alpha, float[] a, int aOff, float[] weights,
                                   float[] c, int cOff) {
        VectorMask<Float> store = D.indexInRange(0, n);
        for (int i = 0; i < rows; i += ROWS_PER_BLOCK) {
            int a0 = aOff + i * k;
            FloatVector s0 = FloatVector.zero(D);
            FloatVector s1 = FloatVector.zero(D);
            FloatVector s2 = FloatVector.zero(D);
            FloatVector s3 = FloatVector.zero(D);
            FloatVector s4 = FloatVector.zero(D);
            FloatVector s5 = FloatVector.zero(D);
            FloatVector s6 = FloatVector.zero(D);
            FloatVector s7 = FloatVector.zero(D);
            for (int p = 0; p < k; p++) {
                FloatVector w = FloatVector.fromArray(D, weights, p * DL);
                int ap = a0 + p;
                s0 = FloatVector.broadcast(D, a[ap]).fma(w, s0);
                s1 = FloatVector.broadcast(D, a[ap + k]).fma(w, s1);
                s2 = FloatVector.broadcast(D, a[ap + 2 * k]).fma(w, s2);
                s3 = FloatVector.broadcast(D, a[ap + 3 * k]).fma(w, s3);
                s4 = FloatVector.broadcast(D, a[ap + 4 * k]).fma(w, s4);
                s5 = FloatVector.broadcast(D, a[ap + 5 * k]).fma(w, s5);
                s6 = FloatVector.broadcast(D, a[ap + 6 * k]).fma(w, s6);
                s7 = FloatVector.broadcast(D, a[ap + 7 * k]).fma(w, s7);
            }
            int c0 = cOff + i * n;
            s0.mul(alpha).intoArray(c, c0, store);
            s1.mul(alpha).intoArray(c, c0 + n, store);
            s2.mul(alpha).intoArray(c, c0 + 2 * n, store);
            s3.mul(alpha).intoArray(c, c0 + 3 * n, store);
            s4.mul(alpha).intoArray(c, c0 + 4 * n, store);
            s5.mul(alpha).intoArray(c, c0 + 5 * n, store);
            s6.mul(alpha).intoArray(c, c0 + 6 * n, store);
            s7.mul(alpha).intoArray(c, c0 + 7 * n, store);
        }
    }

    private static void rowPairs(int rows, int n, int k, float alpha, float[] a, int aOff, float[] weights,
                                 float[] indices, float[] c, int cOff) {
        VectorMask<Float> store = D.indexInRange(0, n);
        for (int i = 0; i < rows; i += ROWS_PER_BLOCK) {
            int a0 = aOff + i * k;
            FloatVector s01 = FloatVector.zero(D);
            FloatVector s23 = FloatVector.zero(D);
            FloatVector s45 = FloatVector.zero(D);
            FloatVector s67 = FloatVector.zero(D);
            for (int p0 = 0; p0 < k; p0 += DL) {
                int ap = a0 + p0;
                FloatVector x0 = FloatVector.fromArray(D, a, ap);
                FloatVector x1 = FloatVector.fromArray(D, a, ap + k);
                FloatVector x2 = FloatVector.fromArray(D, a, ap + 2 * k);
                FloatVector x3 = FloatVector.fromArray(D, a, ap + 3 * k);
                FloatVector x4 = FloatVector.fromArray(D, a, ap + 4 * k);
                FloatVector x5 = FloatVector.fromArray(D, a, ap + 5 * k);
                FloatVector x6 = FloatVector.fromArray(D, a, ap + 6 * k);
                FloatVector x7 = FloatVector.fromArray(D, a, ap + 7 * k);
                // Lanes of x past step k − 1 hold the next row's values; those steps are not taken.
                int steps = Math.min(DL, k - p0);
                for (int q = 0; q < steps; q++) {
                    FloatVector index = FloatVector.fromArray(D, indices, q * DL);
                    FloatVector w = FloatVector.fromArray(D, weights, (p0 + q) * DL);
                    s01 = index.selectFrom(x0, x1).fma(w, s01);
                    s23 = index.selectFrom(x2, x3).fma(w, s23);
                    s45 = index.selectFrom(x4, x5).fma(w, s45);
                    s67 = index.selectFrom(x6, x7).fma(w, s67);
                }
            }
            int c0 = cOff + i * n;
            FloatVector v01 = s01.mul(alpha);
            FloatVector v23 = s23.mul(alpha);
            FloatVector v45 = s45.mul(alpha);
            FloatVector v67 = s67.mul(alpha);
            v01.intoArray(c, c0, store);
            v01.slice(HALF).intoArray(c, c0 + n, store);
            v23.intoArray(c, c0 + 2 * n, store);
            v23.slice(HALF).intoArray(c, c0 + 3 * n, store);
            v45.intoArray(c, c0 + 4 * n, store);
            v45.slice(HALF).intoArray(c, c0 + 5 * n, store);
            v67.intoArray(c, c0 + 6 * n, store);
            v67.slice(HALF).intoArray(c, c0 + 7 * n, store);
        }
    }

    /** One thread's weight vectors (one per step) and the pair kernel's lane indices, and room for C. */
    private static final class Scratch {
        final float[] weights = new float[GemmNarrow.MAX_DEEP * DL];
        /** Index vector q takes lane q of the first source into lanes 0-3 and of the second into lanes 4-7. */
        final float[] indices = new float[DL * DL];
        private float[] saved = new float[0];

        Scratch() {
            for (int q = 0; q < DL; q++) {
                for (int t = 0; t < DL; t++) {
                    indices[q * DL + t] = t < HALF ? q : DL + q;
                }
            }
        }

        /** {@return room for {@code size} floats of C kept aside while the kernel overwrites them; grown when short} */
        float[] saved(int size) {
            if (saved.length < size) {
                saved = new float[size];
            }
            return saved;
        }
    }
}
