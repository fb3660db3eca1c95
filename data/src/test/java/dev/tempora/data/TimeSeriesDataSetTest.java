package dev.tempora.data;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeSeriesDataSetTest {

    /** One series "a" with time 0..n-1 and target 10, 11, ... plus a constant category. */
    static Frame series(int... times) {
        int n = times.length;
        double[] y = new double[n];
        String[] ids = new String[n];
        String[] cat = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = 10 + times[i];
            ids[i] = "a";
            cat[i] = times[i] % 2 == 0 ? "even" : "odd";
        }
        return new Frame("test", List.of(new IntColumn("t", times), StringColumn.of("id", ids), new DoubleColumn("y", y),
                StringColumn.of("parity", cat)));
    }

    static int[] range(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    static DatasetParameters params(String extra) {
        String normalizer = extra.contains("target_normalizer") ? "" : ", \"target_normalizer\": null";
        return DatasetParameters.fromJson(Json.parseObject("{\"time_idx\": \"t\", \"target\": \"y\", \"group_ids\": [\"id\"], "
                + "\"time_varying_unknown_reals\": [\"y\"]" + normalizer + extra + "}"));
    }

    /** (first time, encoder length, decoder length) of every window, sorted. */
    static List<String> windows(TimeSeriesDataSet ds) {
        List<String> out = new ArrayList<>();
        for (int w = 0; w < ds.size(); w++) {
            TimeSeriesDataSet.Window x = ds.window(w);
            out.add(x.firstTimeIdx() + ":" + x.encoderLength() + "+" + x.decoderLength());
        }
        out.sort(null);
        return out;
    }

    @Test
    void windowsAreDrawnAsPtfDrawsThem() {
        // max sequence 5, min sequence 3: starts 0..7 (the last ones shortened by the series' end), plus
        // windows of 3 and 4 steps from the series' first row.
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(series(range(10)), params(", \"min_encoder_length\": 1, "
                + "\"max_encoder_length\": 3, \"min_prediction_length\": 2, \"max_prediction_length\": 2"));
        assertEquals(List.of("0:1+2", "0:2+2", "0:3+2", "1:3+2", "2:3+2", "3:3+2", "4:3+2", "5:3+2", "6:2+2", "7:1+2"), windows(ds));
    }

    @Test
    void minPredictionIdxCutsWindowsAsPtf() {
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(series(range(10)), params(", \"min_encoder_length\": 1, "
                + "\"max_encoder_length\": 3, \"min_prediction_length\": 2, \"max_prediction_length\": 2, \"min_prediction_idx\": 7"));
        assertEquals(List.of("4:3+2", "5:3+2", "6:2+2", "7:1+2"), windows(ds));
        assertEquals(6, ds.rowCount()); // rows before min_prediction_idx - max_encoder_length are dropped
    }

    @Test
    void predictModeKeepsTheLastFullWindow() {
        TimeSeriesDataSet train = TimeSeriesDataSet.create(series(range(8)), params(", \"min_encoder_length\": 1, "
                + "\"max_encoder_length\": 3, \"min_prediction_length\": 1, \"max_prediction_length\": 2"));
        TimeSeriesDataSet predict = TimeSeriesDataSet.fromDataset(train, series(range(10)), true);
        assertEquals(List.of("5:3+2"), windows(predict));
        // a series too short for the full encoder still gets its longest window
        TimeSeriesDataSet shortPredict = TimeSeriesDataSet.fromDataset(train, series(range(4)), true);
        assertEquals(List.of("0:2+2"), windows(shortPredict));
    }

    @Test
    void gapsAreForwardFilledWhenAllowed() {
        Frame f = series(0, 1, 2, 4, 5, 6);
        String lengths = ", \"min_encoder_length\": 2, \"max_encoder_length\": 2, \"max_prediction_length\": 1";
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(f, params(lengths)));
        assertTrue(e.getMessage().contains("id=a") && e.getMessage().contains("jumps from time_idx 2 to 4")
                && e.getMessage().contains("allow_missing_timesteps"), e.getMessage());
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(f, params(lengths + ", \"allow_missing_timesteps\": true"));
        assertEquals(List.of("0:2+1", "2:2+1", "4:2+1"), windows(ds));
        int gapWindow = -1;
        for (int w = 0; w < ds.size(); w++) {
            if (ds.window(w).firstTimeIdx() == 2) {
                gapWindow = w;
            }
        }
        Batch b = ds.collate(new int[] {gapWindow});
        assertArrayEquals(new float[] {12, 12}, b.encoderTarget.toFloatArray()); // time 3 repeats time 2
        assertArrayEquals(new float[] {14}, b.decoderTarget.toFloatArray());
        assertArrayEquals(new float[] {4}, b.decoderTimeIdx.toFloatArray());
    }

    @Test
    void batchesArePaddedWithLengthsAndAddedFeatures() {
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(series(range(10)), params(", \"min_encoder_length\": 1, "
                + "\"max_encoder_length\": 3, \"min_prediction_length\": 1, \"max_prediction_length\": 2, "
                + "\"add_relative_time_idx\": true, \"add_encoder_length\": true, \"add_target_scales\": true, "
                + "\"time_varying_known_categoricals\": [\"parity\"]"));
        assertEquals(List.of("encoder_length", "y_center", "y_scale", "relative_time_idx", "y"), ds.description().reals());
        int full = -1;
        int shortest = -1;
        for (int w = 0; w < ds.size(); w++) {
            TimeSeriesDataSet.Window x = ds.window(w);
            if (x.firstTimeIdx() == 2 && x.encoderLength() == 3 && x.decoderLength() == 2) {
                full = w;
            }
            if (x.firstTimeIdx() == 0 && x.encoderLength() == 1 && x.decoderLength() == 1) {
                shortest = w;
            }
        }
        Batch b = ds.collate(new int[] {full, shortest});
        assertArrayEquals(new int[] {2, 3, 5}, b.encoderCont.shape());
        assertArrayEquals(new float[] {3, 1}, b.encoderLengths.toFloatArray());
        assertArrayEquals(new float[] {2, 1}, b.decoderLengths.toFloatArray());
        assertArrayEquals(new float[] {12, 13, 14, 10, 0, 0}, b.encoderTarget.toFloatArray());
        assertArrayEquals(new float[] {15, 16, 11, 0}, b.decoderTarget.toFloatArray());
        assertArrayEquals(new float[] {5, 6, 1, 2}, b.decoderTimeIdx.toFloatArray());
        // relative_time_idx = (i - encoder_length) / max_encoder_length
        assertEquals(-1f, b.encoderCont.get(0, 0, 3));
        assertEquals(-1f / 3, b.encoderCont.get(0, 2, 3), 1e-7);
        assertEquals(1f / 3, b.decoderCont.get(0, 1, 3), 1e-7);
        assertEquals(-1f / 3, b.encoderCont.get(1, 0, 3), 1e-7);
        assertEquals(0f, b.encoderCont.get(1, 1, 3)); // padding
        // encoder_length = (len - max/2) / max * 2
        assertEquals(1f, b.encoderCont.get(0, 0, 0), 1e-7);
        assertEquals((float) ((1 - 1.5) / 3 * 2), b.decoderCont.get(1, 0, 0), 1e-7);
        // parity codes: "even" 0, "odd" 1 (sorted); time 2 is even
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0}, b.encoderCat.toFloatArray());
        // identity normaliser: target_scale (0, 1); the target input equals the target
        assertArrayEquals(new float[] {0, 1, 0, 1}, b.targetScale.toFloatArray());
        assertEquals(12f, b.encoderCont.get(0, 0, 4));
        assertArrayEquals(new float[] {0, 0}, b.groups.toFloatArray());
    }

    @Test
    void encoderNormalizerRefitsOnEveryWindow() {
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(series(range(10)), params(", \"min_encoder_length\": 2, "
                + "\"max_encoder_length\": 4, \"max_prediction_length\": 2, \"add_target_scales\": true, "
                + "\"target_normalizer\": {\"type\": \"EncoderNormalizer\"}"));
        int w = -1;
        for (int i = 0; i < ds.size(); i++) {
            if (ds.window(i).firstTimeIdx() == 3 && ds.window(i).encoderLength() == 4) {
                w = i;
            }
        }
        Batch b = ds.collate(new int[] {w});
        // encoder targets 13..16: mean 14.5, unbiased std sqrt(5/3) + float32 eps
        float scale = (float) (Math.sqrt(5.0 / 3.0) + Transformation.EPS32);
        assertEquals(14.5f, b.targetScale.get(0, 0), 1e-5);
        assertEquals(scale, b.targetScale.get(0, 1), 1e-5);
        int y = ds.description().reals().indexOf("y");
        assertEquals((13 - 14.5f) / scale, b.encoderCont.get(0, 0, y), 1e-5);
        assertEquals((18 - 14.5f) / scale, b.decoderCont.get(0, 1, y), 1e-5);
    }

    @Test
    void shufflingIsDeterministicAndDropsTheLastBatch() {
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(series(range(40)), params(", \"max_encoder_length\": 3, \"max_prediction_length\": 2"));
        assertEquals(36, ds.size());
        BatchLoader a = ds.trainLoader(8, 7);
        BatchLoader b = ds.trainLoader(8, 7);
        assertEquals(4, a.batchCount()); // 36 windows: four full batches, the last 4 dropped
        assertArrayEquals(a.order(0), b.order(0));
        assertArrayEquals(a.windows(1, 2), b.windows(1, 2));
        assertFalse(Arrays.equals(a.order(0), a.order(1)), "each epoch has its own order");
        assertFalse(Arrays.equals(a.order(0), ds.trainLoader(8, 8).order(0)), "another seed gives another order");
        int[] sorted = a.order(3).clone();
        Arrays.sort(sorted);
        assertArrayEquals(ds.predictLoader(8).order(0), sorted, "a permutation of all windows");
        assertEquals(5, ds.predictLoader(8).batchCount());
        int seen = 0;
        for (Batch batch : ds.predictLoader(8)) {
            seen += batch.size();
        }
        assertEquals(36, seen);
        assertEquals(1, TimeSeriesDataSet.create(series(range(10)), params(", \"max_encoder_length\": 3, \"max_prediction_length\": 2"))
                .trainLoader(8, 1).batchCount(), "one batch is never dropped (PTF: drop_last only if len > batch_size)");
    }

    @Test
    void aSeriesTrainingNeverHeldIsNamedWithTheReason() {
        String[] ids = new String[30];
        int[] t = new int[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            ids[i] = i < 20 ? "a" : "b";
            t[i] = i < 20 ? i : i - 20;
            y[i] = i;
        }
        Frame both = new Frame("test", List.of(new IntColumn("t", t), StringColumn.of("id", ids), new DoubleColumn("y", y)));
        String lengths = ", \"max_encoder_length\": 3, \"max_prediction_length\": 2, \"static_categoricals\": [\"id\"]";
        TimeSeriesDataSet training = TimeSeriesDataSet.create(both.filter(r -> r < 20), params(lengths));
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.fromDataset(training, both, true));
        assertTrue(e.getMessage().contains("series id=b is not among the series the model trained on")
                && e.getMessage().contains("too few steps") && e.getMessage().contains("add_nan"), e.getMessage());
    }

    @Test
    void badInputsAreNamed() {
        Frame f = series(range(10));
        String lengths = ", \"max_encoder_length\": 3, \"max_prediction_length\": 2";
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(f.filter(r -> false), params(lengths)));
        assertTrue(e.getMessage().contains("test") && e.getMessage().contains("empty"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(f, params(lengths + ", \"static_reals\": [\"nope\"]")));
        assertTrue(e.getMessage().contains("no column 'nope'"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(f, params(lengths + ", \"static_categoricals\": [\"t\"]")));
        assertTrue(e.getMessage().contains("categorical column 't'") && e.getMessage().contains("int"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(f, params(lengths + ", \"static_reals\": [\"parity\"]")));
        assertTrue(e.getMessage().contains("'parity'") && e.getMessage().contains("must be numeric"), e.getMessage());

        double[] y = new double[10];
        y[4] = Double.NaN;
        Frame nanTarget = f.with(new DoubleColumn("y", y));
        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(nanTarget, params(lengths)));
        assertTrue(e.getMessage().contains("target 'y'") && e.getMessage().contains("id=a") && e.getMessage().contains("time_idx 4"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(series(range(4)), params(lengths)));
        assertTrue(e.getMessage().contains("no window fits") && e.getMessage().contains("= 5") && e.getMessage().contains("spans 4"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(series(0, 1, 1, 2, 3, 4, 5), params(lengths)));
        assertTrue(e.getMessage().contains("two rows at time_idx 1"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> DatasetParameters.fromJson(Map.of("time_idx", "t", "target", "y", "lags", Map.of("y", List.of(1L)))));
        assertTrue(e.getMessage().contains("lags"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> params(", \"max_encoder_lenght\": 3"));
        assertTrue(e.getMessage().contains("max_encoder_lenght"), e.getMessage());

        // an unknown category in new data, without add_nan
        TimeSeriesDataSet train = TimeSeriesDataSet.create(f, params(lengths + ", \"time_varying_known_categoricals\": [\"parity\"]"));
        Frame other = f.with(StringColumn.of("parity", "even", "odd", "even", "odd", "even", "odd", "even", "odd", "even", "prime"));
        e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.fromDataset(train, other, true));
        assertTrue(e.getMessage().contains("'parity'") && e.getMessage().contains("'prime'") && e.getMessage().contains("add_nan"), e.getMessage());
        TimeSeriesDataSet nanTrain = TimeSeriesDataSet.create(f, params(lengths + ", \"time_varying_known_categoricals\": [\"parity\"], "
                + "\"categorical_encoders\": {\"parity\": {\"add_nan\": true}}"));
        assertEquals(3, nanTrain.description().cardinalities().get("parity"));
        Batch b = TimeSeriesDataSet.fromDataset(nanTrain, other, true).collate(new int[] {0});
        assertEquals(0f, b.decoderCat.get(0, 1, 0), "the unknown 'prime' maps to the nan class 0");
        assertEquals(1f, b.decoderCat.get(0, 0, 0), "'even' is 1 after the nan class");
    }

    @Test
    void shortSeriesAreLeftOutWithAWarning() {
        Frame a = series(range(10));
        Frame b = series(range(3)).with(StringColumn.of("id", "b", "b", "b"));
        List<Column> columns = new ArrayList<>();
        for (String name : a.names()) {
            columns.add(concat(a.column(name), b.column(name)));
        }
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(new Frame("two", columns), params(", \"max_encoder_length\": 3, \"max_prediction_length\": 2"));
        assertEquals(1, ds.warnings().size());
        assertTrue(ds.warnings().get(0).contains("id=b"), ds.warnings().get(0));
        assertEquals(2, ds.seriesCount());
    }

    static Column concat(Column x, Column y) {
        if (x instanceof StringColumn) {
            String[] v = new String[x.size() + y.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = i < x.size() ? x.format(i) : y.format(i - x.size());
            }
            return StringColumn.of(x.name(), v);
        }
        if (x instanceof IntColumn xi) {
            int[] v = new int[x.size() + y.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = i < x.size() ? xi.get(i) : ((IntColumn) y).get(i - x.size());
            }
            return new IntColumn(x.name(), v);
        }
        double[] v = new double[x.size() + y.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i < x.size() ? x.getDouble(i) : y.getDouble(i - x.size());
        }
        return new DoubleColumn(x.name(), v);
    }

    @Test
    void preprocessingRoundTripsThroughJson() {
        Frame f = series(range(30));
        TimeSeriesDataSet train = TimeSeriesDataSet.create(f, params(", \"max_encoder_length\": 5, \"max_prediction_length\": 3, "
                + "\"time_varying_known_categoricals\": [\"parity\"], \"time_varying_known_reals\": [\"t\"], \"add_target_scales\": true, "
                + "\"target_normalizer\": {\"type\": \"GroupNormalizer\", \"groups\": [\"id\"], \"transformation\": \"softplus\"}"));
        Preprocessing back = Preprocessing.fromJson(Json.parseObject(Json.write(train.preprocessing().toJson())));
        Batch direct = TimeSeriesDataSet.fromDataset(train, f, true).collate(new int[] {0});
        Batch restored = TimeSeriesDataSet.fromPreprocessing(back, f, true).collate(new int[] {0});
        assertArrayEquals(direct.encoderCont.toFloatArray(), restored.encoderCont.toFloatArray());
        assertArrayEquals(direct.decoderCat.toFloatArray(), restored.decoderCat.toFloatArray());
        assertArrayEquals(direct.targetScale.toFloatArray(), restored.targetScale.toFloatArray());
        DatasetDescription d = DatasetDescription.fromJson(Json.parseObject(Json.write(train.description().toJson())));
        assertEquals(train.description().reals(), d.reals());
        assertEquals(train.description().cardinalities(), d.cardinalities());
        assertNotEquals(0f, direct.targetScale.get(0, 1));
    }

    @Test
    void timestampsWithAFrequencyGiveTheTimeIndex() {
        Frame taxi = CsvReader.read(SharedData.file("nyc_taxi.csv"));
        DatasetParameters p = DatasetParameters.fromJson(Json.parseObject("{\"time_idx\": \"time_idx\", \"timestamp\": \"timestamp\", "
                + "\"frequency\": \"30min\", \"target\": \"value\", \"group_ids\": [], \"time_varying_known_reals\": [\"time_idx\"], "
                + "\"time_varying_unknown_reals\": [\"value\"], \"max_encoder_length\": 48, \"max_prediction_length\": 48}"));
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(taxi, p);
        assertEquals(1, ds.seriesCount());
        assertEquals(10_320, ds.rowCount());
        assertEquals(10_320 - 96 + 1, ds.size());
        assertEquals("2014-07-01 00:30:00", TimestampColumn.formatMicros(ds.timestampOf(1)));
        assertEquals("2015-01-31 23:30:00", TimestampColumn.formatMicros(ds.timestampOf(10_319)));

        Frame ett = CsvReader.read(SharedData.file("ETTh2.csv"));
        Frame long7 = DerivedColumns.apply(ett, List.of(Map.of("op", "melt", "id_columns", List.of("date"),
                "columns", List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"), "variable", "series", "value", "load")));
        DatasetParameters q = DatasetParameters.fromJson(Json.parseObject("{\"time_idx\": \"time_idx\", \"timestamp\": \"date\", "
                + "\"frequency\": \"1h\", \"target\": \"load\", \"group_ids\": [\"series\"], \"static_categoricals\": [\"series\"], "
                + "\"time_varying_unknown_reals\": [\"load\"], \"max_encoder_length\": 96, \"max_prediction_length\": 24, "
                + "\"target_normalizer\": {\"type\": \"GroupNormalizer\", \"groups\": [\"series\"]}}"));
        TimeSeriesDataSet ettSet = TimeSeriesDataSet.create(long7, q);
        assertEquals(7, ettSet.seriesCount());
        assertEquals(7 * 17_420, ettSet.rowCount());
        assertEquals(List.of("HUFL"), ettSet.seriesGroupValues(0));

        Frame misaligned = new Frame("m", List.of(new TimestampColumn("ts", new long[] {0, 3_600_000_000L, 5_400_000_000L}),
                new DoubleColumn("v", new double[] {1, 2, 3})));
        DatasetParameters r = DatasetParameters.fromJson(Json.parseObject("{\"time_idx\": \"time_idx\", \"timestamp\": \"ts\", "
                + "\"frequency\": \"1h\", \"target\": \"v\", \"max_encoder_length\": 1}"));
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(misaligned, r));
        assertTrue(e.getMessage().contains("'ts' row 2") && e.getMessage().contains("1970-01-01 01:30:00"), e.getMessage());
    }
}
