package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels of {@link GemmNarrow}: lanes are spent on several rows of C (a tall product)
 * or on every element of a small C (an outer sum), never on columns that are not there.
 *
 * <p>Lanes are moved by shuffles made from index vectors built once per call (float lane
 * numbers, one vector per step); each rearrange is one permute. Loads are full vectors; the
 * rows or steps whose vector would run past the end of an array go through the scalar chain of
 * {@link GemmNarrow}, which gives the same bits (masked accesses near an array's end would take
 * the Vector API's slow path). Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmNarrowVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;
    /** Row groups a pass of the tall kernel computes together. */
    private static final int GROUPS_PER_BLOCK = 4;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private GemmNarrowVector() {}

    /**
     * A tall product (see {@link GemmNarrow#tallReference} for the layout): each vector holds
     * {@code L / groupWidth} whole rows of A and of C. For step p, lane r·n + j of the row group
     * takes A(r, p) (moved by the step's index vector) times op(B)(p, j) (the step's weight vector,
     * op(B)'s row repeated once per row of the group), added to the lane's sum.
     */
    static void tall(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                     int ldb, float[] c, int cOff, boolean accumulate) {
        int rows = L / GemmNarrow.groupWidth(n, k);
        int lanes = rows * n;
        Scratch scratch = SCRATCH.get();
        float[] indices = scratch.indices;
        float[] weights = scratch.weights;
        for (int p = 0; p < k; p++) {
            for (int t = 0; t < L; t++) {
                boolean used = t < lanes;
                int r = t / n;
                int j = t % n;
                indices[p * L + t] = used ? r * k + p : 0;
                weights[p * L + t] = used ? (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]) : 0f;
            }
        }
        int groups = m / rows;
        // Groups whose full-vector load of A and store of C stay inside the arrays.
        groups = Math.min(groups, fitting(a.length - aOff, rows * k));
        groups = Math.min(groups, fitting(c.length - cOff, lanes));
        // Whole blocks of four groups; the few rows after them take the scalar chain (a vector loop for them
        // would run so rarely that it stayed in the interpreter and C1, allocating, long after warm-up).
        groups -= groups % GROUPS_PER_BLOCK;
        int covered = groups * lanes;
        float[] saved = accumulate ? scratch.saved(covered) : null;
        if (accumulate) {
            System.arraycopy(c, cOff, saved, 0, covered);
        }
        tallGroups(groups, rows, lanes, k, alpha, a, aOff, indices, weights, c, cOff);
        if (accumulate) {
            // alpha·sum + C: the same bits as C + alpha·sum. The kernel only overwrites, which keeps it within
            // C2's node budget (with a branch per store it was not, and its vectors were boxed).
            for (int i = 0; i < covered; i++) {
                c[cOff + i] += saved[i];
            }
        }
        GemmNarrow.tallReference(transB, groups * rows, m, n, k, alpha, a, aOff, b, bOff, ldb, c, cOff, accumulate);
    }

    /** How many steps of {@code stride} floats, from 0 on, leave a full vector inside {@code available}. */
    private static int fitting(int available, int stride) {
        return available < L ? 0 : (available - L) / stride + 1;
    }

    private static void tallGroups(int groups, int rows, int lanes, int k, float alpha, float[] a, int aOff,
                                   float[] indices, float[] weights, float[] c, int cOff) {
        VectorMask<Float> store = S.indexInRange(0, lanes);
        int aStride = rows * k;
        // Four groups at a time: four independent chains hide the FMA latency, and each step's index
        // and weight vectors serve all four.
        for (int g = 0; g < groups; g += GROUPS_PER_BLOCK) {
            int ao = aOff + g * aStride;
            FloatVector x0 = FloatVector.fromArray(S, a, ao);
            FloatVector x1 = FloatVector.fromArray(S, a, ao + aStride);
            FloatVector x2 = FloatVector.fromArray(S, a, ao + 2 * aStride);
            FloatVector x3 = FloatVector.fromArray(S, a, ao + 3 * aStride);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                VectorShuffle<Float> index = FloatVector.fromArray(S, indices, p * L).toShuffle();
                FloatVector w = FloatVector.fromArray(S, weights, p * L);
                s0 = x0.rearrange(index).fma(w, s0);
                s1 = x1.rearrange(index).fma(w, s1);
                s2 = x2.rearrange(index).fma(w, s2);
                s3 = x3.rearrange(index).fma(w, s3);
            }
            int co = cOff + g * lanes;
            s0.mul(alpha).intoArray(c, co, store);
            s1.mul(alpha).intoArray(c, co + lanes, store);
            s2.mul(alpha).intoArray(c, co + 2 * lanes, store);
            s3.mul(alpha).intoArray(c, co + 3 * lanes, store);
        }
    }

    /**
     * An outer sum (see {@link GemmNarrow#outerSumReference}): the m·n elements of C in lanes, one
     * vector of them per pass over k; lane t of a pass holds element e = first + t, row e / n,
     * column e % n. Each step loads A's and B's row p and moves A(p, e / n) and B(p, e % n) into
     * lane t; four vectors of sums hold each lane's four chains (steps p mod 4).
     */
    static void outerSum(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        Scratch scratch = SCRATCH.get();
        float[] indices = scratch.indices;
        float[] sums = scratch.sums;
        int total = m * n;
        for (int first = 0; first < total; first += L) {
            int lanes = Math.min(L, total - first);
            int aBase = first / n; // A's lanes for this pass start here (they span fewer than L columns)
            for (int t = 0; t < L; t++) {
                int e = first + Math.min(t, lanes - 1);
                indices[t] = e / n - aBase;
                indices[L + t] = e % n;
            }
            int steps = Math.min(k, fitting(a.length - aOff - aBase, lda));
            steps = Math.min(steps, fitting(b.length - bOff, ldb));
            steps -= steps % GemmNarrow.OUTER_SUM_CHAINS;
            outerSumSteps(steps, a, aOff + aBase, lda, b, bOff, ldb, indices, sums);
            for (int t = 0; t < lanes; t++) {
                int i = (first + t) / n;
                int j = (first + t) % n;
                float sum = GemmNarrow.finishOuterSum(sums[t], sums[L + t], sums[2 * L + t], sums[3 * L + t], steps, k,
                        a, aOff + i, lda, b, bOff + j, ldb);
                int ci = cOff + i * ldc + j;
                float value = alpha * sum;
                c[ci] = accumulate ? c[ci] + value : value;
            }
        }
    }

    /** The four chains of each lane over {@code steps} (a multiple of 4) steps, into sums[0 .. 4L). */
    private static void outerSumSteps(int steps, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float[] indices, float[] sums) {
        VectorShuffle<Float> rowOfA = FloatVector.fromArray(S, indices, 0).toShuffle();
        VectorShuffle<Float> columnOfB = FloatVector.fromArray(S, indices, L).toShuffle();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        for (int p = 0; p < steps; p += 4) {
            int ap = aOff + p * lda;
            int bp = bOff + p * ldb;
            s0 = FloatVector.fromArray(S, a, ap).rearrange(rowOfA)
                    .fma(FloatVector.fromArray(S, b, bp).rearrange(columnOfB), s0);
            s1 = FloatVector.fromArray(S, a, ap + lda).rearrange(rowOfA)
                    .fma(FloatVector.fromArray(S, b, bp + ldb).rearrange(columnOfB), s1);
            s2 = FloatVector.fromArray(S, a, ap + 2 * lda).rearrange(rowOfA)
                    .fma(FloatVector.fromArray(S, b, bp + 2 * ldb).rearrange(columnOfB), s2);
            s3 = FloatVector.fromArray(S, a, ap + 3 * lda).rearrange(rowOfA)
                    .fma(FloatVector.fromArray(S, b, bp + 3 * ldb).rearrange(columnOfB), s3);
        }
        s0.intoArray(sums, 0);
        s1.intoArray(sums, L);
        s2.intoArray(sums, 2 * L);
        s3.intoArray(sums, 3 * L);
    }

    /** One thread's index and weight vectors, sized for the widest narrow product, and room for C. */
    private static final class Scratch {
        final float[] indices = new float[GemmNarrow.MAX_NARROW * L];
        final float[] weights = new float[GemmNarrow.MAX_NARROW * L];
        final float[] sums = new float[GemmNarrow.OUTER_SUM_CHAINS * L];
        private float[] saved = new float[0];

        /** {@return room for {@code size} floats of C kept aside while a tall product overwrites them; grown when short} */
        float[] saved(int size) {
            if (saved.length < size) {
                saved = new float[size];
            }
            return saved;
        }
    }
}
