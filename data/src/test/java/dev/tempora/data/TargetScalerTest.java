package dev.tempora.data;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "target" scaler: a real in the target's units reaches the network on the target's scale, by the target
 * normaliser of its own series (PTF scales lagged targets so), under group and global normalisers.
 */
class TargetScalerTest {

    /** Series "a" (target 10 + t) and "b" (target 1000 + 7t, a hundred times larger), t = 0..19, and a copy of the target. */
    private static Frame twoLevels() {
        int n = 20;
        int[] t = new int[2 * n];
        String[] ids = new String[2 * n];
        double[] y = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            t[i] = i % n;
            ids[i] = i < n ? "a" : "b";
            y[i] = i < n ? 10 + t[i] : 1000 + 7 * t[i];
        }
        return new Frame("test", List.of(new IntColumn("t", t), StringColumn.of("id", ids), new DoubleColumn("y", y),
                new DoubleColumn("y_copy", y.clone())));
    }

    private static DatasetParameters params(String normalizer) {
        return TimeSeriesDataSetTest.params(", \"max_encoder_length\": 4, \"max_prediction_length\": 3, "
                + "\"time_varying_known_reals\": [\"y_copy\"], \"scalers\": {\"y_copy\": \"target\"}, \"target_normalizer\": " + normalizer);
    }

    @Test
    void aCopyOfTheTargetReadsAsTheTargetsInputInEverySeries() {
        for (String normalizer : List.of(
                "{\"type\": \"GroupNormalizer\", \"groups\": [\"id\"], \"transformation\": \"softplus\"}",
                "{\"type\": \"GroupNormalizer\", \"groups\": [\"id\"], \"method\": \"robust\", \"transformation\": \"log1p\"}",
                "{\"type\": \"TorchNormalizer\"}")) {
            TimeSeriesDataSet ds = TimeSeriesDataSet.create(twoLevels(), params(normalizer));
            List<String> reals = ds.description().reals();
            int copy = reals.indexOf("y_copy");
            int target = reals.indexOf("y");
            int[] all = new int[ds.size()];
            for (int w = 0; w < all.length; w++) {
                all[w] = w;
            }
            Batch b = ds.collate(all);
            int encoderSteps = b.encoderCont.shape()[1];
            for (int w = 0; w < all.length; w++) {
                for (int s = 0; s < encoderSteps; s++) {
                    assertEquals(b.encoderCont.get(w, s, target), b.encoderCont.get(w, s, copy), 0f,
                            normalizer + ": window " + w + ", encoder step " + s);
                }
            }
            // Series b is a hundred times larger than a, yet both copies are scaled (raw, they reach 1,133).
            for (int w = 0; w < all.length; w++) {
                assertTrue(Math.abs(b.decoderCont.get(w, 0, copy)) < 3, normalizer + ": window " + w);
            }
        }
    }

    @Test
    void theScalerIsSavedWithTheModelAndAppliedAgainToNewData() {
        TimeSeriesDataSet train = TimeSeriesDataSet.create(twoLevels(),
                params("{\"type\": \"GroupNormalizer\", \"groups\": [\"id\"], \"transformation\": \"softplus\"}"));
        Preprocessing back = Preprocessing.fromJson(Json.parseObject(Json.write(train.preprocessing().toJson())));
        assertEquals(RealScaler.Kind.TARGET, back.scaler("y_copy").kind());
        Batch direct = TimeSeriesDataSet.fromDataset(train, twoLevels(), true).collate(new int[] {0, 1});
        Batch restored = TimeSeriesDataSet.fromPreprocessing(back, twoLevels(), true).collate(new int[] {0, 1});
        assertArrayEquals(direct.decoderCont.toFloatArray(), restored.decoderCont.toFloatArray());
        assertArrayEquals(direct.encoderCont.toFloatArray(), restored.encoderCont.toFloatArray());
    }

    @Test
    void anEncoderNormalizerIsRefusedWithWhatToDo() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeriesDataSet.create(twoLevels(), params("{\"type\": \"EncoderNormalizer\"}")));
        assertTrue(e.getMessage().contains("'y_copy' is scaled as the target, which needs a GroupNormalizer or TorchNormalizer"),
                e.getMessage());
    }

    @Test
    void aValueOutsideTheTransformationsDomainIsNamed() {
        Frame f = twoLevels();
        double[] copy = new double[f.rowCount()];
        for (int r = 0; r < copy.length; r++) {
            copy[r] = f.column("y").getDouble(r);
        }
        copy[25] = -3; // series b, t = 5
        Frame bad = new Frame("test", List.of(f.column("t"), f.column("id"), f.column("y"), new DoubleColumn("y_copy", copy)));
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesDataSet.create(bad,
                params("{\"type\": \"GroupNormalizer\", \"groups\": [\"id\"], \"transformation\": \"log\"}")));
        assertTrue(e.getMessage().contains("'y_copy' (scaled as the target) is -3.0 in series id=b at time_idx 5")
                && e.getMessage().contains("scale 'y_copy' with \"standard\""), e.getMessage());
    }

    @Test
    void aWrongScalerNameListsTarget() {
        var e = assertThrows(IllegalArgumentException.class, () -> RealScaler.parseKind("targets", "y_copy"));
        assertTrue(e.getMessage().contains("\"target\""), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new RealScaler(RealScaler.Kind.TARGET, 0, 1).transform(1));
    }
}
