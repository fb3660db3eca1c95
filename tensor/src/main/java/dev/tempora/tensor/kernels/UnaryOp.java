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
    NEG {
        public float apply(float x, float p, float q) { return -x; }
        public float derivative(float x, float y, float p, float q) { return -1f; }
    },
    EXP {
        public float apply(float x, float p, float q) { return FloatMath.exp(x); }
        public float derivative(float x, float y, float p, float q) { return y; }
    },
    LOG {
        public float apply(float x, float p, float q) { return FloatMath.log(x); }
        public float derivative(float x, float y, float p, float q) { return 1f / x; }
        // g/x, not g·(1/x): 1/x overflows for subnormal x and would turn a zero gradient into NaN.
        public float backward(float g, float x, float y, float p, float q) { return g / x; }
    },
    SQRT {
        public float apply(float x, float p, float q) { return (float) Math.sqrt(x); }
        public float derivative(float x, float y, float p, float q) { return 0.5f / y; }
        public float backward(float g, float x, float y, float p, float q) { return g * 0.5f / y; }
    },
    ABS {
        public float apply(float x, float p, float q) { return Math.abs(x); }
        // PyTorch's convention: the subgradient at 0 is 0.
        public float derivative(float x, float y, float p, float q) { return Math.signum(x); }
    },
    TANH {
        public float apply(float x, float p, float q) { return FloatMath.tanh(x); }
        public float derivative(float x, float y, float p, float q) { return 1f - y * y; }
    },
    SIGMOID {
        public float apply(float x, float p, float q) { return FloatMath.sigmoid(x); }
        public float derivative(float x, float y, float p, float q) { return y * (1f - y); }
    },
    /** NaN propagates, and its gradient passes where x is NaN (as torch: clamp_min, threshold_backward). */
    RELU {
        public float apply(float x, float p, float q) { return Math.max(x, 0f); }
        public float derivative(float x, float y, float p, float q) { return x <= 0f ? 0f : 1f; }
    },
    /** alpha = p. */
    ELU {
        public float apply(float x, float p, float q) { return x > 0f ? x : p * FloatMath.expm1(x); }
        public float derivative(float x, float y, float p, float q) { return x > 0f ? 1f : y + p; }
    },
    /** beta = p, threshold = q: log(1 + exp(beta x)) / beta, linear above the threshold (as torch). */
    SOFTPLUS {
        public float apply(float x, float p, float q) {
            return FloatMath.softplus(x, p, q);
        }
        public float derivative(float x, float y, float p, float q) {
            return x * p > q ? 1f : FloatMath.sigmoid(p * x);
        }
    },
    /** min = p, max = q; the gradient passes where {@code min <= x <= max} (as torch). */
    CLAMP {
        public float apply(float x, float p, float q) { return Math.min(Math.max(x, p), q); }
        public float derivative(float x, float y, float p, float q) { return x >= p && x <= q ? 1f : 0f; }
    },
    /** exponent = p. */
    POW {
        public float apply(float x, float p, float q) { return FloatMath.pow(x, p); }
        public float derivative(float x, float y, float p, float q) {
            return p == 0f ? 0f : p * FloatMath.pow(x, p - 1f);
        }
    },
    SQUARE {
        public float apply(float x, float p, float q) { return x * x; }
        public float derivative(float x, float y, float p, float q) { return 2f * x; }
    },
    RECIPROCAL {
        public float apply(float x, float p, float q) { return 1f / x; }
        public float derivative(float x, float y, float p, float q) { return -y * y; }
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
