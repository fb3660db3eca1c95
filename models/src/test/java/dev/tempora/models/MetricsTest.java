package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every metric against values worked out by hand. */
class MetricsTest {

    private static final List<Float> QUANTILES = List.of(0.1f, 0.5f, 0.9f);

    @Test
    void pointForecastFollowsPtfDefinitions() {
        // history 10, 11, 12 | actuals 13, 14; the forecast repeats the last value 12
        Metrics.Accumulator a = new Metrics.Accumulator(QUANTILES);
        a.add(Tensor.of(new float[] {10, 11, 12}, 1, 3), new int[] {3}, Tensor.of(new float[] {13, 14}, 1, 2), new int[] {2},
                Tensor.of(new float[] {12, 12}, 1, 2));
        Metrics m = a.result();
        assertEquals(1.5, m.mae(), 1e-12);
        assertEquals(Math.sqrt((1 + 4) / 2.0), m.rmse(), 1e-12);
        assertEquals((2.0 * 1 / 25 + 2.0 * 2 / 26) / 2, m.smape(), 1e-9);
        assertEquals((1.0 / 13 + 2.0 / 14) / 2, m.mape(), 1e-9);
        double scaling = 4.0 / 5 + 1e-6; // four steps of 1 over five values (PTF divides by the count)
        assertEquals((1 / scaling + 2 / scaling) / 2, m.mase(), 1e-9);
        assertEquals(3.0 / 27, m.wql(), 1e-7, "a point forecast's wQL is its weighted absolute percentage error");
        assertEquals(2, m.points());
        assertEquals(1, m.samples());
    }

    @Test
    void quantileForecastsScoreTheMedianAndTheWeightedQuantileLoss() {
        Metrics.Accumulator a = new Metrics.Accumulator(QUANTILES);
        // actuals 10, 20; quantile forecasts (0.1, 0.5, 0.9) = (8, 10, 14) and (15, 18, 30)
        a.add(Tensor.of(new float[] {10}, 1, 1), new int[] {1}, Tensor.of(new float[] {10, 20}, 1, 2), new int[] {2},
                Tensor.of(new float[] {8, 10, 14, 15, 18, 30}, 1, 2, 3));
        Metrics m = a.result();
        assertEquals(1.0, m.mae(), 1e-12);            // median errors 0 and 2
        assertEquals(Math.sqrt(2.0), m.rmse(), 1e-12);
        // pinball: y=10: 0.1·2, 0, 0.1·4; y=20: 0.1·5, 0.5·2, 0.1·10 → 3.1; wQL = 2·3.1 / (3 quantiles · Σ|y| 30)
        assertEquals(6.2 / 90, m.wql(), 1e-7); // quantiles are floats: 0.1f is not 0.1
        double scaling = (0 + 10) / 3.0 + 1e-6;       // targets 10, 10, 20
        assertEquals((0 / scaling + 2 / scaling) / 2, m.mase(), 1e-9);
    }

    @Test
    void paddedStepsAreIgnoredAndMergingMatchesOneAccumulator() {
        // sample 0: encoder 2 of 3 steps, decoder 1 of 2 steps; the padding holds values that would count if read
        Tensor encoder = Tensor.of(new float[] {4, 6, 999, 1, 2, 3}, 2, 3);
        Tensor decoder = Tensor.of(new float[] {5, 999, 7, 9}, 2, 2);
        Tensor forecast = Tensor.of(new float[] {4, -999, 6, 6}, 2, 2);
        Metrics.Accumulator both = new Metrics.Accumulator(QUANTILES);
        both.add(encoder, new int[] {2, 3}, decoder, new int[] {1, 2}, forecast);
        Metrics m = both.result();
        assertEquals(3, m.points());
        assertEquals((1 + 1 + 3) / 3.0, m.mae(), 1e-12);
        assertEquals(5.0 / 21, m.wql(), 1e-7);
        double s0 = (2 + 1) / 3.0 + 1e-6;            // 4, 6, 5
        double s1 = (1 + 1 + 4 + 2) / 5.0 + 1e-6;    // 1, 2, 3, 7, 9
        assertEquals((1 / s0 + 1 / s1 + 3 / s1) / 3, m.mase(), 1e-9);

        Metrics.Accumulator first = new Metrics.Accumulator(QUANTILES);
        first.add(encoder.narrow(0, 0, 1), new int[] {2}, decoder.narrow(0, 0, 1), new int[] {1}, forecast.narrow(0, 0, 1));
        Metrics.Accumulator second = new Metrics.Accumulator(QUANTILES);
        second.add(encoder.narrow(0, 1, 1), new int[] {3}, decoder.narrow(0, 1, 1), new int[] {2}, forecast.narrow(0, 1, 1));
        first.add(second);
        assertEquals(m, first.result());
    }

    @Test
    void weightedQuantileLossIsPtfsQuantileLossOverTheMeanAbsoluteActual() {
        List<Float> quantiles = TftConfig.DEFAULT_QUANTILES;
        Tensor prediction = Tensor.uniform(7, 0f, 20f, 3, 4, quantiles.size());
        Tensor actual = Tensor.uniform(8, 0f, 20f, 3, 4);
        int[] lengths = {4, 2, 3};
        double loss = new QuantileLoss(quantiles).forward(Variable.constant(prediction), actual, lengths).item();
        Metrics.Accumulator a = new Metrics.Accumulator(quantiles);
        a.add(Tensor.ones(3, 1), new int[] {1, 1, 1}, actual, lengths, prediction);
        double sumActual = 0;
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                sumActual += Math.abs(actual.get(b, t));
            }
        }
        assertEquals(loss, a.result().wql() * sumActual / 9, 1e-5 * loss);
    }

    @Test
    void badShapesAndEmptyResultsAreErrors() {
        Metrics.Accumulator a = new Metrics.Accumulator(QUANTILES);
        assertThrows(IllegalStateException.class, a::result);
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(1, 2), new int[] {2}, Tensor.zeros(1, 2),
                new int[] {2}, Tensor.zeros(1, 2, 7)));
        assertTrue(e.getMessage().contains("[1, 2, 7]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(1, 1), new int[] {0}, Tensor.zeros(1, 2),
                new int[] {1}, Tensor.zeros(1, 2)));
        assertTrue(e.getMessage().contains("at least 2 target values"), e.getMessage());
        Metrics.Accumulator zeros = new Metrics.Accumulator(QUANTILES);
        zeros.add(Tensor.zeros(1, 2), new int[] {2}, Tensor.zeros(1, 2), new int[] {2}, Tensor.zeros(1, 2));
        assertNull(zeros.result().toJson().get("wql"), "wQL is undefined when every actual is 0");
    }
}
