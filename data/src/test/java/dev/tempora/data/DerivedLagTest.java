package dev.tempora.data;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "lag" derived column against pandas' sort_values(time).groupby(by).shift(steps), rows given out of order. */
class DerivedLagTest {

    /** Series a: t = 0..4, y = 10 + t; series b: t = 0..2, y = 100 + t; the rows shuffled. */
    private static Frame frame() {
        int[][] rows = {{1, 2}, {0, 0}, {1, 0}, {0, 4}, {0, 1}, {1, 1}, {0, 3}, {0, 2}};
        int[] codes = new int[rows.length];
        int[] time = new int[rows.length];
        double[] y = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            codes[r] = rows[r][0];
            time[r] = rows[r][1];
            y[r] = (rows[r][0] == 0 ? 10 : 100) + rows[r][1];
        }
        return new Frame("test", List.of(new StringColumn("id", codes, new String[] {"a", "b"}), new IntColumn("t", time),
                new DoubleColumn("y", y)));
    }

    private static Map<String, Object> lag(int steps, Object fill) {
        Map<String, Object> step = new HashMap<>(Map.of("op", "lag", "name", "y_lag", "column", "y", "by", List.of("id"),
                "time", "t", "steps", steps));
        if (fill != null) {
            step.put("fill", fill);
        }
        return step;
    }

    private static double[] lagged(Frame f, List<Object> steps) {
        Frame out = DerivedColumns.apply(f, steps);
        Column c = out.column("y_lag");
        double[] v = new double[out.rowCount()];
        for (int r = 0; r < v.length; r++) {
            v[r] = c.getDouble(r);
        }
        return v;
    }

    @Test
    void eachRowReadsItsOwnSeriesStepsEarlierAndTheStartIsFilled() {
        Frame f = frame();
        double[] first = lagged(f, List.of(lag(2, null)));
        double[] zero = lagged(f, List.of(lag(2, 0)));
        Column id = f.column("id");
        Column t = f.column("t");
        for (int r = 0; r < f.rowCount(); r++) {
            double base = id.format(r).equals("a") ? 10 : 100;
            int time = (int) t.getDouble(r);
            double expected = time >= 2 ? base + time - 2 : Double.NaN;
            assertEquals(time >= 2 ? expected : base, first[r], 0, "row " + r + ": fill \"first\" is the series' first value");
            assertEquals(time >= 2 ? expected : 0, zero[r], 0, "row " + r + ": a numeric fill");
        }
    }

    @Test
    void duplicateStepsAndBadStepsAreNamed() {
        Frame f = frame();
        Frame twice = new Frame("test", List.of(new StringColumn("id", new int[] {0, 0}, new String[] {"a"}),
                new IntColumn("t", new int[] {3, 3}), new DoubleColumn("y", new double[] {1, 2})));
        var e = assertThrows(IllegalArgumentException.class, () -> DerivedColumns.apply(twice, List.of(lag(1, null))));
        assertTrue(e.getMessage().contains("rows 0 and 1 share t 3 in one series"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DerivedColumns.apply(f, List.of(lag(0, null))));
        assertTrue(e.getMessage().contains("data.derived_columns[0] (lag): \"steps\" must be a whole number of at least 1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DerivedColumns.apply(f, List.of(lag(1, "last"))));
        assertTrue(e.getMessage().contains("\"fill\" must be a number or \"first\""), e.getMessage());
        Map<String, Object> byText = lag(1, null);
        byText.put("time", "id");
        e = assertThrows(IllegalArgumentException.class, () -> DerivedColumns.apply(f, List.of(byText)));
        assertTrue(e.getMessage().contains("must hold numbers or timestamps"), e.getMessage());
    }

    @Test
    void aKnownInputMayNotLagLessThanTheHorizon() {
        DatasetParameters dataset = DatasetParameters.fromJson(Map.of("time_idx", "t", "target", "y", "group_ids", List.of("id"),
                "max_encoder_length", 4L, "max_prediction_length", 3L, "time_varying_known_reals", List.of("y_lag"),
                "time_varying_unknown_reals", List.of("y")));
        var e = assertThrows(IllegalArgumentException.class,
                () -> DerivedColumns.checkLaggedKnownInputs(List.of(lag(2, null)), dataset));
        assertTrue(e.getMessage().contains("\"y_lag\" is a known input lagged by 2 steps, fewer than max_prediction_length 3")
                && e.getMessage().contains("lag by at least 3 steps"), e.getMessage());
        DerivedColumns.checkLaggedKnownInputs(List.of(lag(3, null)), dataset);
        DatasetParameters unknown = DatasetParameters.fromJson(Map.of("time_idx", "t", "target", "y", "group_ids", List.of("id"),
                "max_encoder_length", 4L, "max_prediction_length", 3L, "time_varying_unknown_reals", List.of("y", "y_lag")));
        DerivedColumns.checkLaggedKnownInputs(List.of(lag(1, null)), unknown);
    }

    @Test
    void periodsAverageTheLagsTheSeriesHas() {
        Frame f = frame();
        Map<String, Object> step = lag(2, -1);
        step.put("periods", 3);
        double[] mean = lagged(f, List.of(step));
        Column id = f.column("id");
        Column t = f.column("t");
        for (int r = 0; r < f.rowCount(); r++) {
            double base = id.format(r).equals("a") ? 10 : 100;
            int time = (int) t.getDouble(r);
            // pandas: pd.concat([g.shift(2), g.shift(4), g.shift(6)], axis=1).mean(axis=1) (NaN skipped), then fillna(-1)
            double sum = 0;
            int n = 0;
            for (int k = 1; k <= 3 && time - 2 * k >= 0; k++) {
                sum += base + time - 2 * k;
                n++;
            }
            assertEquals(n == 0 ? -1 : sum / n, mean[r], 1e-12, "row " + r + " (series " + id.format(r) + ", t " + time + ")");
        }
        step.put("periods", 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(lagged(f, List.of(lag(2, -1))), lagged(f, List.of(step)), "periods 1 is the lag");
        step.put("periods", 0.5);
        var e = assertThrows(IllegalArgumentException.class, () -> DerivedColumns.apply(f, List.of(step)));
        assertTrue(e.getMessage().contains("\"periods\" must be a whole number of at least 1"), e.getMessage());
    }
}
