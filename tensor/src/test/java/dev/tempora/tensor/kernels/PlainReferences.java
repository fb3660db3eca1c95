package dev.tempora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The GLU, weighted-sum and LSTM-cell equations written the plain way, in double precision with
 * {@link Math#exp} and {@link Math#tanh}: no {@link FloatMath}, no vectors, no fused loops. The kernel tests
 * compare both the fast path and the kernels' own float references with these, so a mistake shared by the
 * fast path and its reference (or a scalar run, where the two are the same code) still fails.
 */
final class PlainReferences {

    private PlainReferences() {}

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** GLU of one pair: a·σ(b). */
    static double glu(double a, double b) {
        return a * sigmoid(b);
    }

    /** ∂(a·σ(b))/∂a · g and ∂/∂b · g: {g·σ(b), g·a·σ(b)·(1 − σ(b))}. */
    static double[] gluBackward(double a, double b, double g) {
        double s = sigmoid(b);
        return new double[] {g * s, g * a * s * (1 - s)};
    }

    /** Σ_v w[v]·x[v]. */
    static double weightedSum(double[] w, double[] x) {
        double sum = 0;
        for (int v = 0; v < w.length; v++) {
            sum += w[v] * x[v];
        }
        return sum;
    }

    /**
     * One LSTM unit: from the pre-activations (zi, zf, zg, zo) and the previous cell state, torch's
     * i, f, g, o, c' = f·c + i·g and h' = o·tanh(c'), in that order.
     */
    static double[] lstmCell(double zi, double zf, double zg, double zo, double c) {
        double i = sigmoid(zi);
        double f = sigmoid(zf);
        double g = Math.tanh(zg);
        double o = sigmoid(zo);
        double cNew = f * c + i * g;
        return new double[] {i, f, g, o, cNew, o * Math.tanh(cNew)};
    }

    /**
     * The LSTM unit's backward from its activations: with tc = tanh(c') and dc = dcIn + dh·o·(1 − tc²),
     * returns {dzi, dzf, dzg, dzo, dcPrev} = {dc·g·i(1−i), dc·c·f(1−f), dc·i·(1−g²), dh·tc·o(1−o), dc·f}.
     */
    static double[] lstmCellBackward(double i, double f, double g, double o, double cPrev, double cNew, double dh,
                                     double dcIn) {
        double tc = Math.tanh(cNew);
        double dc = dcIn + dh * o * (1 - tc * tc);
        return new double[] {dc * g * i * (1 - i), dc * cPrev * f * (1 - f), dc * i * (1 - g * g),
            dh * tc * o * (1 - o), dc * f};
    }

    /**
     * Fails unless |actual − exact| ≤ 32·2⁻²⁴·scale + the smallest normal float: {@code scale} is the sum of
     * the magnitudes of the terms the float computation rounds (its forward error bound is a small multiple
     * of the unit roundoff times that sum), so a wrong operation fails and float rounding passes.
     */
    static void assertNear(double exact, float actual, double scale, String what) {
        double tolerance = 32 * KernelTestData.EPS * scale + Float.MIN_NORMAL;
        if (!(Math.abs(actual - exact) <= tolerance)) {
            fail(what + ": expected " + exact + " but got " + actual + " (off by " + Math.abs(actual - exact)
                    + ", allowed " + tolerance + ")");
        }
    }
}
