package dev.tempora.data;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validation and test sets hold only the rows their windows read ({@link WindowRows}); they must give
 * exactly the windows and batches of the data sets built, as before, over every row of the table.
 */
class WindowRowsTest {

    private static final int ZONES = 6;
    private static final int DAYS = 28;

    /** The demo's data set (cli DemoCommand): 63 encoder hours, a 168-hour horizon, GroupNormalizer. */
    private static DatasetParameters demoParameters() {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                 "min_encoder_length": 5, "max_encoder_length": 63, "min_prediction_length": 1, "max_prediction_length": 168,
                 "static_categoricals": ["pulocationid"], "time_varying_known_categoricals": ["day_hour"],
                 "time_varying_known_reals": ["time_idx"], "time_varying_unknown_reals": ["trip_quantity"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                 "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true}
                """));
    }

    /** The same with the time index derived from the hour's timestamp (the time origin comes from the training rows). */
    private static DatasetParameters demoParametersByTimestamp() {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "hour", "timestamp": "pickup_hour", "frequency": "h", "target": "trip_quantity",
                 "group_ids": ["pulocationid"], "min_encoder_length": 5, "max_encoder_length": 63, "min_prediction_length": 1,
                 "max_prediction_length": 168, "static_categoricals": ["pulocationid"],
                 "time_varying_known_categoricals": ["day_hour"], "time_varying_known_reals": ["hour"],
                 "time_varying_unknown_reals": ["trip_quantity"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                 "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true}
                """));
    }

    private static Frame taxi() {
        return TaxiDemand.generate(new TaxiDemand.Options(ZONES, DAYS, LocalDate.of(2023, 3, 6), 11));
    }

    @Test
    void demoValidationAndTestSetsHoldTheirWindowsRowsOnly() {
        Frame table = taxi();
        DataSplit split = DataSplit.defaults().withValidationWindows(1, null).withTest(DataSplit.TestSplit.lastSteps(168));
        for (DatasetParameters parameters : List.of(demoParameters(), demoParametersByTimestamp())) {
            TrainingConfig.Datasets sets = TrainingConfig.split(table, parameters, split, "demo");
            Preprocessing fitted = sets.training().preprocessing();
            assertSameWindowsAndBatches(fullValidationSet(fitted, sets.rows().visibleRows(table), split), sets.validation());
            assertSameWindowsAndBatches(fullTestSet(fitted, table, split), sets.test());
            // each zone: its last 63 + 168 hours, of 28 days
            assertEquals(ZONES * (63 + 168), sets.test().rowCount());
            assertEquals(ZONES * (63 + 168), sets.validation().rowCount());
            assertEquals(ZONES * DAYS * 24, table.rowCount());
        }
    }

    @Test
    void severalValidationWindowsAndTestOriginsGiveTheSameBatches() {
        Frame table = taxi();
        DataSplit split = DataSplit.defaults().withValidationWindows(3, 24)
                .withTest(DataSplit.TestSplit.lastSteps(168 + 48).withStride(24));
        TrainingConfig.Datasets sets = TrainingConfig.split(table, demoParameters(), split, "demo");
        Preprocessing fitted = sets.training().preprocessing();
        assertSameWindowsAndBatches(fullValidationSet(fitted, sets.rows().visibleRows(table), split), sets.validation());
        assertSameWindowsAndBatches(fullTestSet(fitted, table, split), sets.test());
        assertEquals(3 * ZONES, sets.validation().size());
        assertEquals(3 * ZONES, sets.test().size());
        assertEquals(ZONES * (63 + 168 + 2 * 24), sets.validation().rowCount());
        assertEquals(ZONES * (63 + 168 + 2 * 24), sets.test().rowCount());
    }

    /** Series of different lengths with missing time steps; a target normaliser per window or per group. */
    private static Frame gappy(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> ids = new ArrayList<>();
        List<Integer> times = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> prices = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        for (int s = 0; s < 9; s++) {
            int start = random.nextInt(0, 15);
            int end = 60 + random.nextInt(0, 40);
            for (int t = start; t <= end; t++) {
                if (t > start && t < end && random.nextDouble() < 0.2) {
                    continue; // a missing time step, never the series' first or last
                }
                ids.add("s" + s);
                times.add(t);
                ys.add(5 + s + 3 * Math.sin(t / 4.0 + s) + random.nextDouble());
                prices.add(random.nextDouble() * 10);
                colours.add(List.of("red", "green", "blue").get(random.nextInt(3)));
            }
        }
        Map<String, List<?>> columns = new LinkedHashMap<>();
        columns.put("id", ids);
        columns.put("t", times);
        columns.put("y", ys);
        columns.put("price", prices);
        columns.put("colour", colours);
        return Frame.ofColumns("gappy", columns);
    }

    private static DatasetParameters gappyParameters(String normalizer) {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "t", "target": "y", "group_ids": ["id"], "min_encoder_length": 3, "max_encoder_length": 9,
                 "min_prediction_length": 1, "max_prediction_length": 4, "static_categoricals": ["id"],
                 "time_varying_known_reals": ["t", "price"], "time_varying_unknown_categoricals": ["colour"],
                 "time_varying_unknown_reals": ["y"], "target_normalizer": %s, "allow_missing_timesteps": true,
                 "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true}
                """.formatted(normalizer)));
    }

    @Test
    void missingTimeStepsWithEncoderOrGroupNormalizerGiveTheSameBatches() {
        List<String> normalizers = List.of("{\"type\": \"EncoderNormalizer\"}",
                "{\"type\": \"GroupNormalizer\", \"groups\": [\"id\"], \"transformation\": \"softplus\"}");
        List<DataSplit> splits = List.of(
                DataSplit.defaults().withValidationWindows(1, null).withTest(DataSplit.TestSplit.lastSteps(4)),
                DataSplit.defaults().withValidationWindows(3, 2).withTest(DataSplit.TestSplit.lastSteps(10).withStride(3)),
                DataSplit.defaults().withValidationWindows(2, null).withTest(DataSplit.TestSplit.after(70).withStride(2)),
                DataSplit.defaults().withTrainingCutoff(45, false).withTest(DataSplit.TestSplit.after(80)));
        for (long seed = 1; seed <= 3; seed++) {
            Frame table = gappy(seed);
            for (String normalizer : normalizers) {
                for (DataSplit split : splits) {
                    TrainingConfig.Datasets sets = TrainingConfig.split(table, gappyParameters(normalizer), split, "gappy");
                    Preprocessing fitted = sets.training().preprocessing();
                    assertSameWindowsAndBatches(fullValidationSet(fitted, sets.rows().visibleRows(table), split), sets.validation());
                    assertSameWindowsAndBatches(fullTestSet(fitted, table, split), sets.test());
                    assertTrue(sets.test().rowCount() < table.rowCount(), sets.test() + " of " + table.rowCount() + " rows");
                }
            }
        }
    }

    @Test
    void lastWindowKeepsEachSeriesLastEncoderAndHorizon() {
        Frame table = gappy(7);
        DatasetParameters p = gappyParameters("{\"type\": \"EncoderNormalizer\"}");
        Preprocessing fitted = TimeSeriesDataSet.create(table, p).preprocessing();
        Frame rows = WindowRows.lastWindow(table, fitted);
        assertSameWindowsAndBatches(TimeSeriesDataSet.fromPreprocessing(fitted, table, true),
                TimeSeriesDataSet.fromPreprocessing(fitted, rows, true));
        // per series: the rows at its last 9 + 4 time steps (fewer where steps are missing), and the one before
        Map<String, Integer> last = new LinkedHashMap<>();
        Column id = table.column("id");
        Column time = table.column("t");
        for (int r = 0; r < table.rowCount(); r++) {
            last.merge(id.format(r), (int) time.getDouble(r), Math::max);
        }
        Map<String, Integer> before = new LinkedHashMap<>(); // with missing steps also the last row before them
        for (int r = 0; r < table.rowCount(); r++) {
            if (time.getDouble(r) <= last.get(id.format(r)) - 13) {
                before.merge(id.format(r), (int) time.getDouble(r), Math::max);
            }
        }
        long expected = IntStream.range(0, table.rowCount())
                .filter(r -> time.getDouble(r) >= before.getOrDefault(id.format(r), Integer.MIN_VALUE)).count();
        assertEquals(expected, rows.rowCount());
        assertEquals(last.size(), TimeSeriesDataSet.fromPreprocessing(fitted, rows, true).seriesCount());
    }

    @Test
    void aTableTheDataSetWouldRefuseComesBackWhole() {
        Frame table = gappy(3);
        Preprocessing fitted = TimeSeriesDataSet.create(table, gappyParameters("{\"type\": \"EncoderNormalizer\"}")).preprocessing();
        // a missing group id: the data set, not the trimming, names the problem
        StringColumn id = table.column("id", StringColumn.class);
        int[] codes = id.codes.clone();
        codes[0] = -1;
        Frame broken = table.with(new StringColumn("id", codes, id.dictionary));
        assertSame(broken, WindowRows.lastWindow(broken, fitted));
        // parameters without min_prediction_idx: the data's first time decides the windows, so nothing is dropped
        Preprocessing unpinned = new Preprocessing(gappyParameters("{\"type\": \"EncoderNormalizer\"}"), fitted.timeOrigin,
                fitted.groupIdEncoders, fitted.categoricalEncoders, fitted.targetNormalizer, fitted.scalers);
        assertNull(unpinned.parameters().minPredictionIdx);
        assertSame(table, WindowRows.lastWindow(table, unpinned));
    }

    // ------------------------------------------------------------------ the construction over every row, as it was

    private static DatasetParameters fullHorizon(DatasetParameters p, Long minPredictionIdx) {
        DatasetParameters out = p.with("min_prediction_length", (long) p.maxPredictionLength).with("predict_mode", false);
        return minPredictionIdx == null ? out : out.with("min_prediction_idx", minPredictionIdx);
    }

    private static TimeSeriesDataSet fullValidationSet(Preprocessing preprocessing, Frame visibleRows, DataSplit split) {
        DatasetParameters p = preprocessing.parameters();
        if (split.trainingCutoff() != null && !split.predictValidation()) {
            return TimeSeriesDataSet.fromPreprocessing(preprocessing, visibleRows,
                    p.with("min_prediction_idx", (long) split.trainingCutoff() + 1));
        }
        if (split.validationWindows() == 1) {
            return TimeSeriesDataSet.fromPreprocessing(preprocessing, visibleRows, true);
        }
        return TimeSeriesDataSet.fromPreprocessing(preprocessing, visibleRows, fullHorizon(p, null))
                .lastOrigins(split.validationWindows(), split.validationStrideFor(p.maxPredictionLength), Long.MIN_VALUE);
    }

    private static TimeSeriesDataSet fullTestSet(Preprocessing preprocessing, Frame table, DataSplit split) {
        DataSplit.TestSplit t = split.test();
        DatasetParameters p = preprocessing.parameters();
        int h = p.maxPredictionLength;
        int stride = t.strideFor(h);
        if (t.lastSteps() != null) {
            return TimeSeriesDataSet.fromPreprocessing(preprocessing, table, fullHorizon(p, null))
                    .lastOrigins((t.lastSteps() - h) / stride + 1, stride, Long.MIN_VALUE);
        }
        return TimeSeriesDataSet.fromPreprocessing(preprocessing, table, fullHorizon(p, t.cutoff() + 1))
                .lastOrigins(Integer.MAX_VALUE, stride, t.cutoff() + 1);
    }

    // ------------------------------------------------------------------ comparison

    private static void assertSameWindowsAndBatches(TimeSeriesDataSet full, TimeSeriesDataSet compact) {
        assertEquals(full.size(), compact.size(), "windows");
        // with a cutoff the data set drops the rows before it - max_encoder_length itself: no fewer rows then
        assertTrue(compact.rowCount() <= full.rowCount(), compact + " against " + full);
        assertEquals(full.seriesCount(), compact.seriesCount());
        assertEquals(full.warnings(), compact.warnings());
        for (int s = 0; s < full.seriesCount(); s++) {
            assertEquals(full.seriesGroupValues(s), compact.seriesGroupValues(s));
        }
        int[] all = IntStream.range(0, full.size()).toArray();
        for (int w : all) {
            assertEquals(full.window(w), compact.window(w), "window " + w);
        }
        Batch a = full.collate(all);
        Batch b = compact.collate(all);
        List<String> names = List.of("encoder_cat", "encoder_cont", "encoder_target", "encoder_lengths", "decoder_cat",
                "decoder_cont", "decoder_target", "decoder_lengths", "decoder_time_idx", "groups", "target_scale", "weight");
        List<Tensor> left = tensors(a);
        List<Tensor> right = tensors(b);
        for (int i = 0; i < names.size(); i++) {
            assertBitwiseEqual(left.get(i), right.get(i), names.get(i));
        }
        for (int i = 0; i < all.length; i++) {
            assertEquals(a.seriesIndex(i), b.seriesIndex(i));
            assertEquals(a.windowIndex(i), b.windowIndex(i));
            assertEquals(a.encoderLength(i), b.encoderLength(i));
            assertEquals(a.decoderLength(i), b.decoderLength(i));
        }
    }

    private static List<Tensor> tensors(Batch batch) {
        List<Tensor> out = new ArrayList<>(List.of(batch.encoderCat, batch.encoderCont, batch.encoderTarget, batch.encoderLengths,
                batch.decoderCat, batch.decoderCont, batch.decoderTarget, batch.decoderLengths, batch.decoderTimeIdx, batch.groups,
                batch.targetScale));
        out.add(batch.weight);
        return out;
    }

    private static void assertBitwiseEqual(Tensor expected, Tensor actual, String name) {
        if (expected == null || actual == null) {
            assertSame(expected, actual, name);
            return;
        }
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        float[] x = expected.toFloatArray();
        float[] y = actual.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                assertEquals(x[i], y[i], name + "[" + i + "]");
                throw new AssertionError(name + "[" + i + "]: " + x[i] + " against " + y[i] + " (bits differ)");
            }
        }
    }
}
