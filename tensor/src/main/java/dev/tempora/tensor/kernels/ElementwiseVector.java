package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of {@link ElementwiseKernels}. One loop per op (a shared loop with the op as a
 * lambda would box the vectors once the call site went megamorphic); the tail after the last full
 * vector runs the op's scalar reference. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class ElementwiseVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private ElementwiseVector() {}

    static void unary(UnaryOp op, float p, float q, float[] x, int xo, float[] out, int oo, int n) {
        int bound = n - n % L;
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += L) load(x, xo + i).neg().intoArray(out, oo + i); }
            case EXP -> i = expRange(x, xo, out, oo, bound);
            case LOG -> i = logRange(x, xo, out, oo, bound);
            case SQRT -> { for (; i < bound; i += L) load(x, xo + i).sqrt().intoArray(out, oo + i); }
            case ABS -> { for (; i < bound; i += L) load(x, xo + i).abs().intoArray(out, oo + i); }
            case TANH -> i = tanhRange(x, xo, out, oo, bound);
            case SIGMOID -> i = sigmoidRange(x, xo, out, oo, bound);
            case RELU -> { for (; i < bound; i += L) load(x, xo + i).max(0f).intoArray(out, oo + i); }
            case ELU -> i = eluRange(x, xo, out, oo, bound, p);
            case SOFTPLUS -> i = softplusRange(x, xo, out, oo, bound, p, q);
            case CLAMP -> { for (; i < bound; i += L) load(x, xo + i).max(p).min(q).intoArray(out, oo + i); }
            case POW -> { } // rare: the scalar reference below does it, reproducibly
            case SQUARE -> { for (; i < bound; i += L) { FloatVector v = load(x, xo + i); v.mul(v).intoArray(out, oo + i); } }
            case RECIPROCAL -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) one.div(load(x, xo + i)).intoArray(out, oo + i);
            }
        }
        ElementwiseKernels.unaryReference(op, p, q, x, xo + i, 1, out, oo + i, n - i);
    }

    // One small method per transcendental op: each is its own compile unit, so C2 can inline the
    // whole VectorMath body and keep every vector in registers (one big switch exceeded its limits).

    private static int expRange(float[] x, int xo, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            VectorMath.exp(load(x, xo + i)).intoArray(out, oo + i);
        }
        return bound;
    }

    private static int logRange(float[] x, int xo, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            VectorMath.log(load(x, xo + i)).intoArray(out, oo + i);
        }
        return bound;
    }

    private static int tanhRange(float[] x, int xo, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            VectorMath.tanh(load(x, xo + i)).intoArray(out, oo + i);
        }
        return bound;
    }

    private static int sigmoidRange(float[] x, int xo, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            VectorMath.sigmoid(load(x, xo + i)).intoArray(out, oo + i);
        }
        return bound;
    }

    private static int eluRange(float[] x, int xo, float[] out, int oo, int bound, float alpha) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = load(x, xo + i);
            // Only lanes with x ≤ 0 keep the exponential branch, so the cheaper non-positive expm1 serves.
            FloatVector neg = VectorMath.expm1NonPositive(v).mul(alpha);
            neg.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
        }
        return bound;
    }

    private static int softplusRange(float[] x, int xo, float[] out, int oo, int bound, float beta, float threshold) {
        for (int i = 0; i < bound; i += L) {
            VectorMath.softplus(load(x, xo + i), beta, threshold).intoArray(out, oo + i);
        }
        return bound;
    }

    static void unaryBackward(UnaryOp op, float p, float q, float[] g, int go, float[] x, int xo,
                              float[] y, int yo, float[] out, int oo, int n) {
        int bound = n - n % L;
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += L) load(g, go + i).neg().intoArray(out, oo + i); }
            case EXP -> { for (; i < bound; i += L) load(g, go + i).mul(load(y, yo + i)).intoArray(out, oo + i); }
            case LOG -> { for (; i < bound; i += L) load(g, go + i).div(load(x, xo + i)).intoArray(out, oo + i); }
            case SQRT -> {
                for (; i < bound; i += L) load(g, go + i).mul(0.5f).div(load(y, yo + i)).intoArray(out, oo + i);
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    FloatVector yv = load(y, yo + i);
                    load(g, go + i).mul(yv.mul(yv).neg().add(1f)).intoArray(out, oo + i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += L) {
                    FloatVector yv = load(y, yo + i);
                    load(g, go + i).mul(yv.mul(yv.neg().add(1f))).intoArray(out, oo + i);
                }
            }
            case RELU -> {
                for (; i < bound; i += L) {
                    FloatVector gv = load(g, go + i);
                    gv.blend(0f, load(x, xo + i).compare(VectorOperators.LE, 0f)).intoArray(out, oo + i);
                }
            }
            case ELU -> {
                for (; i < bound; i += L) {
                    FloatVector gv = load(g, go + i);
                    VectorMask<Float> pos = load(x, xo + i).compare(VectorOperators.GT, 0f);
                    gv.mul(load(y, yo + i).add(p)).blend(gv, pos).intoArray(out, oo + i);
                }
            }
            case SQUARE -> { for (; i < bound; i += L) load(g, go + i).mul(load(x, xo + i).mul(2f)).intoArray(out, oo + i); }
            case RECIPROCAL -> {
                for (; i < bound; i += L) {
                    FloatVector yv = load(y, yo + i);
                    load(g, go + i).mul(yv.mul(yv)).neg().intoArray(out, oo + i);
                }
            }
            default -> { } // ABS, SOFTPLUS, CLAMP, POW: rare in training; the reference below does them.
        }
        ElementwiseKernels.unaryBackwardReference(op, p, q, g, go + i, x, xo + i, y, yo + i, out, oo + i, n - i);
    }

    static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        if (op == BinaryOp.POW) { // rare; the scalar reference keeps it reproducible
            ElementwiseKernels.binaryReference(op, a, ao, as, b, bo, bs, out, oo, n);
            return;
        }
        int bound = n - n % L;
        // One loop per stride pattern: a vector chosen by a conditional inside the loop would be boxed.
        if (as == 1 && bs == 1) {
            binaryDense(op, a, ao, b, bo, out, oo, bound);
        } else if (as == 1) {
            binaryScalarRight(op, a, ao, b[bo], out, oo, bound);
        } else if (bs == 1) {
            binaryScalarLeft(op, a[ao], b, bo, out, oo, bound);
        } else { // both broadcast: one value fills the run
            java.util.Arrays.fill(out, oo, oo + n, op.apply(a[ao], b[bo]));
            return;
        }
        ElementwiseKernels.binaryReference(op, a, ao + bound * as, as, b, bo + bound * bs, bs, out, oo + bound, n - bound);
    }

    private static void binaryDense(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int bound) {
        for (int i = 0; i < bound; i += L) {
            apply(op, load(a, ao + i), load(b, bo + i)).intoArray(out, oo + i);
        }
    }

    private static void binaryScalarRight(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int bound) {
        FloatVector bv = FloatVector.broadcast(S, b);
        for (int i = 0; i < bound; i += L) {
            apply(op, load(a, ao + i), bv).intoArray(out, oo + i);
        }
    }

    private static void binaryScalarLeft(BinaryOp op, float a, float[] b, int bo, float[] out, int oo, int bound) {
        FloatVector av = FloatVector.broadcast(S, a);
        for (int i = 0; i < bound; i += L) {
            apply(op, av, load(b, bo + i)).intoArray(out, oo + i);
        }
    }

    /**
     * Rows of at least one vector: vectors at 0, L, ... and a last one clamped to end at the row's
     * end, overlapping the one before (the output is another array, so the overlap is written twice
     * with the same value).
     */
    static void binaryRows(BinaryOp op, float[] a, int ao, int aRows, float[] b, int bo, int bRows,
                           float[] out, int oo, int rows, int n) {
        int last = n - L;
        int vectors = (n + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * aRows;
            int br = bo + r * bRows;
            int or = oo + r * n;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                apply(op, load(a, ar + j), load(b, br + j)).intoArray(out, or + j);
            }
        }
    }

    /**
     * In place, so the row's last vector, clamped to end at the row's end, adds the row with the
     * lanes the vector before already covered set to 0 (x + 0 is x): no lane is added twice.
     */
    static void addRowInPlace(float[] y, int yo, float[] row, int ro, int rows, int n) {
        int last = n - L;
        int full = n / L;
        FloatVector tail = load(row, ro + last).blend(0f, FloatVector.fromArray(S, Species.LANE_FLOATS, 0)
                .compare(VectorOperators.LT, full * L - last));
        for (int r = 0; r < rows; r++) {
            int yr = yo + r * n;
            for (int k = 0; k < full; k++) {
                load(y, yr + k * L).add(load(row, ro + k * L)).intoArray(y, yr + k * L);
            }
            if (full * L < n) {
                load(y, yr + last).add(tail).intoArray(y, yr + last);
            }
        }
    }

    /**
     * out = ELU(y + row) row by row, for rows of at least one vector: vectors at 0, L, 2L, ... and a
     * last one clamped to end at the row's end (out-of-place, so the overlap only writes the same
     * values again). One expm1 in one counted loop, as {@link #eluRange}.
     */
    static void addRowElu(float[] y, int yo, float[] row, int ro, float[] out, int oo, int rows, int n, float alpha) {
        int last = n - L;
        int vectors = (n + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int yr = yo + r * n;
            int or = oo + r * n;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector v = load(y, yr + j).add(load(row, ro + j));
                FloatVector neg = VectorMath.expm1NonPositive(v).mul(alpha);
                neg.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, or + j);
            }
        }
    }

    /**
     * out = ELU((y + row) + add[g]) with g = r / rowsPerAdd: {@link #addRowElu} with a second row that
     * changes every {@code rowsPerAdd} rows (a context broadcast over time).
     */
    static void addRowsElu(float[] y, int yo, float[] row, int ro, float[] add, int ao, int rowsPerAdd, float[] out,
                           int oo, int rows, int n, float alpha) {
        int last = n - L;
        int vectors = (n + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int yr = yo + r * n;
            int or = oo + r * n;
            int ar = ao + (r / rowsPerAdd) * n;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector v = load(y, yr + j).add(load(row, ro + j)).add(load(add, ar + j));
                FloatVector neg = VectorMath.expm1NonPositive(v).mul(alpha);
                neg.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, or + j);
            }
        }
    }

    // Inlined into the loop above; C2 unswitches on the loop-invariant op.
    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> throw new AssertionError("POW takes the scalar path");
            case MAXIMUM -> a.max(b);
            case MINIMUM -> a.min(b);
            case EQ -> mask(a.compare(VectorOperators.EQ, b));
            case NE -> mask(a.compare(VectorOperators.NE, b));
            case LT -> mask(a.compare(VectorOperators.LT, b));
            case LE -> mask(a.compare(VectorOperators.LE, b));
            case GT -> mask(a.compare(VectorOperators.GT, b));
            case GE -> mask(a.compare(VectorOperators.GE, b));
        };
    }

    static void where(float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs,
                      float[] out, int oo, int n) {
        int bound = n - n % L;
        if (as == 1 && bs == 1) {
            for (int i = 0; i < bound; i += L) {
                load(b, bo + i).blend(load(a, ao + i), load(c, co + i).compare(VectorOperators.NE, 0f)).intoArray(out, oo + i);
            }
        } else {
            // At least one broadcast scalar: read both as scalars-or-vectors through the reference.
            ElementwiseKernels.whereReference(c, co, 1, a, ao, as, b, bo, bs, out, oo, bound);
        }
        ElementwiseKernels.whereReference(c, co + bound, 1, a, ao + bound * as, as, b, bo + bound * bs, bs, out,
                oo + bound, n - bound);
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int bound = n - n % L;
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            load(x, xo + i).fma(va, load(y, yo + i)).intoArray(y, yo + i);
        }
        ElementwiseKernels.axpyReference(alpha, x, xo + i, y, yo + i, n - i);
    }

    static void scale(float alpha, float[] x, int xo, int n) {
        int bound = n - n % L;
        int i = 0;
        for (; i < bound; i += L) {
            load(x, xo + i).mul(alpha).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] *= alpha;
        }
    }

    static double sumOfSquares(float[] x, int xo, int n) {
        int bound = n - n % L;
        int i = 0;
        // Float lanes are summed into a double every block of 1024 to keep the error near double's.
        double total = 0;
        while (i < bound) {
            int blockEnd = Math.min(bound, i + 1024);
            FloatVector acc = FloatVector.zero(S);
            for (; i < blockEnd; i += L) {
                FloatVector v = load(x, xo + i);
                acc = v.fma(v, acc);
            }
            total += VectorMath.sum(acc);
        }
        return total + ElementwiseKernels.sumOfSquaresReference(x, xo + i, n - i);
    }

    static FloatVector sigmoid(FloatVector v) {
        return VectorMath.sigmoid(v);
    }

    private static FloatVector mask(VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(S, a, offset);
    }
}
