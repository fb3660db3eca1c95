package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The M4 competition's sMAPE, MASE and OWA, checked by hand and against the competition's published Naive scores. */
class M4MetricsTest {

    @Test
    void sMapeIsInPercentAndMaseScalesByTheWholeHistorysLagErrors() {
        M4Metrics.Accumulator one = new M4Metrics.Accumulator(1);
        one.add("a", new double[] {1, 2, 4}, new double[] {5, 5}, new double[] {4, 6});
        M4Metrics.Scores lagOne = one.result();
        assertEquals((200.0 / 9 + 200.0 / 11) / 2, lagOne.smape(), 1e-12);
        assertEquals(1 / ((1.0 + 2.0) / 2), lagOne.mase(), 1e-12, "mean error 1 over the mean one-step change 1.5");

        M4Metrics.Accumulator two = new M4Metrics.Accumulator(2);
        two.add("a", new double[] {1, 2, 4}, new double[] {5, 5}, new double[] {4, 6});
        assertEquals(1 / 3.0, two.result().mase(), 1e-12, "the only lag-2 change is |4 - 1|");

        // a second window is averaged with the first, window by window
        one.add("b", new double[] {10, 20}, new double[] {20}, new double[] {20});
        assertEquals((200.0 / 9 + 200.0 / 11) / 4, one.result().smape(), 1e-12);
        assertEquals((1 / 1.5 + 0) / 2, one.result().mase(), 1e-12);
        assertEquals(2, one.result().windows());
    }

    @Test
    void owaIsTheMeanOfTheRatiosToNaive2() {
        M4Metrics m = M4Metrics.of(new M4Metrics.Scores(8, 3, 1, 5), new M4Metrics.Scores(10, 2, 1, 5));
        assertEquals((0.8 + 1.5) / 2, m.owa(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> M4Metrics.of(new M4Metrics.Scores(8, 3, 1, 5), new M4Metrics.Scores(10, 2, 1, 4)));
    }

    @Test
    void aHistoryThatCannotScaleMaseAndSeasonalNaive2AreRefusedByName() {
        M4Metrics.Accumulator sums = new M4Metrics.Accumulator(1);
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> sums.add("W7", new double[] {3, 3, 3}, new double[] {3}, new double[] {3}));
        assertTrue(flat.getMessage().contains("W7") && flat.getMessage().contains("constant"), flat.getMessage());
        IllegalArgumentException shortHistory = assertThrows(IllegalArgumentException.class,
                () -> sums.add("W8", new double[] {3}, new double[] {3}, new double[] {3}));
        assertTrue(shortHistory.getMessage().contains("W8"), shortHistory.getMessage());
        Frame any = longFrame(List.of(new double[] {1, 2, 3}), List.of(new double[] {4}));
        IllegalArgumentException seasonality = assertThrows(IllegalArgumentException.class, () -> new M4Metrics.Options(any, 0));
        assertTrue(seasonality.getMessage().contains("--seasonality"), seasonality.getMessage());
    }

    @Test
    void theMedianQuantileIsThePointForecastAndAModelWithoutOneIsRefused() {
        Frame frame = longFrame(List.of(new double[] {1, 2, 4, 8}), List.of(new double[] {10, 10}));
        TimeSeriesDataSet windows = Evaluation.lastWindows(frame, parameters(2, 3));
        Forecaster quantiles = forecaster((batch, steps) -> new float[] {0, 9, 100, 0, 11, 100}, 3);
        Evaluation.Result r = Evaluation.score(windows, null, quantiles, List.of(0.1f, 0.5f, 0.9f), 8, false, null,
                new M4Metrics.Options(frame, 1));
        assertEquals((200.0 / 19 + 200.0 / 21) / 2, r.m4().smape(), 1e-5, "the 0.5 quantile, 9 and 11, is the point forecast");
        assertEquals(1 / (7.0 / 3), r.m4().mase(), 1e-5, "history 1, 2, 4, 8 changes by 7 over 3 steps");
        double naiveSmape = 200.0 * 2 / 18;
        assertEquals(naiveSmape, r.m4().naive2Smape(), 1e-5, "Naive2 repeats 8");
        assertEquals((r.m4().smape() / naiveSmape + r.m4().mase() / (2 / (7.0 / 3))) / 2, r.m4().owa(), 1e-6);

        IllegalArgumentException noMedian = assertThrows(IllegalArgumentException.class, () -> Evaluation.score(windows, null,
                quantiles, List.of(0.1f, 0.4f, 0.9f), 8, false, null, new M4Metrics.Options(frame, 1)));
        assertTrue(noMedian.getMessage().contains("0.5"), noMedian.getMessage());
    }

    @Test
    void seasonalOwaComparesWithNaive2OfTheWholeHistory() {
        // quarterly-like: a flat level times a pattern of 4 with noise, so the lag-4 test passes, and a forecast of 1.1 × the truth
        double[] pattern = {0.7, 1.3, 1.1, 0.9};
        List<double[]> train = new ArrayList<>();
        List<double[]> test = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            double[] values = new double[24 + s * 4 + 4];
            for (int t = 0; t < values.length; t++) {
                values[t] = (50 + 10 * s) * pattern[t % 4] * (1 + 0.05 * Math.sin(1.7 * t + s));
            }
            train.add(Arrays.copyOf(values, values.length - 4));
            test.add(Arrays.copyOfRange(values, values.length - 4, values.length));
        }
        Frame frame = longFrame(train, test);
        TimeSeriesDataSet windows = Evaluation.lastWindows(frame, parameters(4, 4));
        Forecaster tenPercentHigh = forecaster((batch, steps) -> {
            float[] out = new float[batch * steps];
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < steps; h++) {
                    out[b * steps + h] = (float) (1.1 * test.get(b)[h]);
                }
            }
            return out;
        }, 1);
        Evaluation.Result r = Evaluation.score(windows, null, tenPercentHigh, List.of(0.5f), 8, false, null,
                new M4Metrics.Options(frame, 4));
        M4Metrics.Accumulator naive2 = new M4Metrics.Accumulator(4);
        for (int s = 0; s < 3; s++) {
            assertTrue(Naive2.seasonal(train.get(s), 4), "series " + s + " is seasonal");
            naive2.add("W" + (s + 1), train.get(s), test.get(s), Naive2.forecast(train.get(s), 4, 4));
        }
        assertEquals(naive2.result().smape(), r.m4().naive2Smape(), 1e-4);
        assertEquals(naive2.result().mase(), r.m4().naive2Mase(), 1e-4);
        assertEquals(4, r.m4().seasonality());
        assertTrue(r.m4().naive2Smape() < 10, "the seasonal adjustment follows the pattern: " + r.m4());
    }

    /** The competition's Naive on its weekly series: sMAPE 9.161, MASE 2.777 (and OWA 1 against itself). */
    @Test
    void naiveScoresThePublishedM4WeeklyFigures() throws IOException {
        List<double[]> train = wideRows("m4-weekly-train.csv");
        List<double[]> test = wideRows("m4-weekly-test.csv");
        assertEquals(359, train.size());
        M4Metrics.Accumulator naive = new M4Metrics.Accumulator(1);
        for (int s = 0; s < train.size(); s++) {
            double[] history = train.get(s);
            double[] forecast = new double[test.get(s).length];
            Arrays.fill(forecast, history[history.length - 1]);
            naive.add("W" + (s + 1), history, test.get(s), forecast);
        }
        assertEquals(9.161, naive.result().smape(), 0.0005);
        assertEquals(2.777, naive.result().mase(), 0.0005);

        // the same through Evaluation: windows with a 13-step encoder, MASE still scaled by the whole history
        Frame frame = longFrame(train, test);
        TimeSeriesDataSet windows = Evaluation.lastWindows(frame, parameters(13, 13));
        Evaluation.Result r = Evaluation.score(windows, null, Forecaster.lastValue(), List.of(0.5f), 64, false, null,
                new M4Metrics.Options(frame, 1));
        assertEquals(359, r.m4().windows());
        assertEquals(9.161, r.m4().smape(), 0.0005);
        assertEquals(2.777, r.m4().mase(), 0.0005);
        assertEquals(1.000, r.m4().owa(), 0.0005);
    }

    /** A point forecaster over {@code width} quantiles whose forecasts {@code values} gives, batch by batch. */
    private static Forecaster forecaster(java.util.function.BiFunction<Integer, Integer, float[]> values, int width) {
        return new Forecaster() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public dev.tempora.tensor.Tensor forecast(dev.tempora.data.Batch batch) {
                return dev.tempora.tensor.Tensor.wrap(values.apply(batch.size(), batch.maxDecoderLength()), batch.size(),
                        batch.maxDecoderLength(), width);
            }
        };
    }

    static DatasetParameters parameters(int horizon, int encoder) {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "value", "group_ids": ["series"],
                 "min_encoder_length": 1, "max_encoder_length": %d, "max_prediction_length": %d,
                 "time_varying_unknown_reals": ["value"]}
                """.formatted(encoder, horizon)));
    }

    /** Series s's training values then its test values, as rows (series, time_idx, value). */
    static Frame longFrame(List<double[]> train, List<double[]> test) {
        int rows = 0;
        for (int s = 0; s < train.size(); s++) {
            rows += train.get(s).length + test.get(s).length;
        }
        StringColumn.Builder series = new StringColumn.Builder("series", rows);
        int[] time = new int[rows];
        double[] value = new double[rows];
        int r = 0;
        for (int s = 0; s < train.size(); s++) {
            double[] both = concat(train.get(s), test.get(s));
            for (int t = 0; t < both.length; t++, r++) {
                series.add("W" + (s + 1));
                time[r] = t;
                value[r] = both[t];
            }
        }
        return new Frame("m4 weekly", List.of(series.build(), new IntColumn("time_idx", time), new DoubleColumn("value", value)));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** The M4 wide format: a header, then per series its id and its values in time order, empty cells after its end. */
    private static List<double[]> wideRows(String name) throws IOException {
        Path file = Path.of(System.getProperty("tempora.shared.dir", "../shared"), "data", name);
        Assumptions.assumeTrue(Files.isRegularFile(file),
                "skipped: " + file.toAbsolutePath().normalize() + " is absent (the shared data sets live beside the project)");
        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] values = new double[cells.length - 1];
            int n = 0;
            for (int c = 1; c < cells.length; c++) {
                String cell = cells[c].replace("\"", "");
                if (!cell.isEmpty()) {
                    values[n++] = Double.parseDouble(cell);
                }
            }
            rows.add(Arrays.copyOf(values, n));
        }
        return rows;
    }
}
