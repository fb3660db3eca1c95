package dev.tempora.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeSplitTest {

    private static final int HORIZON = 5;

    /** Two series of different lengths: "a" has time 0..39, "b" time 0..29; y = 100·series + t. */
    private static Frame twoSeries() {
        List<String> ids = new ArrayList<>();
        List<Integer> times = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            int length = id.equals("a") ? 40 : 30;
            for (int t = 0; t < length; t++) {
                ids.add(id);
                times.add(t);
                ys.add((id.equals("a") ? 0 : 100) + t + 0.5 * Math.sin(t));
            }
        }
        Map<String, List<?>> columns = new java.util.LinkedHashMap<>();
        columns.put("id", ids);
        columns.put("t", times);
        columns.put("y", ys);
        return Frame.ofColumns("two series", columns);
    }

    private static DatasetParameters parameters() {
        return DatasetParameters.builder().timeIdx("t").target("y").groupIds("id").minEncoderLength(4).maxEncoderLength(8)
                .minPredictionLength(1).maxPredictionLength(HORIZON).timeVaryingUnknownReals("y").build();
    }

    /** Per series: the first forecast step of each window. */
    private static Map<Integer, List<Integer>> origins(TimeSeriesDataSet set) {
        Map<Integer, List<Integer>> out = new TreeMap<>();
        for (int w = 0; w < set.size(); w++) {
            TimeSeriesDataSet.Window window = set.window(w);
            assertEquals(HORIZON, window.decoderLength());
            out.computeIfAbsent(window.series(), s -> new ArrayList<>()).add(window.firstPredictionTimeIdx());
        }
        return out;
    }

    private static int lastTrainingTime(TimeSeriesDataSet training, int series) {
        int last = Integer.MIN_VALUE;
        for (int w = 0; w < training.size(); w++) {
            TimeSeriesDataSet.Window window = training.window(w);
            if (window.series() == series) {
                last = Math.max(last, window.firstPredictionTimeIdx() + window.decoderLength() - 1);
            }
        }
        return last;
    }

    @Test
    void eachSeriesIsSplitAtItsOwnEndTestFirst() {
        DataSplit split = DataSplit.defaults().withValidationWindows(2, null).withTest(DataSplit.TestSplit.lastSteps(HORIZON));
        TrainingConfig.Datasets sets = TrainingConfig.split(twoSeries(), parameters(), split, "test");
        // test: a 35..39, b 25..29; validation: two windows before, 5 apart; training: before validation
        assertEquals(Map.of(0, List.of(35), 1, List.of(25)), origins(sets.test()));
        assertEquals(Map.of(0, List.of(25, 30), 1, List.of(15, 20)), origins(sets.validation()));
        assertEquals(24, lastTrainingTime(sets.training(), 0));
        assertEquals(14, lastTrainingTime(sets.training(), 1));
        assertEquals(24, sets.trainingCutoff());
        // the test windows read encoder rows up to the test, forecast only test rows
        TimeSeriesDataSet.Window test = sets.test().window(0);
        assertEquals(8, test.encoderLength());
        assertEquals(27, test.firstTimeIdx());
    }

    @Test
    void validationWindowsAreStrideApartAndNeverReachTheTest() {
        DataSplit split = DataSplit.defaults().withValidationWindows(3, 2).withTest(DataSplit.TestSplit.lastSteps(7));
        TrainingConfig.Datasets sets = TrainingConfig.split(twoSeries(), parameters(), split, "test");
        // a: visible up to 32, validation origins 24, 26, 28 (last ends at 32); b: visible up to 22
        assertEquals(Map.of(0, List.of(24, 26, 28), 1, List.of(14, 16, 18)), origins(sets.validation()));
        assertEquals(23, lastTrainingTime(sets.training(), 0));
        // last_steps 7 with the horizon 5 and stride 5: one window per series (origins 35 and 25)
        assertEquals(Map.of(0, List.of(35), 1, List.of(25)), origins(sets.test()));
        DataSplit everyStep = split.withTest(DataSplit.TestSplit.lastSteps(7).withStride(1));
        assertEquals(Map.of(0, List.of(33, 34, 35), 1, List.of(23, 24, 25)),
                origins(TrainingConfig.split(twoSeries(), parameters(), everyStep, "test").test()));
    }

    @Test
    void aCutoffTestScoresEveryOriginAfterIt() {
        DataSplit split = DataSplit.defaults().withTest(DataSplit.TestSplit.after(24));
        TrainingConfig.Datasets sets = TrainingConfig.split(twoSeries(), parameters(), split, "test");
        // a: origins 25..35; b ends at 29: origin 25 only
        List<Integer> a = new ArrayList<>();
        for (int o = 25; o <= 35; o++) {
            a.add(o);
        }
        assertEquals(Map.of(0, a, 1, List.of(25)), origins(sets.test()));
        // validation is the last horizon before the cutoff, for both series
        assertEquals(Map.of(0, List.of(20), 1, List.of(20)), origins(sets.validation()));
        assertEquals(19, lastTrainingTime(sets.training(), 1));
    }

    @Test
    void theDefaultIsPtfsSplitForSeriesEndingTogether() {
        Frame frame = twoSeries().filter(r -> true);
        DatasetParameters p = parameters();
        TrainingConfig.Datasets sets = TrainingConfig.split(frame, p, DataSplit.defaults(), "test");
        assertNull(sets.test());
        // validation = each series' last window (predict mode); training up to its end minus the horizon
        assertEquals(Map.of(0, List.of(35), 1, List.of(25)), origins(sets.validation()));
        assertEquals(34, lastTrainingTime(sets.training(), 0));
        assertEquals(24, lastTrainingTime(sets.training(), 1));
        // one cutoff for all, as PTF's tutorials do
        TrainingConfig.Datasets global = TrainingConfig.split(frame, p, DataSplit.defaults().withTrainingCutoff(29, true), "test");
        assertEquals(29, lastTrainingTime(global.training(), 0));
        assertEquals(29, lastTrainingTime(global.training(), 1));
    }

    @Test
    void aSplitThatLeavesNoTrainingWindowSaysWhatEachSeriesNeeds() {
        DataSplit split = DataSplit.defaults().withValidationWindows(4, null).withTest(DataSplit.TestSplit.lastSteps(20));
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.split(twoSeries(), parameters(), split, "cfg.json"));
        assertTrue(e.getMessage().contains("cfg.json") && e.getMessage().contains("too short")
                && e.getMessage().contains("4 + 1 + 20 + 20 = 45 time steps") && e.getMessage().contains("validation.windows"),
                e.getMessage());
    }

    @Test
    void configKeysAreStrictAndRoundTrip(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("s.csv");
        StringBuilder csv = new StringBuilder("date,y\n");
        for (int d = 0; d < 60; d++) {
            csv.append(java.time.LocalDate.of(2024, 1, 1).plusDays(d)).append(',').append(10 + d % 7).append('\n');
        }
        Files.writeString(data, csv);
        String head = "{\"data\": {\"path\": \"s.csv\", \"derived_columns\": [{\"op\": \"constant\", \"name\": \"series\", "
                + "\"value\": \"all\"}]}, \"dataset\": {\"time_idx\": \"time_idx\", \"timestamp\": \"date\", \"frequency\": \"1d\", "
                + "\"target\": \"y\", \"group_ids\": [\"series\"], \"max_encoder_length\": 14, \"max_prediction_length\": 7, "
                + "\"time_varying_unknown_reals\": [\"y\"], ";
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, head + "\"test\": {\"last_step\": 7}}}");
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(typo));
        assertTrue(e.getMessage().contains("last_step") && e.getMessage().contains("last_steps"), e.getMessage());
        Path both = dir.resolve("both.json");
        Files.writeString(both, head + "\"test\": {\"last_steps\": 7, \"cutoff\": 40}}}");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(both));
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
        Path dated = dir.resolve("dated.json");
        Files.writeString(dated, head + "\"validation\": {\"windows\": 2}, \"test\": {\"cutoff\": \"2024-02-15\"}}}");
        TrainingConfig cfg = TrainingConfig.load(dated);
        assertEquals(cfg.split(), DataSplit.fromSplitJson(cfg.split().toJson()));
        TrainingConfig.Datasets sets = cfg.datasets();
        // 2024-02-15 is day 45: the test origins are 46 .. 53 (the last with a whole week ends at day 59)
        assertEquals(8, sets.test().size());
        assertEquals(46, sets.test().window(0).firstPredictionTimeIdx());
        assertEquals(2, sets.validation().size());
        // validation: the two weeks before the cutoff (origins 32 and 39)
        assertEquals(32, sets.validation().window(0).firstPredictionTimeIdx());
        assertEquals(39, sets.validation().window(1).firstPredictionTimeIdx());
    }
}
