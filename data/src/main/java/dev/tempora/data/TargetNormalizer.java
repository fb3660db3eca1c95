package dev.tempora.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The target normalisers of PyTorch Forecasting, with its formulas:
 * <ul>
 *   <li>{@code GroupNormalizer}: per group of the {@code groups} columns, after the forward
 *       transformation, center = mean and scale = standard deviation (ddof 1, as pandas) + eps, where eps
 *       is float16's epsilon 2^-10 (PTF's {@code np.finfo(np.float16).eps}). Method "robust": center =
 *       median, scale = (q75 - q25) / 2 + eps. With {@code center=false}: center 0, scale = mean + eps. A
 *       group not seen in fitting gets the median of the groups' centers and scales. With no groups it
 *       fits one center and scale over all rows (population standard deviation, as numpy).</li>
 *   <li>{@code EncoderNormalizer}: refit on every window's encoder targets, in float32 as torch does:
 *       mean and standard deviation (ddof 1) + float32 epsilon.</li>
 *   <li>{@code TorchNormalizer}: one center and scale for the whole frame (method standard, robust or
 *       identity); with {@code center=false}, scale = mean (no eps, as PTF).</li>
 * </ul>
 * Normalising is {@code (forward(y) - center) / scale}; de-normalising a network output x is
 * {@code reverse(x * scale + center)}.
 */
public final class TargetNormalizer {

    /** Which of PTF's target normalisers. */
    public enum Kind {
        /** PTF's {@code GroupNormalizer}: a center and scale per series group. */
        GROUP,
        /** PTF's {@code EncoderNormalizer}: a center and scale per window, from its encoder. */
        ENCODER,
        /** PTF's {@code TorchNormalizer}: one center and scale for the whole frame. */
        TORCH
    }

    /** How center and scale are estimated. */
    public enum Method {
        /** Mean and standard deviation. */
        STANDARD,
        /** Median and interquartile range. */
        ROBUST,
        /** Center 0 and scale 1. */
        IDENTITY
    }

    /** float16's machine epsilon, PTF's eps for scales fitted on pandas data. */
    public static final double EPS16 = 0.0009765625;

    private final Kind kind;
    private final Method method;
    private final boolean center;
    private final Transformation transformation;
    private final List<String> groups;
    private final Integer maxLength;

    // fitted state
    private Map<List<String>, double[]> perGroup;
    private double[] global;
    private double[] missing;

    /**
     * An unfitted normaliser; {@code groups} matter for {@link Kind#GROUP} only, {@code maxLength} (PTF's {@code
     * max_length} of an EncoderNormalizer) for {@link Kind#ENCODER} only, null for none.
     */
    public TargetNormalizer(Kind kind, Method method, boolean center, Transformation transformation, List<String> groups,
                            Integer maxLength) {
        this.kind = kind;
        this.method = method;
        this.center = center;
        this.transformation = transformation;
        this.groups = kind == Kind.GROUP ? List.copyOf(groups) : List.of();
        this.maxLength = maxLength;
        if (kind == Kind.GROUP && method == Method.IDENTITY) {
            throw new IllegalArgumentException("GroupNormalizer: method must be \"standard\" or \"robust\"");
        }
    }

    /** PTF's {@code GroupNormalizer(groups, transformation)} with its defaults (standard, centered). */
    public static TargetNormalizer groupNormalizer(List<String> groups, Transformation transformation) {
        return new TargetNormalizer(Kind.GROUP, Method.STANDARD, true, transformation, groups, null);
    }

    /** PTF's {@code EncoderNormalizer(transformation)} with its defaults (standard, centered). */
    public static TargetNormalizer encoderNormalizer(Transformation transformation) {
        return new TargetNormalizer(Kind.ENCODER, Method.STANDARD, true, transformation, List.of(), null);
    }

    /** PTF's {@code TorchNormalizer(method="identity")}, what {@code target_normalizer=None} means. */
    public static TargetNormalizer identity() {
        return new TargetNormalizer(Kind.TORCH, Method.IDENTITY, true, Transformation.NONE, List.of(), null);
    }

    /** Which of PTF's normalisers this is. */
    public Kind kind() { return kind; }
    /** How center and scale are estimated. */
    public Method method() { return method; }
    /** PTF's {@code center}: false leaves the data uncentered and scales by the mean. */
    public boolean center() { return center; }
    /** The transformation applied before scaling. */
    public Transformation transformation() { return transformation; }
    /** The group columns of a {@link Kind#GROUP} normaliser (empty for the others). */
    public List<String> groups() { return groups; }

    /** PTF's class name. */
    public String typeName() {
        return switch (kind) {
            case GROUP -> "GroupNormalizer";
            case ENCODER -> "EncoderNormalizer";
            case TORCH -> "TorchNormalizer";
        };
    }

    /** Whether center and scale are known: an encoder normaliser needs no fit, the others after {@code fit}. */
    public boolean isFitted() {
        return kind == Kind.ENCODER || global != null || perGroup != null;
    }

    /** Forward transformation then scaling. */
    public double normalize(double y, double center, double scale, double eps) {
        return (transformation.forward(y, eps) - center) / scale;
    }

    /** De-normalises a network output: reverse(x * scale + center). */
    public double denormalize(double x, double center, double scale) {
        return transformation.reverse(x * scale + center);
    }

    // ------------------------------------------------------------------ fitting

    /**
     * Fits on the target values of the frame. {@code groupOfRow[i]} is row i's index into {@code groupKeys}
     * (the values of this normaliser's group columns); both are ignored without groups.
     */
    void fit(double[] y, int[] groupOfRow, List<List<String>> groupKeys) {
        double[] t = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            t[i] = transformation.forward(y[i], Transformation.EPS64);
        }
        if (kind == Kind.GROUP && !groups.isEmpty()) {
            int nGroups = groupKeys.size();
            int[] counts = new int[nGroups + 1];
            for (int g : groupOfRow) {
                counts[g + 1]++;
            }
            for (int g = 0; g < nGroups; g++) {
                counts[g + 1] += counts[g];
            }
            double[] byGroup = new double[y.length];
            int[] fill = counts.clone();
            for (int i = 0; i < y.length; i++) {
                byGroup[fill[groupOfRow[i]]++] = t[i];
            }
            perGroup = new HashMap<>();
            double[] centers = new double[nGroups];
            double[] scales = new double[nGroups];
            for (int g = 0; g < nGroups; g++) {
                int from = counts[g];
                int to = counts[g + 1];
                if (from == to) {
                    continue;
                }
                double c;
                double s;
                if (method == Method.STANDARD) {
                    c = Stats.mean(byGroup, from, to);
                    s = Stats.std(byGroup, from, to, 1) + EPS16;
                } else {
                    double[] sorted = java.util.Arrays.copyOfRange(byGroup, from, to);
                    java.util.Arrays.sort(sorted);
                    c = Stats.quantileSorted(sorted, 0.5);
                    s = (Stats.quantileSorted(sorted, 0.75) - Stats.quantileSorted(sorted, 0.25)) / 2.0 + EPS16;
                }
                if (!center) {
                    s = c + EPS16;
                    c = 0.0;
                }
                centers[g] = c;
                scales[g] = s;
                perGroup.put(List.copyOf(groupKeys.get(g)), new double[] {c, s});
            }
            missing = new double[] {Stats.nanMedian(centers), Stats.nanMedian(scales)};
            // A one-row group has no sample standard deviation: PTF fills it with the median when it
            // normalises (get_norm), so the same value serves as the group's parameter here.
            for (double[] p : perGroup.values()) {
                if (Double.isNaN(p[1])) {
                    p[1] = missing[1];
                }
            }
            return;
        }
        int n = t.length;
        double c;
        double s;
        switch (method) {
            case IDENTITY -> {
                c = 0.0;
                s = 1.0;
            }
            case STANDARD -> {
                c = Stats.mean(t, 0, n);
                s = Stats.std(t, 0, n, 0) + EPS16;
            }
            default -> {
                double[] sorted = t.clone();
                java.util.Arrays.sort(sorted);
                c = Stats.quantileSorted(sorted, 0.5);
                s = (Stats.quantileSorted(sorted, 0.75) - Stats.quantileSorted(sorted, 0.25)) / 2.0 + EPS16;
            }
        }
        if (!center && method != Method.IDENTITY) {
            s = kind == Kind.GROUP ? c + EPS16 : c;
            c = 0.0;
        }
        global = new double[] {c, s};
    }

    /** Center and scale for a series whose normaliser-group values are {@code key}; the groups' median if unseen. */
    public double[] parameters(List<String> key) {
        if (kind == Kind.ENCODER) {
            throw new IllegalStateException("an EncoderNormalizer has no fixed parameters; they are fitted per window");
        }
        if (perGroup != null) {
            double[] p = perGroup.get(key);
            return (p != null ? p : missing).clone();
        }
        if (global == null) {
            throw new IllegalStateException(typeName() + " is not fitted");
        }
        return global.clone();
    }

    /** Whether the key was seen in fitting (otherwise {@link #parameters} gives the median). */
    public boolean knows(List<String> key) {
        return perGroup == null || perGroup.containsKey(key);
    }

    /**
     * EncoderNormalizer: center and scale of {@code values[from, from+length)} after the forward
     * transformation, in float32 arithmetic's epsilon as torch computes them per window.
     */
    double[] fitWindow(float[] values, int from, int length) {
        int start = maxLength != null && length > maxLength ? from + length - maxLength : from;
        int n = from + length - start;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) transformation.forward(values[start + i], Transformation.EPS32);
        }
        double c;
        double s;
        switch (method) {
            case IDENTITY -> {
                return new double[] {0.0, 1.0};
            }
            case STANDARD -> {
                c = Stats.mean(t, 0, n);
                s = Stats.std(t, 0, n, 1) + Transformation.EPS32;
            }
            default -> {
                c = Stats.quantile(t, 0, n, 0.5);
                s = (Stats.quantile(t, 0, n, 0.75) - Stats.quantile(t, 0, n, 0.25)) / 2.0 + Transformation.EPS32;
            }
        }
        if (!center) {
            s = c;
            c = 0.0;
        }
        return new double[] {(float) c, (float) s};
    }

    /** The minimum encoder length this normaliser can fit on (PTF's EncoderNormalizer.min_length, but 2 for a standard deviation). */
    int minimumEncoderLength() {
        if (kind != Kind.ENCODER || method == Method.IDENTITY) {
            return 0;
        }
        return method == Method.STANDARD && center ? 2 : 1;
    }

    /** A GroupNormalizer with this one's settings over {@code groupIds}: how PTF approximates an EncoderNormalizer's inputs. */
    TargetNormalizer approximatingGroupNormalizer(List<String> groupIds) {
        return new TargetNormalizer(Kind.GROUP, method == Method.IDENTITY ? Method.STANDARD : method, center,
                transformation, groupIds, null);
    }

    // ------------------------------------------------------------------ JSON

    /** Parses a config's "target_normalizer": an object with "type", or null / "none" for identity. */
    @SuppressWarnings("unchecked")
    static TargetNormalizer fromSpec(Object spec, List<String> groupIds) {
        if (spec == null || "none".equals(spec)) {
            return identity();
        }
        if (spec instanceof String s) {
            spec = Map.of("type", s);
        }
        if (!(spec instanceof Map)) {
            throw new IllegalArgumentException("target_normalizer must be an object such as {\"type\": \"GroupNormalizer\", "
                    + "\"groups\": [...], \"transformation\": \"softplus\"}, got " + JsonValues.describe(spec));
        }
        Map<String, Object> m = (Map<String, Object>) spec;
        String where = "target_normalizer";
        String type = JsonValues.string(m, "type", where, null);
        Kind kind = switch (type) {
            case "GroupNormalizer" -> Kind.GROUP;
            case "EncoderNormalizer" -> Kind.ENCODER;
            case "TorchNormalizer" -> Kind.TORCH;
            default -> throw new IllegalArgumentException(where + ": unknown type \"" + type
                    + "\"; expected GroupNormalizer, EncoderNormalizer or TorchNormalizer");
        };
        Method method = switch (JsonValues.string(m, "method", where, "standard")) {
            case "standard" -> Method.STANDARD;
            case "robust" -> Method.ROBUST;
            case "identity" -> Method.IDENTITY;
            default -> throw new IllegalArgumentException(where + ": \"method\" must be standard, robust or identity");
        };
        if (JsonValues.bool(m, "scale_by_group", where, false)) {
            throw new IllegalArgumentException(where + ": scale_by_group is not supported");
        }
        if (m.get("method_kwargs") != null) {
            throw new IllegalArgumentException(where + ": method_kwargs is not supported (robust uses the quartiles)");
        }
        List<String> groups = JsonValues.strings(m, "groups", where);
        TargetNormalizer n = new TargetNormalizer(kind, method, JsonValues.bool(m, "center", where, true),
                Transformation.parse(JsonValues.optionalString(m, "transformation", where)), groups,
                JsonValues.optionalInteger(m, "max_length", where));
        if (m.containsKey("parameters") || m.containsKey("global")) {
            n.readFitted(m);
        }
        return n;
    }

    /** The settings and, when fitted, the parameters (per group: the group's values, center and scale). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", typeName());
        m.put("method", method.name().toLowerCase(Locale.ROOT));
        m.put("center", center);
        m.put("transformation", transformation.ptfName());
        if (kind == Kind.GROUP) {
            m.put("groups", groups);
        }
        if (maxLength != null) {
            m.put("max_length", (long) maxLength);
        }
        if (global != null) {
            m.put("global", List.of(global[0], global[1]));
        }
        if (perGroup != null) {
            List<Object> params = new ArrayList<>();
            List<Map.Entry<List<String>, double[]>> entries = new ArrayList<>(perGroup.entrySet());
            entries.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
            for (Map.Entry<List<String>, double[]> e : entries) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("group", e.getKey());
                p.put("center", e.getValue()[0]);
                p.put("scale", e.getValue()[1]);
                params.add(p);
            }
            m.put("parameters", params);
            m.put("missing", List.of(missing[0], missing[1]));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private void readFitted(Map<String, Object> m) {
        String where = "target_normalizer";
        if (m.get("global") instanceof List<?> g) {
            global = new double[] {((Number) g.get(0)).doubleValue(), ((Number) g.get(1)).doubleValue()};
        }
        if (m.get("parameters") != null) {
            perGroup = new HashMap<>();
            for (Object o : JsonValues.list(m, "parameters", where)) {
                Map<String, Object> p = (Map<String, Object>) o;
                perGroup.put(JsonValues.strings(p, "group", where), new double[] {JsonValues.number(p, "center", where),
                        JsonValues.number(p, "scale", where)});
            }
            List<Object> mm = JsonValues.list(m, "missing", where);
            missing = new double[] {((Number) mm.get(0)).doubleValue(), ((Number) mm.get(1)).doubleValue()};
        }
    }

    @Override
    public String toString() {
        return typeName() + "(method=" + method.name().toLowerCase(Locale.ROOT) + ", groups=" + groups + ", center=" + center
                + ", transformation=" + transformation.ptfName() + ")";
    }
}
