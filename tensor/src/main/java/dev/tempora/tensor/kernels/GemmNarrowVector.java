package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels of {@link GemmNarrow}: lanes are spent on several rows of C (a tall product)
 * or on every element of a small C (an outer sum), never on columns that are not there.
 *
 * <p>Lanes are moved with {@code selectFrom} by index vectors built once per call: float lane
 * numbers, one vector per step, which C2 turns into one permute each. Loads are full vectors; the
 * rows or steps whose vector would run past the end of an array go through the scalar chain of
 * {@link GemmNarrow}, which gives the same bits (masked accesses near an array's end would take
 * the Vector API's slow path). Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmNarrowVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;
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
        tallGroups(groups, rows, lanes, k, alpha, a, aOff, indices, weights, c, cOff, accumulate);
        GemmNarrow.tallReference(transB, groups * rows, m, n, k, alpha, a, aOff, b, bOff, ldb, c, cOff, accumulate);
    }

    /** How many steps of {@code stride} floats, from 0 on, leave a full vector inside {@code available}. */
    private static int fitting(int available, int stride) {
        return available < L ? 0 : (available - L) / stride + 1;
    }

    private static void tallGroups(int groups, int rows, int lanes, int k, float alpha, float[] a, int aOff,
                                   float[] indices, float[] weights, float[] c, int cOff, boolean accumulate) {
        VectorMask<Float> store = S.indexInRange(0, lanes);
        // Built from a count, not chosen by a branch: a vector picked by a branch would be boxed.
        VectorMask<Float> add = S.indexInRange(0, accumulate ? lanes : 0);
        int aStride = rows * k;
        for (int g = 0; g < groups; g++) {
            FloatVector x = FloatVector.fromArray(S, a, aOff + g * aStride);
            FloatVector sum = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector xp = FloatVector.fromArray(S, indices, p * L).selectFrom(x);
                sum = xp.fma(FloatVector.fromArray(S, weights, p * L), sum);
            }
            int co = cOff + g * lanes;
            sum = sum.mul(alpha);
            sum = sum.add(FloatVector.fromArray(S, c, co, add), add);
            sum.intoArray(c, co, store);
        }
    }

    /**
     * An outer sum (see {@link GemmNarrow#outerSumReference}): the m·n elements of C in lanes, one
     * vector of them per pass over k; lane t of a pass holds element e = first + t, row e / n,
     * column e % n. Each step loads A's and B's row p and moves A(p, e / n) and B(p, e % n) into
     * lane t, so every lane runs its element's chain in step order.
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
            outerSumSteps(steps, a, aOff + aBase, lda, b, bOff, ldb, indices, sums);
            for (int t = 0; t < lanes; t++) {
                int i = (first + t) / n;
                int j = (first + t) % n;
                float sum = GemmNarrow.continueOuterSum(sums[t], steps, k, a, aOff + i, lda, b, bOff + j, ldb);
                int ci = cOff + i * ldc + j;
                float value = alpha * sum;
                c[ci] = accumulate ? c[ci] + value : value;
            }
        }
    }

    private static void outerSumSteps(int steps, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float[] indices, float[] sums) {
        FloatVector rowOfA = FloatVector.fromArray(S, indices, 0);
        FloatVector columnOfB = FloatVector.fromArray(S, indices, L);
        FloatVector sum = FloatVector.zero(S);
        for (int p = 0; p < steps; p++) {
            FloatVector x = rowOfA.selectFrom(FloatVector.fromArray(S, a, aOff + p * lda));
            FloatVector y = columnOfB.selectFrom(FloatVector.fromArray(S, b, bOff + p * ldb));
            sum = x.fma(y, sum);
        }
        sum.intoArray(sums, 0);
    }

    /** One thread's index and weight vectors, sized for the widest narrow product. */
    private static final class Scratch {
        final float[] indices = new float[GemmNarrow.MAX_NARROW * L];
        final float[] weights = new float[GemmNarrow.MAX_NARROW * L];
        final float[] sums = new float[L];
    }
}
