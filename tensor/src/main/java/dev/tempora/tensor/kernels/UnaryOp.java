package dev.tempora.tensor.kernels;

/**
 * Element-wise functions of one tensor. Each constant carries its own scalar reference: the value
 * {@link #apply} and the derivative {@link #derivative} (given the input {@code x} and the output
 * {@code y}, whichever is cheaper). Transcendentals use {@link FloatMath}, so results are the same
 * in every run. The SIMD versions live in {@link ElementwiseVector}, one {@code case} per constant,
 * and are tested against these.
 *
 * <p>Parameters {@code p} and {@code q}: ELU's alpha; softplus's beta and threshold; clamp's min and
 * max; pow's exponent. Unused otherwise.
 */
public enum UnaryOp {
    /** −x. */
    NEG {
        @Override public float apply(float x, float p, float q) { return -x; }
        @Override public float derivative(float x, float y, float p, float q) { return -1f; }
    },
    /** e^x. */
    EXP {
        @Override public float apply(float x, float p, float q) { return FloatMath.exp(x); }
        @Override public float derivative(float x, float y, float p, float q) { return y; }
    },
    /** The natural logarithm. */
    LOG {
        @Override public float apply(float x, float p, float q) { return FloatMath.log(x); }
        @Override public float derivative(float x, float y, float p, float q) { return 1f / x; }
        // g/x, not g·(1/x): 1/x overflows for subnormal x and would turn a zero gradient into NaN.
        @Override public float backward(float g, float x, float y, float p, float q) { return g / x; }
    },
    /** The square root. */
    SQRT {
        @Override public float apply(float x, float p, float q) { return (float) Math.sqrt(x); }
        @Override public float derivative(float x, float y, float p, float q) { return 0.5f / y; }
        @Override public float backward(float g, float x, float y, float p, float q) { return g * 0.5f / y; }
    },
    /** |x|. */
    ABS {
        @Override public float apply(float x, float p, float q) { return Math.abs(x); }
        // PyTorch's convention: the subgradient at 0 is 0.
        @Override public float derivative(float x, float y, float p, float q) { return Math.signum(x); }
    },
    /** The hyperbolic tangent. */
    TANH {
        @Override public float apply(float x, float p, float q) { return FloatMath.tanh(x); }
        @Override public float derivative(float x, float y, float p, float q) { return 1f - y * y; }
    },
    /** The logistic function 1 / (1 + e^−x). */
    SIGMOID {
        @Override public float apply(float x, float p, float q) { return FloatMath.sigmoid(x); }
        @Override public float derivative(float x, float y, float p, float q) { return y * (1f - y); }
    },
    /** NaN propagates, and its gradient passes where x is NaN (as torch: clamp_min, threshold_backward). */
    RELU {
        @Override public float apply(float x, float p, float q) { return Math.max(x, 0f); }
        @Override public float derivative(float x, float y, float p, float q) { return x <= 0f ? 0f : 1f; }
    },
    /** alpha = p. */
    ELU {
        @Override public float apply(float x, float p, float q) { return x > 0f ? x : p * FloatMath.expm1(x); }
        @Override public float derivative(float x, float y, float p, float q) { return x > 0f ? 1f : y + p; }
    },
    /** beta = p, threshold = q: log(1 + exp(beta x)) / beta, linear above the threshold (as torch). */
    SOFTPLUS {
        @Override public float apply(float x, float p, float q) {
            return FloatMath.softplus(x, p, q);
        }
        @Override public float derivative(float x, float y, float p, float q) {
            return x * p > q ? 1f : FloatMath.sigmoid(p * x);
        }
    },
    /** min = p, max = q; the gradient passes where {@code min <= x <= max} (as torch). */
    CLAMP {
        @Override public float apply(float x, float p, float q) { return Math.min(Math.max(x, p), q); }
        @Override public float derivative(float x, float y, float p, float q) { return x >= p && x <= q ? 1f : 0f; }
    },
    /** exponent = p. */
    POW {
        @Override public float apply(float x, float p, float q) { return FloatMath.pow(x, p); }
        @Override public float derivative(float x, float y, float p, float q) {
            return p == 0f ? 0f : p * FloatMath.pow(x, p - 1f);
        }
    },
    /** x². */
    SQUARE {
        @Override public float apply(float x, float p, float q) { return x * x; }
        @Override public float derivative(float x, float y, float p, float q) { return 2f * x; }
    },
    /** 1 / x. */
    RECIPROCAL {
        @Override public float apply(float x, float p, float q) { return 1f / x; }
        @Override public float derivative(float x, float y, float p, float q) { return -y * y; }
    };

    /** The scalar reference value f(x). */
    public abstract float apply(float x, float p, float q);

    /** The scalar reference derivative f'(x), given x and y = f(x). */
    public abstract float derivative(float x, float y, float p, float q);

    /**
     * The scalar reference gradient g·f'(x), rounded exactly as the SIMD backward rounds it (and as
     * torch computes it); {@code g * derivative(...)} unless an op says otherwise.
     */
    public float backward(float g, float x, float y, float p, float q) {
        return g * derivative(x, y, p, q);
    }
}
