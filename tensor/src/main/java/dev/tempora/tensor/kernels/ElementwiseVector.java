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
            case EXP -> { for (; i < bound; i += L) load(x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i); }
            case LOG -> { for (; i < bound; i += L) load(x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i); }
            case SQRT -> { for (; i < bound; i += L) load(x, xo + i).sqrt().intoArray(out, oo + i); }
            case ABS -> { for (; i < bound; i += L) load(x, xo + i).abs().intoArray(out, oo + i); }
            case TANH -> { for (; i < bound; i += L) load(x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i); }
            case SIGMOID -> { for (; i < bound; i += L) sigmoid(load(x, xo + i)).intoArray(out, oo + i); }
            case RELU -> { for (; i < bound; i += L) load(x, xo + i).max(0f).intoArray(out, oo + i); }
            case ELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = load(x, xo + i);
                    FloatVector neg = v.lanewise(VectorOperators.EXPM1).mul(p);
                    neg.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
                }
            }
            case SOFTPLUS -> {
                for (; i < bound; i += L) {
                    FloatVector v = load(x, xo + i);
                    FloatVector bx = v.mul(p);
                    // Clamp before exp so lanes above the threshold (which take x) never overflow.
                    FloatVector soft = bx.min(q).lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P).div(p);
                    soft.blend(v, bx.compare(VectorOperators.GT, q)).intoArray(out, oo + i);
                }
            }
            case CLAMP -> { for (; i < bound; i += L) load(x, xo + i).max(p).min(q).intoArray(out, oo + i); }
            case POW -> {
                for (; i < bound; i += L) load(x, xo + i).lanewise(VectorOperators.POW, p).intoArray(out, oo + i);
            }
            case SQUARE -> { for (; i < bound; i += L) { FloatVector v = load(x, xo + i); v.mul(v).intoArray(out, oo + i); } }
            case RECIPROCAL -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) one.div(load(x, xo + i)).intoArray(out, oo + i);
            }
        }
        ElementwiseKernels.unaryReference(op, p, q, x, xo + i, 1, out, oo + i, n - i);
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
        int bound = n - n % L;
        int i = 0;
        // A zero stride is a broadcast scalar: load it once as a vector and keep it in a register.
        FloatVector av = as == 0 ? FloatVector.broadcast(S, a[ao]) : null;
        FloatVector bv = bs == 0 ? FloatVector.broadcast(S, b[bo]) : null;
        for (; i < bound; i += L) {
            FloatVector va = av != null ? av : load(a, ao + i);
            FloatVector vb = bv != null ? bv : load(b, bo + i);
            apply(op, va, vb).intoArray(out, oo + i);
        }
        ElementwiseKernels.binaryReference(op, a, ao + i * as, as, b, bo + i * bs, bs, out, oo + i, n - i);
    }

    // Inlined into the loop above; C2 unswitches on the loop-invariant op.
    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.lanewise(VectorOperators.POW, b);
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
        int i = 0;
        FloatVector av = as == 0 ? FloatVector.broadcast(S, a[ao]) : null;
        FloatVector bv = bs == 0 ? FloatVector.broadcast(S, b[bo]) : null;
        for (; i < bound; i += L) {
            FloatVector va = av != null ? av : load(a, ao + i);
            FloatVector vb = bv != null ? bv : load(b, bo + i);
            vb.blend(va, load(c, co + i).compare(VectorOperators.NE, 0f)).intoArray(out, oo + i);
        }
        ElementwiseKernels.whereReference(c, co + i, 1, a, ao + i * as, as, b, bo + i * bs, bs, out, oo + i, n - i);
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
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        return total + ElementwiseKernels.sumOfSquaresReference(x, xo + i, n - i);
    }

    static FloatVector sigmoid(FloatVector v) {
        return FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    private static FloatVector mask(VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(S, a, offset);
    }
}
