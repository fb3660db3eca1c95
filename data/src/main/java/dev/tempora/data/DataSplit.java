package dev.tempora.data;

import dev.tempora.tensor.io.JsonKeys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a table is split by time into the rows a model trains on, the windows that validate each epoch
 * (early stopping, the choice of the best epoch) and, optionally, a held-out test that neither training
 * nor model selection ever sees. A config writes it in its "dataset" section:
 * <pre>{@code
 * "validation": {"training_cutoff": null, "predict": true, "windows": 1, "stride": null},
 * "test":       {"last_steps": 168}     // or {"cutoff": 5000}, or {"cutoff": "2023-08-25 00:00"}
 * }</pre>
 *
 * <p>The test comes off first: each series' last {@code last_steps} time steps, or every step after
 * {@code cutoff}. On what is left, validation is each series' last {@code windows} forecast windows,
 * {@code stride} steps apart (default: the horizon, so they do not overlap), and training keeps each
 * series' rows before its first validation step. With one window this is PTF's usual split
 * ({@code from_dataset(..., predict=True)}); with several, early stopping follows an average over
 * windows instead of one noisy window. A given {@code training_cutoff} is one time index for every
 * series, as in PTF; then {@code "predict": false} validates on every window after it.
 *
 * @param trainingCutoff    validation.training_cutoff: the last training time index of every series, or
 *                          null for each series' own (before its validation windows)
 * @param predictValidation validation.predict: validate on the last windows (true) or, with a
 *                          training_cutoff, on every window after the cutoff (false)
 * @param validationWindows validation.windows: forecast windows per series, at least 1
 * @param validationStride  validation.stride: steps between the validation windows' origins, or null for the horizon
 * @param test              the held-out test, or null for none
 */
public record DataSplit(Integer trainingCutoff, boolean predictValidation, int validationWindows, Integer validationStride,
                        TestSplit test) {

    /** The keys of the "dataset" section's "validation" entry. */
    static final Set<String> VALIDATION_KEYS = Set.of("training_cutoff", "predict", "windows", "stride");
    /** The keys of the "dataset" section's "test" entry. */
    static final Set<String> TEST_KEYS = Set.of("last_steps", "cutoff", "stride");

    /** Checks the values. */
    public DataSplit {
        if (validationWindows < 1) {
            throw new IllegalArgumentException("dataset.validation.windows must be at least 1, got " + validationWindows);
        }
        if (validationStride != null && validationStride < 1) {
            throw new IllegalArgumentException("dataset.validation.stride must be at least 1, got " + validationStride);
        }
        if (trainingCutoff != null && validationWindows > 1) {
            throw new IllegalArgumentException("dataset.validation: give either training_cutoff (one cutoff for every series) or "
                    + "windows (each series' last windows), not both");
        }
    }

    /**
     * The held-out test: each series' last {@code lastSteps} steps, or every step after {@code cutoff}.
     * Its windows are full forecast windows lying inside the test steps, {@code stride} steps apart and
     * counted back from each series' end.
     *
     * @param lastSteps the test steps at each series' end (at least the horizon), or null
     * @param cutoff    the last time index before the test, or null
     * @param cutoffText the cutoff as a timestamp string (resolved against the data's timestamps), or null
     * @param stride    steps between test origins, or null: the horizon with last_steps, 1 with a cutoff
     *                  (every origin, the long-horizon benchmarks' protocol)
     */
    public record TestSplit(Integer lastSteps, Long cutoff, String cutoffText, Integer stride) {

        /** Checks that exactly one of the three boundaries is given. */
        public TestSplit {
            int given = (lastSteps != null ? 1 : 0) + (cutoff != null ? 1 : 0) + (cutoffText != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("dataset.test needs exactly one of \"last_steps\" (steps held out at the end of "
                        + "each series) or \"cutoff\" (a time index or timestamp after which everything is test)");
            }
            if (lastSteps != null && lastSteps < 1) {
                throw new IllegalArgumentException("dataset.test.last_steps must be at least 1, got " + lastSteps);
            }
            if (stride != null && stride < 1) {
                throw new IllegalArgumentException("dataset.test.stride must be at least 1, got " + stride);
            }
        }

        /**
         * Each series' last {@code steps} steps, one window per horizon.
         *
         * @param steps the held-out steps per series
         * @return the test split
         */
        public static TestSplit lastSteps(int steps) {
            return new TestSplit(steps, null, null, null);
        }

        /**
         * Every step after a time index, every origin scored.
         *
         * @param timeIdx the last time index before the test
         * @return the test split
         */
        public static TestSplit after(long timeIdx) {
            return new TestSplit(null, timeIdx, null, null);
        }

        /**
         * The same test with another stride between origins.
         *
         * @param steps at least 1
         * @return the test split
         */
        public TestSplit withStride(int steps) {
            return new TestSplit(lastSteps, cutoff, cutoffText, steps);
        }

        /** {@return the stride used for a data set with horizon {@code horizon}} */
        int strideFor(int horizon) {
            return stride != null ? stride : lastSteps != null ? horizon : 1;
        }

        /** {@return a sentence for the user, e.g. "the last 168 steps of each series"} */
        public String describe() {
            return lastSteps != null ? "the last " + lastSteps + " steps of each series"
                    : "every step after " + (cutoff != null ? "time index " + cutoff : cutoffText);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (lastSteps != null) {
                m.put("last_steps", lastSteps.longValue());
            } else {
                m.put("cutoff", cutoff != null ? (Object) cutoff : cutoffText);
            }
            if (stride != null) {
                m.put("stride", stride.longValue());
            }
            return m;
        }

        static TestSplit fromJson(Map<String, Object> m) {
            JsonKeys.requireKnown(m, TEST_KEYS, "dataset.test");
            Integer last = JsonValues.optionalInteger(m, "last_steps", "dataset.test");
            Integer stride = JsonValues.optionalInteger(m, "stride", "dataset.test");
            Object cutoff = m.get("cutoff");
            if (cutoff == null) {
                return new TestSplit(last, null, null, stride);
            }
            if (cutoff instanceof Number n) {
                if (n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException("dataset.test.cutoff must be a whole time index or a timestamp string, got " + n);
                }
                return new TestSplit(last, n.longValue(), null, stride);
            }
            if (cutoff instanceof String s) {
                return new TestSplit(last, null, s, stride);
            }
            throw new IllegalArgumentException("dataset.test.cutoff must be a time index or a timestamp string, got "
                    + JsonValues.describe(cutoff));
        }
    }

    /**
     * The steps between validation origins for a data set with horizon {@code horizon}.
     *
     * @param horizon max_prediction_length
     * @return the given stride, or the horizon
     */
    public int validationStrideFor(int horizon) {
        return validationStride != null ? validationStride : horizon;
    }

    /** {@return PTF's usual split: each series' last horizon validates, nothing held out for a test} */
    public static DataSplit defaults() {
        return new DataSplit(null, true, 1, null, null);
    }

    /**
     * This split with another test.
     *
     * @param split the held-out test, or null for none
     * @return the split
     */
    public DataSplit withTest(TestSplit split) {
        return new DataSplit(trainingCutoff, predictValidation, validationWindows, validationStride, split);
    }

    /**
     * This split with several validation windows per series.
     *
     * @param windows at least 1
     * @param stride  steps between their origins, or null for the horizon
     * @return the split
     */
    public DataSplit withValidationWindows(int windows, Integer stride) {
        return new DataSplit(trainingCutoff, predictValidation, windows, stride, test);
    }

    /**
     * This split with one training cutoff for every series (PTF's {@code training_cutoff}).
     *
     * @param cutoff     the last training time index, or null for each series' own
     * @param lastWindow validate on each series' last window (true) or every window after the cutoff (false)
     * @return the split
     */
    public DataSplit withTrainingCutoff(Integer cutoff, boolean lastWindow) {
        return new DataSplit(cutoff, lastWindow, validationWindows, validationStride, test);
    }

    /**
     * Reads the "dataset" section's "validation" and "test" entries (either may be absent).
     *
     * @param validation the "validation" object, or null
     * @param test       the "test" object, or null
     * @return the split
     * @throws IllegalArgumentException for an unknown key (naming the closest) or a bad value
     */
    public static DataSplit fromJson(Map<String, Object> validation, Map<String, Object> test) {
        Map<String, Object> v = validation == null ? Map.of() : validation;
        JsonKeys.requireKnown(v, VALIDATION_KEYS, "dataset.validation");
        return new DataSplit(JsonValues.optionalInteger(v, "training_cutoff", "dataset.validation"),
                JsonValues.bool(v, "predict", "dataset.validation", true),
                JsonValues.integer(v, "windows", "dataset.validation", 1),
                JsonValues.optionalInteger(v, "stride", "dataset.validation"),
                test == null ? null : TestSplit.fromJson(test));
    }

    /** {@return the "validation" entry as a config writes it} */
    public Map<String, Object> validationJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("training_cutoff", trainingCutoff == null ? null : trainingCutoff.longValue());
        m.put("predict", predictValidation);
        m.put("windows", (long) validationWindows);
        m.put("stride", validationStride == null ? null : validationStride.longValue());
        return m;
    }

    /** {@return the "test" entry as a config writes it, or null without a test} */
    public Map<String, Object> testJson() {
        return test == null ? null : test.toJson();
    }

    /**
     * Reads back what {@link #toJson} wrote (model.json's "split" section).
     *
     * @param json {"validation": {...}, "test": {...} or absent}
     * @return the split
     */
    @SuppressWarnings("unchecked")
    public static DataSplit fromSplitJson(Map<String, Object> json) {
        return fromJson((Map<String, Object>) json.get("validation"), (Map<String, Object>) json.get("test"));
    }

    /** {@return {"validation": ..., "test": ...}: what a trained model records of its split} */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("validation", validationJson());
        if (test != null) {
            m.put("test", testJson());
        }
        return m;
    }
}
