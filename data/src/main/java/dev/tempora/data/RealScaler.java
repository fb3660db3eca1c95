package dev.tempora.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scaling of a real input, as PTF's default scikit-learn scalers do it: {@code (x - center) / scale}.
 * {@link Kind#STANDARD} (PTF's default, {@code StandardScaler}): mean and population standard deviation
 * over all rows of the frame, not per series; {@link Kind#ROBUST} ({@code RobustScaler}): median and
 * interquartile range; {@link Kind#NONE}: unchanged. A constant column gets scale 1, as scikit-learn does.
 * {@link Kind#TARGET}: as the target's input is, by the target normaliser of the row's series (PTF scales lagged
 * targets so); the data set applies it, as it holds the normaliser.
 */
public record RealScaler(Kind kind, double center, double scale) {

    /** Which center and scale a scaler fits. */
    public enum Kind {
        /** scikit-learn's {@code StandardScaler}: mean and population standard deviation. */
        STANDARD,
        /** scikit-learn's {@code RobustScaler}: median and interquartile range. */
        ROBUST,
        /** No scaling. */
        NONE,
        /**
         * Scaled as the target's input is: the target normaliser's transformation, center and scale of the row's
         * series, for a column in the target's units (a lag or seasonal mean of the target), so that the network
         * reads it on the same scale as the target's history in every series.
         */
        TARGET
    }

    /** The scaler that leaves values unchanged. */
    public static final RealScaler IDENTITY = new RealScaler(Kind.NONE, 0.0, 1.0);

    /** Fits the kind of scaler on the values (NaN values are ignored, as scikit-learn does). */
    public static RealScaler fit(Kind kind, double[] values) {
        double[] x = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = x.length;
        if (kind == Kind.NONE || kind == Kind.TARGET || n == 0) {
            return new RealScaler(kind, 0.0, 1.0);
        }
        if (kind == Kind.STANDARD) {
            double mean = Stats.mean(x, 0, n);
            double std = Stats.std(x, 0, n, 0);
            double var = std * std;
            // scikit-learn's _is_constant_feature: variance within rounding error of zero gets scale 1
            double upper = n * Transformation.EPS64 * var + Math.pow(n * mean * Transformation.EPS64, 2);
            return new RealScaler(kind, mean, var <= upper ? 1.0 : std);
        }
        double[] sorted = x.clone();
        java.util.Arrays.sort(sorted);
        double median = Stats.quantileSorted(sorted, 0.5);
        double iqr = Stats.quantileSorted(sorted, 0.75) - Stats.quantileSorted(sorted, 0.25);
        return new RealScaler(kind, median, iqr < 10 * Transformation.EPS64 ? 1.0 : iqr);
    }

    /** (x − center) / scale; a {@link Kind#TARGET} scaler is applied by the data set, which holds the normaliser. */
    public double transform(double x) {
        if (kind == Kind.TARGET) {
            throw new IllegalStateException("a target scaler needs the series' target normaliser");
        }
        return (x - center) / scale;
    }

    /**
     * Reads a config's scaler for {@code variable} ("standard"/"StandardScaler", "robust"/"RobustScaler", "target",
     * "none" or null); anything else is an {@link IllegalArgumentException} naming the variable.
     */
    public static Kind parseKind(Object spec, String variable) {
        if (spec == null || "none".equals(spec) || "identity".equals(spec)) {
            return Kind.NONE;
        }
        if ("standard".equals(spec) || "StandardScaler".equals(spec)) {
            return Kind.STANDARD;
        }
        if ("robust".equals(spec) || "RobustScaler".equals(spec)) {
            return Kind.ROBUST;
        }
        if ("target".equals(spec)) {
            return Kind.TARGET;
        }
        throw new IllegalArgumentException("scaler for '" + variable + "': unknown scaler " + spec
                + "; expected \"standard\", \"robust\", \"target\" or \"none\"");
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", kind.name().toLowerCase(java.util.Locale.ROOT));
        m.put("center", center);
        m.put("scale", scale);
        return m;
    }

    static RealScaler fromJson(Map<String, Object> m, String variable) {
        return new RealScaler(parseKind(m.get("type"), variable), JsonValues.number(m, "center", variable),
                JsonValues.number(m, "scale", variable));
    }
}
