package dev.tempora.data;

import java.util.Locale;

/**
 * The target transformations of PyTorch Forecasting's {@code TransformMixIn}: {@link #forward} is applied
 * before a normaliser fits and scales, {@link #reverse} to a de-normalised network output. The formulas
 * are PTF's, including its quirks: log1p reverses with exp (PTF's "reverse"; {@link #inverse} is expm1),
 * and softplus' forward is the inverse softplus {@code y + ln(-expm1(-(y + eps)))} for y ≤ 20 and the
 * identity above, so that a zero target stays finite.
 *
 * <p>{@code eps} is the machine epsilon of the precision PTF computes in at that point: float64
 * (2.220446049250313e-16) when the dataset is preprocessed, float32 (1.1920929e-7) in the per-window
 * EncoderNormalizer.
 */
public enum Transformation {
    NONE, LOG, LOG1P, LOGIT, COUNT, SOFTPLUS, RELU, SQRT;

    /** Machine epsilon of float64, as PTF uses while preprocessing pandas data. */
    public static final double EPS64 = Math.ulp(1.0);
    /** Machine epsilon of float32, as PTF uses on torch tensors. */
    public static final double EPS32 = Math.ulp(1.0f);

    /** Parses PTF's name ("softplus", "log", ...; null or "none" for no transformation). */
    public static Transformation parse(String name) {
        if (name == null) {
            return NONE;
        }
        for (Transformation t : values()) {
            if (t.label().equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transformation '" + name
                + "'; expected one of none, log, log1p, logit, count, softplus, relu, sqrt");
    }

    /** PTF's name; null for NONE. */
    public String ptfName() {
        return this == NONE ? null : label();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The target values this transformation takes, for error messages.
     *
     * @return e.g. "values of 0 or more"; "any finite value" for those defined everywhere
     */
    public String domain() {
        return switch (this) {
            case LOG -> "values of 0 or more (log of a negative value is undefined)";
            case SOFTPLUS -> "values of 0 or more (the inverse softplus of a negative value is undefined)";
            case SQRT -> "values of 0 or more";
            case LOG1P -> "values above -1";
            case NONE, RELU, COUNT, LOGIT -> "any finite value";
        };
    }

    /** The forward transformation with the given machine epsilon. */
    public double forward(double y, double eps) {
        return switch (this) {
            case NONE, RELU -> y;
            case LOG -> Math.max(Math.log(y), -1.0 / eps);
            case LOG1P -> Math.log1p(y);
            case LOGIT -> {
                double x = Math.min(Math.max(y, eps), 1.0 - eps);
                yield Math.log(x) - Math.log1p(-x);
            }
            case COUNT -> y + 1.0;
            case SOFTPLUS -> y > 20.0 ? y : y + Math.log(-Math.expm1(-(y + eps)));
            case SQRT -> Math.sqrt(y);
        };
    }

    /** What PTF applies to a de-normalised network output (its "reverse"). */
    public double reverse(double x) {
        return switch (this) {
            case NONE -> x;
            case LOG, LOG1P -> Math.exp(x);
            case LOGIT -> Math.min(Math.max(1.0 / (1.0 + Math.exp(-x)), Float.MIN_NORMAL), 1.0 - EPS32);
            case COUNT, SOFTPLUS -> softplus(x);
            case RELU -> Math.max(0.0, x);
            case SQRT -> x * x;
        };
    }

    /** The exact inverse of {@link #forward} where PTF names one ("inverse"), else {@link #reverse}. */
    public double inverse(double x) {
        return switch (this) {
            case LOG1P -> Math.expm1(x);
            case COUNT -> x - 1.0;
            case RELU -> x;
            default -> reverse(x);
        };
    }

    /** torch.nn.functional.softplus with beta 1 and threshold 20. */
    public static double softplus(double x) {
        return x > 20.0 ? x : Math.log1p(Math.exp(x));
    }
}
