package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;

import java.util.Locale;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Checks analytic gradients against central finite differences computed in double precision.
 *
 * <p>The function's output y is projected onto a fixed random direction r, L = Σ rᵢyᵢ (summed in
 * double), so one backward (seeded with r) gives ∂L/∂x for every input coordinate. The numeric
 * derivative is the five-point stencil [L(x−2h) − 8L(x−h) + 8L(x+h) − L(x+2h)] / 12h in double,
 * whose truncation error is O(h⁴). The engine itself computes in float32; to keep every
 * perturbation exact, inputs are first rounded to a grid of 2⁻¹² and h is a power of two on that
 * grid, so x ± h and x ± 2h are exactly representable and the only noise left is float32 rounding of
 * the outputs (about 1e-7 relative), which the stencil divides by 12h/18.
 *
 * <p>A coordinate fails when |analytic − numeric| > atol + rtol·max(|analytic|, |numeric|), with
 * atol relative to the largest numeric gradient of that input. The defaults (rtol 1e-3, atol 1e-3
 * of the scale) reject a gradient that is wrong by 1% while passing float32 noise; the test suite
 * proves both. Keep inputs more than 2h away from kinks (relu, abs, max ties).
 */
public final class GradientChecker {

    private double step = 0x1.0p-6;
    private double rtol = 1e-3;
    private double atolFraction = 1e-3;
    private int maxCoordinates = 200;
    private long seed = 1234;

    /** Default settings: h = 2⁻⁶, rtol 1e-3, atol 1e-3 of each input's gradient scale. */
    public GradientChecker() {}

    /** The finite-difference step; a power of two between 2⁻¹⁰ and 2⁻². */
    public GradientChecker step(double h) {
        if (h < 0x1.0p-10 || h > 0.25 || Math.getExponent(h) != Math.log(h) / Math.log(2)) {
            throw new IllegalArgumentException("step must be a power of two in [2^-10, 2^-2], got " + h);
        }
        this.step = h;
        return this;
    }

    /**
     * The tolerances: a coordinate fails when |analytic − numeric| > atol + relative·max(|analytic|, |numeric|),
     * with atol = absoluteFractionOfScale · the input's largest numeric gradient.
     */
    public GradientChecker tolerance(double relative, double absoluteFractionOfScale) {
        this.rtol = relative;
        this.atolFraction = absoluteFractionOfScale;
        return this;
    }

    /** At most this many coordinates per input are perturbed (chosen at random, reproducibly). */
    public GradientChecker maxCoordinates(int n) {
        this.maxCoordinates = n;
        return this;
    }

    /** The seed that picks which coordinates are perturbed. */
    public GradientChecker seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * The outcome: whether every checked coordinate matched, the worst error relative to the larger of
     * the two gradients (or atol), and a readable report.
     */
    public record Result(boolean passed, double worstRelativeError, String report) {}

    /**
     * Differentiates {@code f} with respect to every input. Inputs are copied and rounded to the
     * grid; {@code f} must be deterministic (use a fixed dropout seed).
     */
    public Result check(Function<Variable[], Variable> f, Tensor... inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = quantize(inputs[i]);
        }
        Variable[] vars = new Variable[x.length];
        for (int i = 0; i < x.length; i++) {
            vars[i] = Variable.parameter(x[i]);
        }
        Variable y = f.apply(vars);
        RandomGenerator rng = Tensor.generator(seed);
        Tensor r = Tensor.randn(rng, y.shape());
        if (!y.requiresGrad()) {
            return new Result(false, Double.POSITIVE_INFINITY, "the output does not depend on any input");
        }
        y.backward(r);

        StringBuilder report = new StringBuilder();
        boolean passed = true;
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            Tensor analytic = vars[i].grad() == null ? Tensor.zeros(x[i].shape()) : vars[i].grad();
            float[] a = analytic.toFloatArray();
            float[] data = x[i].storage(); // contiguous copy made by quantize
            int n = data.length;
            int[] coords = chooseCoordinates(n, rng);
            double[] numeric = new double[coords.length];
            double scale = 0;
            for (int c = 0; c < coords.length; c++) {
                numeric[c] = derivative(f, x, r, data, coords[c]);
                scale = Math.max(scale, Math.abs(numeric[c]));
            }
            double atol = atolFraction * Math.max(scale, 1e-6);
            int failures = 0;
            for (int c = 0; c < coords.length; c++) {
                double an = a[coords[c]];
                double err = Math.abs(an - numeric[c]);
                double allowed = atol + rtol * Math.max(Math.abs(an), Math.abs(numeric[c]));
                worst = Math.max(worst, err / Math.max(Math.max(Math.abs(an), Math.abs(numeric[c])), atol));
                if (!(err <= allowed)) {
                    passed = false;
                    if (failures++ < 5) {
                        report.append(String.format(Locale.ROOT,
                                "input %d %s, element %d: analytic %.7g, numeric %.7g (|diff| %.3g > %.3g)%n",
                                i, java.util.Arrays.toString(x[i].shape()), coords[c], an, numeric[c], err, allowed));
                    }
                }
            }
            if (failures > 5) {
                report.append("input ").append(i).append(": ").append(failures - 5).append(" more mismatches\n");
            }
        }
        if (passed) {
            report.append("all gradients match");
        }
        return new Result(passed, worst, report.toString());
    }

    /**
     * Checks the gradients of a scalar-valued computation with respect to existing parameters (a
     * model's weights), perturbing them in place. Their values are first rounded to the checker's
     * grid (a change of at most 2⁻¹³ each); every parameter's gradient is reset. Deep float32 models
     * carry more rounding noise than single ops, so each numeric derivative is computed with steps h
     * and 2h and their difference is added to the allowed error: a gradient fails only when it is
     * wrong beyond what finite differences can resolve.
     *
     * @param loss   recomputes the output from the current parameter values (a scalar, or any shape,
     *               then projected on a random direction); must be deterministic
     * @param params the parameters to check, by name (names appear in the report)
     */
    public Result checkParameters(java.util.function.Supplier<Variable> loss, java.util.Map<String, Variable> params) {
        for (Variable p : params.values()) {
            p.value().copyFrom(quantize(p.value()));
            p.setGrad(null);
        }
        Variable l = loss.get();
        // A non-scalar output is projected on a random direction (summed in double), as in check().
        Tensor r = l.value().numel() == 1 ? Tensor.ones(l.shape()) : Tensor.randn(Tensor.generator(seed + 1), l.shape());
        l.backward(r);
        RandomGenerator rng = Tensor.generator(seed);
        StringBuilder report = new StringBuilder();
        boolean passed = true;
        double worst = 0;
        for (java.util.Map.Entry<String, Variable> e : params.entrySet()) {
            Variable p = e.getValue();
            Tensor value = p.value();
            if (!value.isContiguous()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is not contiguous");
            }
            float[] analytic = p.grad() == null ? new float[value.numel()] : p.grad().toFloatArray();
            float[] data = value.storage();
            int base = value.storageOffset();
            int[] coords = chooseCoordinates(value.numel(), rng);
            double[] numeric = new double[coords.length];
            double[] uncertainty = new double[coords.length];
            double scale = 0;
            for (int c = 0; c < coords.length; c++) {
                int index = base + coords[c];
                float original = data[index];
                // L at x + k·h for k = ±1, ±2, ±4: stencils with steps h and 2h.
                int[] ks = {-4, -2, -1, 1, 2, 4};
                double[] v = new double[ks.length];
                for (int k = 0; k < ks.length; k++) {
                    data[index] = (float) (original + ks[k] * step);
                    try (GradMode.Scope off = GradMode.noGrad()) {
                        v[k] = project(loss.get().value(), r);
                    }
                }
                data[index] = original;
                double fine = (v[1] - 8 * v[2] + 8 * v[3] - v[4]) / (12 * step);
                double coarse = (v[0] - 8 * v[1] + 8 * v[4] - v[5]) / (24 * step);
                numeric[c] = fine;
                // The two estimates differ by about the finite-difference error (float32 noise in a deep
                // model, curvature near kinks); a gradient is wrong only beyond that.
                uncertainty[c] = Math.abs(fine - coarse);
                scale = Math.max(scale, Math.abs(numeric[c]));
            }
            double atol = atolFraction * Math.max(scale, 1e-6);
            for (int c = 0; c < coords.length; c++) {
                double an = analytic[coords[c]];
                double err = Math.abs(an - numeric[c]);
                double allowed = atol + rtol * Math.max(Math.abs(an), Math.abs(numeric[c])) + uncertainty[c];
                worst = Math.max(worst, err / Math.max(Math.max(Math.abs(an), Math.abs(numeric[c])), atol));
                if (!(err <= allowed)) {
                    passed = false;
                    report.append(String.format(Locale.ROOT, "%s element %d: analytic %.7g, numeric %.7g ± %.2g%n",
                            e.getKey(), coords[c], an, numeric[c], uncertainty[c]));
                }
            }
        }
        if (passed) {
            report.append("all gradients match");
        }
        return new Result(passed, worst, report.toString());
    }

    /** {@link #check}, throwing {@link AssertionError} with the report on a mismatch. */
    public void assertGradientsMatch(Function<Variable[], Variable> f, Tensor... inputs) {
        Result r = check(f, inputs);
        if (!r.passed()) {
            throw new AssertionError("gradient check failed:\n" + r.report());
        }
    }

    private double derivative(Function<Variable[], Variable> f, Tensor[] x, Tensor r, float[] data, int index) {
        float original = data[index];
        double h = step;
        double lm2 = evaluate(f, x, r, data, index, (float) (original - 2 * h));
        double lm1 = evaluate(f, x, r, data, index, (float) (original - h));
        double lp1 = evaluate(f, x, r, data, index, (float) (original + h));
        double lp2 = evaluate(f, x, r, data, index, (float) (original + 2 * h));
        data[index] = original;
        return (lm2 - 8 * lm1 + 8 * lp1 - lp2) / (12 * h);
    }

    private static double project(Tensor y, Tensor r) {
        float[] yv = y.toFloatArray();
        float[] rv = r.toFloatArray();
        double sum = 0;
        for (int i = 0; i < yv.length; i++) {
            sum += (double) rv[i] * yv[i];
        }
        return sum;
    }

    private static double evaluate(Function<Variable[], Variable> f, Tensor[] x, Tensor r, float[] data, int index, float v) {
        data[index] = v;
        Variable[] constants = new Variable[x.length];
        for (int i = 0; i < x.length; i++) {
            constants[i] = Variable.constant(x[i]);
        }
        try (GradMode.Scope off = GradMode.noGrad()) {
            return project(f.apply(constants).value(), r);
        }
    }

    private int[] chooseCoordinates(int n, RandomGenerator rng) {
        if (n <= maxCoordinates) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return rng.ints(0, n).distinct().limit(maxCoordinates).sorted().toArray();
    }

    /** A contiguous copy rounded to multiples of 2⁻¹², so perturbations by h are exact. */
    static Tensor quantize(Tensor t) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i]) >= 0x1.0p11f) {
                throw new IllegalArgumentException("gradient-check inputs must be below 2048 in magnitude, got " + v[i]);
            }
            v[i] = Math.round(v[i] * 4096f) / 4096f;
        }
        return Tensor.wrap(v, t.shape());
    }
}
