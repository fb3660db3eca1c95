package dev.tempora.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PTF's data set {@code weight}: a column whose rows' values reach the batch as each decoder step's weight. */
class WeightColumnTest {

    /** Series "a" at the given times with target 10 + t and weight 100 + t. */
    private static Frame weighted(int... times) {
        double[] w = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            w[i] = 100 + times[i];
        }
        return TimeSeriesDataSetTest.series(times).with(new DoubleColumn("w", w));
    }

    private static int windowStartingAt(TimeSeriesDataSet ds, int firstTimeIdx, int encoderLength, int decoderLength) {
        for (int w = 0; w < ds.size(); w++) {
            TimeSeriesDataSet.Window x = ds.window(w);
            if (x.firstTimeIdx() == firstTimeIdx && x.encoderLength() == encoderLength && x.decoderLength() == decoderLength) {
                return w;
            }
        }
        throw new AssertionError("no window " + firstTimeIdx + ":" + encoderLength + "+" + decoderLength);
    }

    @Test
    void theWeightColumnReachesTheBatchAsTheDecoderStepsWeights() {
        String lengths = ", \"min_encoder_length\": 1, \"max_encoder_length\": 3, \"min_prediction_length\": 1, "
                + "\"max_prediction_length\": 2";
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(weighted(TimeSeriesDataSetTest.range(10)),
                TimeSeriesDataSetTest.params(lengths + ", \"weight\": \"w\""));
        int full = windowStartingAt(ds, 2, 3, 2);
        int shortest = windowStartingAt(ds, 0, 1, 1);
        Batch b = ds.collate(new int[] {full, shortest});
        // Decoder rows 5, 6 and 1; the shorter sample's padding weighs 0.
        assertArrayEquals(new float[] {105, 106, 101, 0}, b.weight.toFloatArray());
        assertArrayEquals(b.decoderTarget.shape(), b.weight.shape());
        // The weight is not an input.
        assertEquals(List.of("encoder_length", "y"), ds.description().reals());
        // Without the key, no weights.
        assertNull(TimeSeriesDataSet.create(weighted(TimeSeriesDataSetTest.range(10)), TimeSeriesDataSetTest.params(lengths))
                .collate(new int[] {0}).weight);
    }

    @Test
    void gapsForwardFillTheWeightAsTheTarget() {
        Frame f = weighted(0, 1, 2, 4, 5, 6);
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(f, TimeSeriesDataSetTest.params(", \"min_encoder_length\": 1, "
                + "\"max_encoder_length\": 1, \"max_prediction_length\": 2, \"allow_missing_timesteps\": true, \"weight\": \"w\""));
        Batch b = ds.collate(new int[] {windowStartingAt(ds, 2, 1, 2)});
        assertArrayEquals(new float[] {12, 14}, b.decoderTarget.toFloatArray()); // time 3 repeats time 2
        assertArrayEquals(new float[] {102, 104}, b.weight.toFloatArray());
    }

    @Test
    void aDataSetFromFittedPreprocessingTakesTheWeightsWhenTheColumnIsThereAndNoneWhenNot() {
        DatasetParameters p = TimeSeriesDataSetTest.params(", \"max_encoder_length\": 3, \"max_prediction_length\": 2, "
                + "\"weight\": \"w\"");
        TimeSeriesDataSet training = TimeSeriesDataSet.create(weighted(TimeSeriesDataSetTest.range(8)), p);
        TimeSeriesDataSet validation = TimeSeriesDataSet.fromDataset(training, weighted(TimeSeriesDataSetTest.range(10)), true);
        assertArrayEquals(new float[] {108, 109}, validation.collate(new int[] {0}).weight.toFloatArray());
        // Forecasting needs no weights: new data without the column is fine.
        TimeSeriesDataSet future = TimeSeriesDataSet.fromDataset(training, TimeSeriesDataSetTest.series(TimeSeriesDataSetTest.range(10)), true);
        assertNull(future.collate(new int[] {0}).weight);
        // The parameters round trip through JSON with the key.
        assertEquals("w", DatasetParameters.fromJson(p.toJson()).weight);
        assertEquals("w", DatasetParameters.builder().timeIdx("t").target("y").weight("w").build().weight);
    }

    @Test
    void badWeightsAreNamed() {
        String lengths = ", \"max_encoder_length\": 2, \"max_prediction_length\": 1";
        Frame negative = TimeSeriesDataSetTest.series(TimeSeriesDataSetTest.range(5))
                .with(new DoubleColumn("w", new double[] {1, 1, -2, 1, 1}));
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(negative,
                TimeSeriesDataSetTest.params(lengths + ", \"weight\": \"w\"")));
        assertTrue(e.getMessage().contains("weight column 'w' is -2.0") && e.getMessage().contains("time_idx 2"), e.getMessage());
        Frame missing = TimeSeriesDataSetTest.series(TimeSeriesDataSetTest.range(5))
                .with(new DoubleColumn("w", new double[] {1, Double.NaN, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(missing,
                TimeSeriesDataSetTest.params(lengths + ", \"weight\": \"w\"")));
        var absent = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(
                TimeSeriesDataSetTest.series(TimeSeriesDataSetTest.range(5)), TimeSeriesDataSetTest.params(lengths + ", \"weight\": \"w\"")));
        assertTrue(absent.getMessage().contains("'w'"), absent.getMessage());
        var target = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSetTest.params(lengths + ", \"weight\": \"y\""));
        assertTrue(target.getMessage().contains("weight"), target.getMessage());
    }
}
