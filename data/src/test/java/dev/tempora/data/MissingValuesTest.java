package dev.tempora.data;

import dev.tempora.data.MissingValues.Method;
import dev.tempora.data.MissingValues.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MissingValuesTest {

    private static final DatasetParameters PARAMETERS = DatasetParameters.builder().timeIdx("t").target("y").groupIds("id")
            .timeVaryingKnownReals("price").timeVaryingUnknownReals("y").maxEncoderLength(2).maxPredictionLength(1).build();

    /**
     * Two series, rows out of time order: a (time 0, 1, 2, 5, 6; the target missing at the start, in the
     * middle and at the end; price missing twice) and b (time 0-4; the target complete, price missing throughout).
     */
    private static Frame twoSeries() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("id", new String[] {"b", "b", "b", "b", "b", "a", "a", "a", "a", "a"});
        columns.put("t", new int[] {4, 3, 2, 1, 0, 6, 5, 2, 1, 0});
        columns.put("y", new Double[] {5.0, 4.0, 3.0, 2.0, 1.0, null, 8.0, null, 2.0, null});
        columns.put("price", new Double[] {null, null, null, null, null, 5.0, null, 3.0, null, 1.0});
        return Frame.ofColumns("two.csv", columns);
    }

    /** The column's values of series a, in time order (rows 9, 8, 7, 6, 5). */
    private static double[] seriesA(Frame f, String column) {
        double[] out = new double[5];
        for (int i = 0; i < 5; i++) {
            int row = rowOf(f, "a", new int[] {0, 1, 2, 5, 6}[i]);
            out[i] = f.column(column).getDouble(row);
        }
        return out;
    }

    private static int rowOf(Frame f, String id, int t) {
        for (int r = 0; r < f.rowCount(); r++) {
            if (f.column("id").format(r).equals(id) && f.column("t").getDouble(r) == t) {
                return r;
            }
        }
        throw new AssertionError("no row " + id + " at " + t);
    }

    @Test
    void linearInterpolatesInTimeAndTakesTheNearestValueAtTheEnds() {
        MissingValues.Filled f = MissingValues.apply(twoSeries(), PARAMETERS, Options.of(Method.LINEAR, Method.ZERO));
        // time 2 lies a quarter of the way from time 1 (2.0) to time 5 (8.0)
        assertArrayEquals(new double[] {2, 2, 3.5, 8, 8}, seriesA(f.frame(), "y"));
        assertArrayEquals(new double[] {1, 0, 3, 0, 5}, seriesA(f.frame(), "price"));
        assertEquals(0, f.frame().column("y").missingCount());
        assertEquals(0, f.frame().column("price").missingCount());
        assertEquals(List.of(new MissingValues.ColumnFill("y", Method.LINEAR, 3, 0, List.of()),
                new MissingValues.ColumnFill("price", Method.ZERO, 7, 0, List.of())), f.report().columns());
        assertEquals(10, f.frame().rowCount());
    }

    @Test
    void forwardCarriesTheLastValueAndBackFillsALeadingGap() {
        MissingValues.Filled f = MissingValues.apply(twoSeries(), PARAMETERS, Options.of(Method.FORWARD, null));
        assertArrayEquals(new double[] {2, 2, 2, 8, 8}, seriesA(f.frame(), "y"));
        assertEquals(new MissingValues.ColumnFill("y", Method.FORWARD, 3, 1, List.of()), f.report().columns().get(0));
        assertEquals(List.of("y: 3 missing values filled (forward; 1 at the start of a series back-filled from its first value)"),
                f.report().lines());
        assertEquals(1, f.report().columns().size(), "price has no method");
        assertEquals(7, f.frame().column("price").missingCount());
    }

    @Test
    void zeroAndAColumnOverride() {
        MissingValues.Filled f = MissingValues.apply(twoSeries(), PARAMETERS,
                Options.of(Method.ZERO, Method.FORWARD).withColumn("price", Method.ZERO));
        assertArrayEquals(new double[] {0, 2, 0, 8, 0}, seriesA(f.frame(), "y"));
        assertEquals(Method.ZERO, f.report().columns().get(1).method());
    }

    @Test
    void aSeriesWithoutAnyValueCannotBeForwardFilled() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MissingValues.apply(twoSeries(), PARAMETERS, Options.of(null, Method.FORWARD)));
        assertTrue(e.getMessage().contains("'price'") && e.getMessage().contains("id=b") && e.getMessage().contains("drop_series"),
                e.getMessage());
    }

    @Test
    void dropSeriesDropsFirstSoTheOtherColumnsCountOnlyTheSeriesThatStay() {
        MissingValues.Filled f = MissingValues.apply(twoSeries(), PARAMETERS, Options.of(Method.DROP_SERIES, Method.ZERO));
        assertEquals(5, f.frame().rowCount());
        for (int r = 0; r < 5; r++) {
            assertEquals("b", f.frame().column("id").format(r));
        }
        assertEquals(List.of(new MissingValues.ColumnFill("y", Method.DROP_SERIES, 0, 0, List.of("id=a")),
                new MissingValues.ColumnFill("price", Method.ZERO, 5, 0, List.of())), f.report().columns());
        assertTrue(f.report().lines().get(0).contains("1 series dropped") && f.report().lines().get(0).contains("id=a"),
                f.report().lines().toString());
        // a series with price everywhere survives a drop on price; b does not
        MissingValues.Filled byPrice = MissingValues.apply(twoSeries(), PARAMETERS, new Options(null, null, Map.of("price", Method.DROP_SERIES)));
        assertEquals(List.of("id=b", "id=a"), byPrice.report().columns().get(0).droppedSeries());
        assertEquals(0, byPrice.frame().rowCount());
    }

    @Test
    void historyOnlyLeavesTheRowsAfterTheLastObservationAlone() {
        MissingValues.Filled f = MissingValues.applyToHistory(twoSeries(), PARAMETERS, Options.of(Method.LINEAR, Method.ZERO));
        double[] y = seriesA(f.frame(), "y");
        assertArrayEquals(new double[] {2, 2, 3.5, 8}, java.util.Arrays.copyOf(y, 4));
        assertTrue(Double.isNaN(y[4]), "time 6 comes after a's last observation: a forecast step, not a gap");
        assertEquals(2, f.report().columns().get(0).filled());
    }

    @Test
    void forwardKeepsAnIntegerColumnAnInteger() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("id", new String[] {"a", "a", "a"});
        columns.put("t", new int[] {0, 1, 2});
        columns.put("y", new double[] {1, 2, 3});
        columns.put("price", new Integer[] {4, null, 6});
        Frame f = MissingValues.apply(Frame.ofColumns("ints", columns), PARAMETERS, Options.of(null, Method.FORWARD)).frame();
        IntColumn price = assertInstanceOf(IntColumn.class, f.column("price"));
        assertArrayEquals(new int[] {4, 4, 6}, price.toArray());
        Frame linear = MissingValues.apply(Frame.ofColumns("ints", columns), PARAMETERS, Options.of(null, Method.LINEAR)).frame();
        assertEquals(5.0, linear.column("price").getDouble(1));
    }

    @Test
    void withoutTheOptionAMissingTargetIsAnErrorNamingTheColumnTheSeriesAndTheFix() {
        Frame raw = twoSeries();
        assertFalse(MissingValues.apply(raw, PARAMETERS, Options.none()).report().changedAnything());
        DatasetParameters withGaps = DatasetParameters.builder().timeIdx("t").target("y").groupIds("id").timeVaryingKnownReals("price")
                .timeVaryingUnknownReals("y").maxEncoderLength(2).maxPredictionLength(1).allowMissingTimesteps(true).build();
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(raw, withGaps));
        assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains("id=a") && e.getMessage().contains("fill_missing"),
                e.getMessage());
    }

    @Test
    void unknownMethodsAndColumnsNameTheClosestValidOne() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Options.fromJson(Map.of("target", "forwad"), "data.fill_missing"));
        assertTrue(e.getMessage().contains("data.fill_missing.target") && e.getMessage().contains("did you mean \"forward\""),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.fromJson(Map.of("covariate", "zero"), "data.fill_missing"));
        assertTrue(e.getMessage().contains("covariates"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MissingValues.apply(twoSeries(), PARAMETERS, Options.none().withColumn("prices", Method.ZERO)));
        assertTrue(e.getMessage().contains("'prices'") && e.getMessage().contains("'price'"), e.getMessage());
    }

    @Test
    void theConfigReadsTheOptionAndLoadFrameAppliesIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data.csv"), "id,t,y,price\na,0,,1\na,1,2,\na,2,,3\na,3,8,4\nb,0,1,\nb,1,2,2\nb,2,3,2\nb,3,4,2\n");
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"path": "data.csv", "fill_missing": {"target": "linear", "covariates": "forward", "columns": {"price": "zero"}}},
                 "dataset": {"time_idx": "t", "target": "y", "group_ids": ["id"], "time_varying_known_reals": ["price"],
                             "time_varying_unknown_reals": ["y"], "max_encoder_length": 2, "max_prediction_length": 1}}""");
        TrainingConfig cfg = TrainingConfig.load(config);
        Options options = cfg.fillMissing();
        assertEquals(new Options(Method.LINEAR, Method.FORWARD, Map.of("price", Method.ZERO)), options);
        assertEquals(options, Options.fromJson(options.toJson(), "round trip"));
        assertEquals(cfg.data().get("fill_missing"), options.toJson());
        assertEquals(2, cfg.readFrame().column("y").missingCount());
        Frame filled = cfg.loadFrame();
        assertEquals(0, filled.column("y").missingCount());
        assertEquals(5.0, filled.column("y").getDouble(2), "a at t=2 lies halfway between 2 and 8");
        assertEquals(0.0, filled.column("price").getDouble(4));
        assertTrue(cfg.datasets().training().size() > 0);

        Files.writeString(config, Files.readString(config).replace("\"zero\"", "\"zeros\""));
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(config));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("data.fill_missing.columns.price")
                && e.getMessage().contains("did you mean \"zero\""), e.getMessage());
    }
}
