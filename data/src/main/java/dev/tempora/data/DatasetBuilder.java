package dev.tempora.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a frame into a {@link TimeSeriesDataSet}'s arrays: sorts rows by series and time, fits (or
 * reuses) the encoders, target normaliser and scalers, and precomputes the normalised inputs as
 * row-major float matrices so that a window's inputs are one contiguous run.
 */
final class DatasetBuilder {

    private final Frame frame;
    private final DatasetParameters p;
    private final Preprocessing fitted;
    private final String source;
    /** Microseconds of time index 0 with a timestamp column (for messages), else null. */
    private Long timeOrigin;

    // results
    int[] time;
    float[] target;
    /** Each kept row's weight (PTF's weight column), or null when there is none. */
    float[] weight;
    float[] reals;
    float[] categoricals;
    int[] seriesStart;
    String[][] seriesGroupValues;
    float[][] seriesGroupCodes;
    float[] seriesTargetScale;
    List<String> realNames;
    List<String> flatCategoricalNames;
    Preprocessing preprocessing;
    long minPredictionIdx;
    final List<String> warnings = new ArrayList<>();

    DatasetBuilder(Frame frame, DatasetParameters parameters, Preprocessing fitted) {
        this.frame = frame;
        this.p = parameters;
        this.fitted = fitted;
        this.source = frame.source();
    }

    DatasetBuilder build() {
        if (frame.rowCount() == 0) {
            throw new IllegalArgumentException(source + ": the table is empty (no rows)");
        }
        // ---- time index
        Long origin = null;
        long[] rawTime = new long[frame.rowCount()];
        if (p.timestamp != null) {
            Column c = frame.column(p.timestamp);
            if (!(c instanceof TimestampColumn ts)) {
                throw new IllegalArgumentException(source + ": column '" + p.timestamp + "' (timestamp) holds " + c.type().label()
                        + " values, expected timestamps");
            }
            requireComplete(ts, "timestamp");
            origin = fitted != null && fitted.timeOrigin != null ? fitted.timeOrigin : Arrays.stream(ts.micros).min().orElseThrow();
            timeOrigin = origin;
            for (int i = 0; i < rawTime.length; i++) {
                long k = p.frequency.periods(origin, ts.micros[i]);
                if (k == Long.MIN_VALUE) {
                    throw new IllegalArgumentException(source + ": column '" + p.timestamp + "' row " + i + ": "
                            + TimestampColumn.formatMicros(ts.micros[i]) + " is not a whole number of '" + p.frequency
                            + "' steps from " + TimestampColumn.formatMicros(origin));
                }
                rawTime[i] = k;
            }
        } else {
            Column c = frame.column(p.timeIdx);
            if (c.type() != ColumnType.INT && c.type() != ColumnType.LONG) {
                throw new IllegalArgumentException(source + ": column '" + p.timeIdx + "' (time_idx) must hold integers, "
                        + "found " + c.type().label() + (c.type() == ColumnType.TIMESTAMP
                        ? "; for a timestamp column give \"timestamp\" and \"frequency\" instead" : ""));
            }
            requireComplete(c, "time_idx");
            for (int i = 0; i < rawTime.length; i++) {
                rawTime[i] = (long) c.getDouble(i);
            }
        }
        for (long t : rawTime) {
            if (t < Integer.MIN_VALUE / 2 || t > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException(source + ": time index " + t + " is out of range (|time_idx| < 2^30)");
            }
        }
        long dataMin = Arrays.stream(rawTime).min().orElseThrow();
        minPredictionIdx = p.minPredictionIdx != null ? p.minPredictionIdx : dataMin;

        // ---- rows kept: PTF drops rows that no window predicting at or after min_prediction_idx can use
        long lowest = minPredictionIdx - p.maxEncoderLength;
        int[] kept = new int[rawTime.length];
        int nKept = 0;
        for (int i = 0; i < rawTime.length; i++) {
            if (rawTime[i] >= lowest) {
                kept[nKept++] = i;
            }
        }
        if (nKept == 0) {
            throw new IllegalArgumentException(source + ": no row has time_idx >= min_prediction_idx - max_encoder_length = " + lowest);
        }
        kept = Arrays.copyOf(kept, nKept);

        // ---- series: group id codes, then sort rows by series and time
        Map<String, LabelEncoder> groupEncoders = new LinkedHashMap<>();
        int k = p.groupIds.size();
        int[][] groupCodeOfRow = new int[k][];
        for (int g = 0; g < k; g++) {
            String name = p.groupIds.get(g);
            Column c = frame.column(name);
            requireComplete(c, "group id");
            List<String> values = distinctText(c, kept);
            LabelEncoder base = fitted != null ? fitted.groupIdEncoders.get(name) : null;
            LabelEncoder encoder = base == null ? LabelEncoder.fit(values, false)
                    : LabelEncoder.ofClasses(base.classes(), false).extend(values);
            groupEncoders.put(name, encoder);
            groupCodeOfRow[g] = encodeRows(c, kept, encoder);
        }
        long[] composite = new long[nKept];
        long radix = 1;
        for (int g = k - 1; g >= 0; g--) {
            int card = groupEncoders.get(p.groupIds.get(g)).cardinality();
            for (int i = 0; i < nKept; i++) {
                composite[i] += groupCodeOfRow[g][i] * radix;
            }
            if (radix > Long.MAX_VALUE / Math.max(1, card) / 2) {
                throw new IllegalArgumentException(source + ": too many combinations of group ids " + p.groupIds);
            }
            radix *= Math.max(1, card);
        }
        long[] distinct = Arrays.stream(composite).distinct().sorted().toArray();
        int series = distinct.length;
        int[] seriesOfKept = new int[nKept];
        for (int i = 0; i < nKept; i++) {
            seriesOfKept[i] = Arrays.binarySearch(distinct, composite[i]);
        }
        seriesStart = new int[series + 1];
        for (int s : seriesOfKept) {
            seriesStart[s + 1]++;
        }
        for (int s = 0; s < series; s++) {
            seriesStart[s + 1] += seriesStart[s];
        }
        long[] packed = new long[nKept]; // per series: (time - lowest) << 32 | kept position, sorted
        int[] fill = Arrays.copyOf(seriesStart, series);
        for (int i = 0; i < nKept; i++) {
            packed[fill[seriesOfKept[i]]++] = ((rawTime[kept[i]] - lowest) << 32) | i;
        }
        int[] order = new int[nKept]; // sorted position -> original frame row
        time = new int[nKept];
        seriesGroupValues = new String[series][k];
        seriesGroupCodes = new float[series][k];
        for (int s = 0; s < series; s++) {
            Arrays.sort(packed, seriesStart[s], seriesStart[s + 1]);
            for (int r = seriesStart[s]; r < seriesStart[s + 1]; r++) {
                int keptPosition = (int) packed[r];
                order[r] = kept[keptPosition];
                time[r] = (int) ((packed[r] >>> 32) + lowest);
            }
            int firstKept = (int) packed[seriesStart[s]];
            for (int g = 0; g < k; g++) {
                int code = groupCodeOfRow[g][firstKept];
                seriesGroupCodes[s][g] = code;
                seriesGroupValues[s][g] = groupEncoders.get(p.groupIds.get(g)).decode(code);
            }
            for (int r = seriesStart[s] + 1; r < seriesStart[s + 1]; r++) {
                int step = time[r] - time[r - 1];
                if (step == 0) {
                    throw new IllegalArgumentException(source + ": series " + seriesName(s) + " has two rows at " + at(time[r]));
                }
                if (step != 1 && !p.allowMissingTimesteps) {
                    throw new IllegalArgumentException(source + ": series " + seriesName(s) + " jumps from " + at(time[r - 1])
                            + " to " + at(time[r]).substring("time_idx ".length()) + "; set \"allow_missing_timesteps\": true to forward-fill gaps");
                }
            }
        }

        // ---- categoricals
        Map<String, LabelEncoder> encoders = new LinkedHashMap<>();
        flatCategoricalNames = p.flatCategoricals();
        for (String variable : p.categoricals()) {
            List<String> columns = p.variableGroups.getOrDefault(variable, List.of(variable));
            LabelEncoder encoder = fitted != null ? fitted.categoricalEncoders.get(variable) : null;
            if (encoder == null) {
                List<String> values = new ArrayList<>();
                for (String column : columns) {
                    values.addAll(distinctText(categoricalColumn(column, variable), order));
                }
                encoder = LabelEncoder.fit(values, p.addNan.contains(variable));
            }
            encoders.put(variable, encoder);
        }
        int nCat = flatCategoricalNames.size();
        categoricals = new float[nKept * nCat];
        for (int j = 0; j < nCat; j++) {
            String column = flatCategoricalNames.get(j);
            String variable = variableOf(column);
            StringColumn c = categoricalColumn(column, variable);
            LabelEncoder encoder = encoders.get(variable);
            int[] codeOfDictionary = new int[c.dictionary.length];
            for (int d = 0; d < codeOfDictionary.length; d++) {
                codeOfDictionary[d] = encoder.encode(c.dictionary[d]);
            }
            for (int r = 0; r < nKept; r++) {
                int d = c.codes[order[r]];
                int code = d < 0 ? encoder.encode(null) : codeOfDictionary[d];
                if (code < 0) {
                    String value = d < 0 ? null : c.dictionary[d];
                    if (value != null && fitted != null && p.groupIds.contains(column)) {
                        // A whole series the training rows never held: say why that happens, not only the category.
                        throw new IllegalArgumentException(source + ": series " + seriesName(seriesOfSorted(r)) + " is not among the "
                                + "series the model trained on ('" + column + "' holds '" + value + "', a category not seen in "
                                + "training). A series with too few steps before its validation and test steps has no training "
                                + "window and is left out of training, so it cannot be validated or forecast either; drop it, give "
                                + "it a longer history, or give \"categorical_encoders\": {\"" + variable + "\": {\"add_nan\": true}} "
                                + "to forecast unseen series from a nan class");
                    }
                    throw new IllegalArgumentException(source + ": column '" + column + "' of series " + seriesName(seriesOfSorted(r))
                            + " at " + at(time[r]) + (value == null ? " is missing" : " holds '" + value + "', a category not seen in training")
                            + "; give the variable \"categorical_encoders\": {\"" + variable + "\": {\"add_nan\": true}} to map such values to a nan class");
                }
                categoricals[r * nCat + j] = code;
            }
        }

        // ---- target
        Column targetColumn = frame.numeric(p.target, "target");
        double[] y = new double[nKept];
        for (int r = 0; r < nKept; r++) {
            double v = targetColumn.getDouble(order[r]);
            if (!Double.isFinite(v)) {
                int s = seriesOfSorted(r);
                int bad = 0;
                for (int q = 0; q < nKept; q++) {
                    if (!Double.isFinite(targetColumn.getDouble(order[q]))) {
                        bad++;
                    }
                }
                throw new IllegalArgumentException(source + ": the target '" + p.target + "' has " + bad + " missing or non-finite values "
                        + "(the first in series " + seriesName(s) + " at " + at(time[r]) + "); fill or drop them first: give the config's "
                        + "data section \"fill_missing\": {\"target\": \"forward\" | \"zero\" | \"linear\" | \"drop_series\"} "
                        + "(TrainingJob.Builder.fillMissing in the library)");
            }
            y[r] = v;
        }
        checkTargetRange(y, time);
        target = new float[nKept];
        for (int r = 0; r < nKept; r++) {
            target[r] = (float) y[r];
        }
        weight = readWeights(order, nKept);

        // ---- target normaliser
        TargetNormalizer normalizer = fitted != null ? fitted.targetNormalizer : resolveNormalizer(y);
        for (String g : normalizer.groups()) {
            if (!p.groupIds.contains(g)) {
                throw new IllegalArgumentException("target_normalizer: group '" + g + "' must be one of the group_ids " + p.groupIds);
            }
        }
        if (normalizer.kind() == TargetNormalizer.Kind.ENCODER && p.minEncoderLength < normalizer.minimumEncoderLength()) {
            throw new IllegalArgumentException("target_normalizer: an EncoderNormalizer fits a standard deviation on each encoder, "
                    + "so min_encoder_length must be at least " + normalizer.minimumEncoderLength() + ", got " + p.minEncoderLength);
        }
        TargetNormalizer inputNormalizer = normalizer.kind() == TargetNormalizer.Kind.ENCODER
                ? normalizer.approximatingGroupNormalizer(p.groupIds) : normalizer;
        int[] groupOfRow = new int[nKept];
        List<List<String>> keyOfSeries = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            keyOfSeries.add(normalizerKey(inputNormalizer, s));
            Arrays.fill(groupOfRow, seriesStart[s], seriesStart[s + 1], s);
        }
        checkTargetDomain(y, time, normalizer.transformation());
        if (!inputNormalizer.isFitted() || inputNormalizer != normalizer) {
            inputNormalizer.fit(y, groupOfRow, dedupe(keyOfSeries, groupOfRow));
        }
        double[] normalizedTarget = new double[nKept];
        double[] centerOfRow = new double[nKept];
        double[] scaleOfRow = new double[nKept];
        seriesTargetScale = new float[series * 2];
        for (int s = 0; s < series; s++) {
            double[] params = inputNormalizer.parameters(keyOfSeries.get(s));
            if (normalizer.kind() != TargetNormalizer.Kind.ENCODER) {
                seriesTargetScale[2 * s] = (float) params[0];
                seriesTargetScale[2 * s + 1] = (float) params[1];
            }
            for (int r = seriesStart[s]; r < seriesStart[s + 1]; r++) {
                normalizedTarget[r] = inputNormalizer.normalize(y[r], params[0], params[1], Transformation.EPS64);
                centerOfRow[r] = params[0];
                scaleOfRow[r] = params[1];
            }
        }

        // ---- reals, in PTF's order
        List<String> staticReals = new ArrayList<>(p.staticReals);
        if (p.addEncoderLength) {
            staticReals.add("encoder_length");
        }
        if (p.addTargetScales) {
            staticReals.add(p.target + "_center");
            staticReals.add(p.target + "_scale");
        }
        List<String> knownReals = new ArrayList<>(p.knownReals);
        if (p.addRelativeTimeIdx) {
            knownReals.add("relative_time_idx");
        }
        realNames = new ArrayList<>(staticReals);
        realNames.addAll(knownReals);
        realNames.addAll(p.unknownReals);
        int nReal = realNames.size();
        Map<String, RealScaler> scalers = new LinkedHashMap<>();
        reals = new float[nKept * nReal];
        double[] values = new double[nKept];
        for (int j = 0; j < nReal; j++) {
            String name = realNames.get(j);
            boolean isTarget = name.equals(p.target);
            if (isTarget) {
                System.arraycopy(normalizedTarget, 0, values, 0, nKept);
            } else if (name.equals("encoder_length") || name.equals("relative_time_idx")) {
                Arrays.fill(values, 0.0); // set per window
            } else if (p.addTargetScales && name.equals(p.target + "_center")) {
                System.arraycopy(centerOfRow, 0, values, 0, nKept);
            } else if (p.addTargetScales && name.equals(p.target + "_scale")) {
                System.arraycopy(scaleOfRow, 0, values, 0, nKept);
            } else if (name.equals(p.timeIdx) && p.timestamp != null) {
                for (int r = 0; r < nKept; r++) {
                    values[r] = time[r];
                }
            } else {
                Column c = frame.numeric(name, "real variable");
                for (int r = 0; r < nKept; r++) {
                    values[r] = c.getDouble(order[r]);
                }
            }
            if (!isTarget) {
                RealScaler scaler = fitted != null ? fitted.scalers.get(name) : null;
                if (scaler == null) {
                    RealScaler.Kind kind = name.equals("encoder_length") || name.equals("relative_time_idx")
                            ? RealScaler.Kind.STANDARD : p.scalers.getOrDefault(name, RealScaler.Kind.STANDARD);
                    scaler = RealScaler.fit(kind, values);
                }
                scalers.put(name, scaler);
                if (scaler.kind() == RealScaler.Kind.TARGET) {
                    if (normalizer.kind() == TargetNormalizer.Kind.ENCODER) {
                        throw new IllegalArgumentException("scalers: '" + name + "' is scaled as the target, which needs a "
                                + "GroupNormalizer or TorchNormalizer: an EncoderNormalizer refits on every window's encoder; "
                                + "use a GroupNormalizer by the group ids, or scale '" + name + "' with \"standard\"");
                    }
                    checkDomain(values, time, normalizer.transformation(), "'" + name + "' (scaled as the target)",
                            "scale '" + name + "' with \"standard\"");
                    for (int r = 0; r < nKept; r++) {
                        values[r] = inputNormalizer.normalize(values[r], centerOfRow[r], scaleOfRow[r], Transformation.EPS64);
                    }
                } else {
                    for (int r = 0; r < nKept; r++) {
                        values[r] = scaler.transform(values[r]);
                    }
                }
            }
            for (int r = 0; r < nKept; r++) {
                float v = (float) values[r];
                if (!Float.isFinite(v)) {
                    int bad = 0;
                    for (double x : values) {
                        bad += Float.isFinite((float) x) ? 0 : 1;
                    }
                    throw new IllegalArgumentException(source + ": real variable '" + name + "' has " + bad + " missing or non-finite values"
                            + " (the first in series " + seriesName(seriesOfSorted(r)) + " at " + at(time[r])
                            + "); NA values are not allowed: fill them (the config's data section \"fill_missing\": {\"covariates\": \"forward\"}, "
                            + "or {\"columns\": {\"" + name + "\": ...}}; TrainingJob.Builder.fillMissing in the library), or drop the variable");
                }
                reals[r * nReal + j] = v;
            }
        }
        // As PTF's get_parameters, the saved parameters carry the min_prediction_idx in effect (the data's first time by default).
        DatasetParameters saved = fitted != null ? fitted.parameters : p.with("min_prediction_idx", minPredictionIdx);
        preprocessing = new Preprocessing(saved, origin, groupEncoders, encoders, normalizer, scalers);
        return this;
    }

    private TargetNormalizer resolveNormalizer(double[] y) {
        Object spec = p.targetNormalizerSpec();
        if (!"auto".equals(spec)) {
            return TargetNormalizer.fromSpec(spec, p.groupIds);
        }
        // PTF's _get_auto_normalizer: log for a positive target skewed above 2.5, relu if positive, else none
        boolean positive = Arrays.stream(y).allMatch(v -> v > 0);
        Transformation t = positive ? (Stats.skew(y) > 2.5 ? Transformation.LOG : Transformation.RELU) : Transformation.NONE;
        if (p.maxEncoderLength > 20 && p.minEncoderLength > 1) {
            return TargetNormalizer.encoderNormalizer(t);
        }
        return new TargetNormalizer(TargetNormalizer.Kind.GROUP, TargetNormalizer.Method.STANDARD, true, t, List.of(), null);
    }

    private List<String> normalizerKey(TargetNormalizer n, int s) {
        List<String> key = new ArrayList<>();
        for (String g : n.groups()) {
            key.add(seriesGroupValues[s][p.groupIds.indexOf(g)]);
        }
        return key;
    }

    /** Maps group-of-row from series to distinct normaliser keys (series sharing a key form one group). */
    private static List<List<String>> dedupe(List<List<String>> keyOfSeries, int[] groupOfRow) {
        Map<List<String>, Integer> index = new HashMap<>();
        List<List<String>> keys = new ArrayList<>();
        int[] groupOfSeries = new int[keyOfSeries.size()];
        for (int s = 0; s < keyOfSeries.size(); s++) {
            Integer g = index.get(keyOfSeries.get(s));
            if (g == null) {
                g = keys.size();
                index.put(keyOfSeries.get(s), g);
                keys.add(keyOfSeries.get(s));
            }
            groupOfSeries[s] = g;
        }
        for (int r = 0; r < groupOfRow.length; r++) {
            groupOfRow[r] = groupOfSeries[groupOfRow[r]];
        }
        return keys;
    }

    private String variableOf(String column) {
        for (Map.Entry<String, List<String>> e : p.variableGroups.entrySet()) {
            if (e.getValue().contains(column)) {
                return e.getKey();
            }
        }
        return column;
    }

    private StringColumn categoricalColumn(String column, String variable) {
        Column c = frame.column(column);
        if (!(c instanceof StringColumn s)) {
            throw new IllegalArgumentException(source + ": categorical column '" + column + "'"
                    + (variable.equals(column) ? "" : " (of variable group '" + variable + "')") + " holds " + c.type().label()
                    + " values; categoricals must be strings, as in PTF: declare the column's type as \"string\" "
                    + "(data.dtypes) or convert it with a \"to_string\" derived column");
        }
        return s;
    }

    /** A time index for a message, with its timestamp when the data set has a timestamp column. */
    private String at(long time) {
        return TimeLabels.timeIndex(p, timeOrigin, time);
    }

    private void requireComplete(Column c, String role) {
        int missing = c.missingCount();
        if (missing > 0) {
            throw new IllegalArgumentException(source + ": column '" + c.name() + "' (" + role + ") has " + missing + " missing values");
        }
    }

    private static List<String> distinctText(Column c, int[] rows) {
        if (c instanceof StringColumn s) {
            boolean[] used = new boolean[s.dictionary.length];
            for (int r : rows) {
                if (s.codes[r] >= 0) {
                    used[s.codes[r]] = true;
                }
            }
            List<String> out = new ArrayList<>();
            for (int d = 0; d < used.length; d++) {
                if (used[d]) {
                    out.add(s.dictionary[d]);
                }
            }
            return out;
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (int r : rows) {
            out.add(c.format(r));
        }
        return new ArrayList<>(out);
    }

    private static int[] encodeRows(Column c, int[] rows, LabelEncoder encoder) {
        int[] out = new int[rows.length];
        if (c instanceof StringColumn s) {
            int[] codeOfDictionary = new int[s.dictionary.length];
            for (int d = 0; d < codeOfDictionary.length; d++) {
                codeOfDictionary[d] = encoder.encode(s.dictionary[d]);
            }
            for (int i = 0; i < rows.length; i++) {
                out[i] = codeOfDictionary[s.codes[rows[i]]];
            }
            return out;
        }
        Map<String, Integer> cache = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            out[i] = cache.computeIfAbsent(c.format(rows[i]), encoder::encode);
        }
        return out;
    }

    /**
     * PTF's weight column, per kept row: finite and 0 or more (a negative weight would reward the error). A
     * data set built on fitted preprocessing (validation, forecasting) may lack the column: forecasting needs
     * no weights; without the column its losses weigh every step 1.
     */
    private float[] readWeights(int[] order, int nKept) {
        if (p.weight == null || (fitted != null && !frame.has(p.weight))) {
            return null;
        }
        Column column = frame.numeric(p.weight, "weight");
        float[] out = new float[nKept];
        for (int r = 0; r < nKept; r++) {
            double v = column.getDouble(order[r]);
            if (!(v >= 0 && v <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException(source + ": the weight column '" + p.weight + "' is " + v + " in series "
                        + seriesName(seriesOfSorted(r)) + " at time_idx " + time[r] + "; weights must be finite and 0 or more");
            }
            out[r] = (float) v;
        }
        return out;
    }

    /**
     * Refuses a target value too large for the float tensors the model trains on (or whose square, in the
     * normaliser's variance, would overflow), naming the value itself rather than a derived column.
     */
    private void checkTargetRange(double[] y, int[] time) {
        for (int r = 0; r < y.length; r++) {
            if (Math.abs(y[r]) > Float.MAX_VALUE / 2) {
                throw new IllegalArgumentException(source + ": the target '" + p.target + "' is " + y[r] + " in series "
                        + seriesName(seriesOfSorted(r)) + " at " + at(time[r]) + ", beyond what the model's 32-bit floats "
                        + "hold (about 1.7e38); fix the value, or rescale the target");
            }
        }
    }

    /** Refuses a target value the target normaliser's transformation cannot take, naming it. */
    private void checkTargetDomain(double[] y, int[] time, Transformation transformation) {
        checkDomain(y, time, transformation, "the target '" + p.target + "'", "choose another transformation");
    }

    /** Refuses a value (NaN aside: the missing-value check names it) outside the transformation's domain. */
    private void checkDomain(double[] values, int[] time, Transformation transformation, String what, String otherwise) {
        for (int r = 0; r < values.length; r++) {
            if (!Double.isNaN(values[r]) && !Double.isFinite(transformation.forward(values[r], Transformation.EPS64))) {
                throw new IllegalArgumentException(source + ": " + what + " is " + values[r] + " in series "
                        + seriesName(seriesOfSorted(r)) + " at " + at(time[r]) + ", but the target_normalizer's "
                        + transformation.label() + " transformation takes " + transformation.domain()
                        + "; fix the value, or " + otherwise);
            }
        }
    }

    private int seriesOfSorted(int row) {
        int s = Arrays.binarySearch(seriesStart, row);
        if (s < 0) {
            s = -s - 2;
        }
        while (s + 1 < seriesStart.length - 1 && seriesStart[s + 1] == row) {
            s++;
        }
        return s;
    }

    String seriesName(int s) {
        if (p.groupIds.isEmpty()) {
            return "(the only series)";
        }
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < p.groupIds.size(); g++) {
            sb.append(g == 0 ? "" : ", ").append(p.groupIds.get(g)).append('=').append(seriesGroupValues[s][g]);
        }
        return sb.toString();
    }
}
