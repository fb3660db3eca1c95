package dev.tempora.data;

import dev.tempora.tensor.io.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything fitted while building a training {@link TimeSeriesDataSet}: the parameters, the label
 * encoders (series ids and categorical variables), the target normaliser's per-group parameters, the
 * scalers of the real inputs and the time origin of a timestamp index. Saved with a model, it rebuilds
 * the same preprocessing on new data ({@link TimeSeriesDataSet#fromPreprocessing}), as PTF's
 * {@code from_parameters} does. Its JSON form is {@link #toJson()}.
 */
public final class Preprocessing {

    final DatasetParameters parameters;
    final Long timeOrigin;
    final Map<String, LabelEncoder> groupIdEncoders;
    final Map<String, LabelEncoder> categoricalEncoders;
    final TargetNormalizer targetNormalizer;
    final Map<String, RealScaler> scalers;

    Preprocessing(DatasetParameters parameters, Long timeOrigin, Map<String, LabelEncoder> groupIdEncoders,
                  Map<String, LabelEncoder> categoricalEncoders, TargetNormalizer targetNormalizer, Map<String, RealScaler> scalers) {
        this.parameters = parameters;
        this.timeOrigin = timeOrigin;
        this.groupIdEncoders = Map.copyOf(groupIdEncoders);
        this.categoricalEncoders = Map.copyOf(categoricalEncoders);
        this.targetNormalizer = targetNormalizer;
        this.scalers = Map.copyOf(scalers);
    }

    public DatasetParameters parameters() {
        return parameters;
    }

    /** Microseconds of time_idx 0 when the index comes from a timestamp column; null otherwise. */
    public Long timeOrigin() {
        return timeOrigin;
    }

    public TargetNormalizer targetNormalizer() {
        return targetNormalizer;
    }

    /** The label encoder of a categorical variable (a variable group has one encoder over all its columns). */
    public LabelEncoder encoder(String variable) {
        LabelEncoder e = categoricalEncoders.get(variable);
        if (e == null) {
            throw new IllegalArgumentException("no categorical variable '" + variable + "'; the categoricals are "
                    + categoricalEncoders.keySet());
        }
        return e;
    }

    /** The label encoder of a series id column (PTF's {@code __group_id__} encoders). */
    public LabelEncoder groupIdEncoder(String column) {
        return groupIdEncoders.get(column);
    }

    /** The scaler of a real variable. */
    public RealScaler scaler(String variable) {
        RealScaler s = scalers.get(variable);
        if (s == null) {
            throw new IllegalArgumentException("no scaled real variable '" + variable + "'; they are " + scalers.keySet());
        }
        return s;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "tempora-preprocessing-1");
        m.put("parameters", parameters.toJson());
        if (timeOrigin != null) {
            m.put("time_origin", TimestampColumn.formatMicros(timeOrigin));
            m.put("time_origin_micros", timeOrigin);
        }
        Map<String, Object> groups = new LinkedHashMap<>();
        groupIdEncoders.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> groups.put(e.getKey(), e.getValue().toJson()));
        m.put("group_id_encoders", groups);
        Map<String, Object> encoders = new LinkedHashMap<>();
        categoricalEncoders.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> encoders.put(e.getKey(), e.getValue().toJson()));
        m.put("categorical_encoders", encoders);
        m.put("target_normalizer", targetNormalizer.toJson());
        Map<String, Object> sc = new LinkedHashMap<>();
        scalers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sc.put(e.getKey(), e.getValue().toJson()));
        m.put("scalers", sc);
        return m;
    }

    public static Preprocessing fromJson(Map<String, Object> m) {
        String where = "preprocessing";
        if (!"tempora-preprocessing-1".equals(m.get("format"))) {
            throw new IllegalArgumentException(where + ": \"format\" must be \"tempora-preprocessing-1\", got "
                    + JsonValues.describe(m.get("format")));
        }
        DatasetParameters parameters = DatasetParameters.fromJson(JsonValues.object(m, "parameters", where));
        Long origin = m.get("time_origin_micros") instanceof Long l ? l : null;
        Map<String, LabelEncoder> groups = new LinkedHashMap<>();
        Map<String, Object> g = JsonValues.object(m, "group_id_encoders", where);
        if (g != null) {
            for (String k : g.keySet()) {
                groups.put(k, LabelEncoder.fromJson(JsonValues.object(g, k, where), k));
            }
        }
        Map<String, LabelEncoder> encoders = new LinkedHashMap<>();
        Map<String, Object> e = JsonValues.object(m, "categorical_encoders", where);
        if (e != null) {
            for (String k : e.keySet()) {
                encoders.put(k, LabelEncoder.fromJson(JsonValues.object(e, k, where), k));
            }
        }
        TargetNormalizer normalizer = TargetNormalizer.fromSpec(m.get("target_normalizer"), parameters.groupIds);
        Map<String, RealScaler> scalers = new LinkedHashMap<>();
        Map<String, Object> s = JsonValues.object(m, "scalers", where);
        if (s != null) {
            for (String k : s.keySet()) {
                scalers.put(k, RealScaler.fromJson(JsonValues.object(s, k, where), k));
            }
        }
        return new Preprocessing(parameters, origin, groups, encoders, normalizer, scalers);
    }

    /** Writes the JSON form atomically. */
    public void save(Path path) {
        dev.tempora.tensor.io.AtomicFiles.writeString(path, Json.writePretty(toJson()));
    }

    public static Preprocessing load(Path path) {
        try {
            return fromJson(Json.parseObject(dev.tempora.tensor.io.Utf8Files.read(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read the preprocessing: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }
}
