package dev.tempora.models;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * N-HiTS's forward against a reference written here in double precision from PTF's code (pooling, the
 * block MLP, the θ split into backcast and per-quantile knots, torch's interpolation formula, residual
 * backcasts, the naive level, de-normalisation), fed the model's own weights. python3-torch is not
 * available on the build machine, so the reference is hand-written rather than torch's.
 */
class NHitsReferenceTest {

    private static final int REALS = 3;
    private static final int TARGET = 1;

    /** A batch of four samples with encoder lengths 7, 4, 1 and 0 (right-padded with noise) and 5 decoder steps. */
    static ModelInputs batch(int encoderSteps, int[] encoderLengths, int decoderSteps) {
        int b = encoderLengths.length;
        return new ModelInputs(Tensor.zeros(b, encoderSteps, 0), Tensor.randn(11, b, encoderSteps, REALS),
                Tensor.zeros(b, decoderSteps, 0), Tensor.randn(12, b, decoderSteps, REALS), encoderLengths,
                filled(b, decoderSteps), Tensor.uniform(13, 0.5f, 2f, b, 2));
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        Arrays.fill(out, value);
        return out;
    }

    private static NHitsConfig config(Map<String, Object> hyperParameters, String transformation) {
        return NHitsConfig.fromDataset(7, 5, List.of(0.1f, 0.5f, 0.9f), TARGET, REALS, transformation, hyperParameters, 21);
    }

    @Test
    void defaultStacksMatchTheReference() {
        // PTF's defaults for horizon 5: pooling [2, 2, 1], downsampling [2, 2, 1], so 2, 2 and 5 knots.
        NHitsConfig config = config(Map.of("hidden_size", 6L), "none");
        assertEquals(List.of(2, 2, 1), config.poolingSizes());
        assertEquals(List.of(2, 2, 1), config.downsampleFrequencies());
        checkAgainstReference(new NHits(config), batch(7, new int[] {7, 4, 1, 0}, 5));
    }

    @Test
    void averagePoolingNearestKnotsSharedBlocksAndNoNaiveLevelMatchTheReference() {
        NHitsConfig config = config(Map.of("hidden_size", 5L, "n_blocks", List.of(2L, 1L), "n_layers", List.of(1L, 3L),
                "pooling_sizes", List.of(3L, 1L), "downsample_frequencies", List.of(5L, 2L), "pooling_mode", "average",
                "interpolation_mode", "nearest", "activation", "Tanh", "naive_level", false), "softplus");
        NHits model = new NHits(config);
        // Encoders longer than context_length (9 steps) are read from their last 7 values.
        checkAgainstReference(model, batch(9, new int[] {9, 8, 3}, 4));
    }

    @Test
    void unsharedBlocksOfAStackHaveTheirOwnWeightsAndMatchTheReference() {
        NHitsConfig config = config(Map.of("hidden_size", 4L, "n_blocks", List.of(2L), "shared_weights", false,
                "activation", "Sigmoid"), "log");
        NHits model = new NHits(config);
        assertEquals(model.stateDict().size(), model.namedParameters().size(), "no weight is shared");
        checkAgainstReference(model, batch(7, new int[] {7, 5}, 5));
    }

    private static void checkAgainstReference(NHits model, ModelInputs batch) {
        model.eval();
        Tensor prediction;
        try (GradMode.Scope off = GradMode.noGrad()) {
            prediction = model.forward(batch, false).prediction().value();
        }
        double[][][] expected = reference(model, batch);
        int steps = batch.decoderSteps();
        int q = model.config.quantiles().size();
        assertArrayEquals(new int[] {batch.batchSize(), steps, q}, prediction.shape());
        for (int i = 0; i < batch.batchSize(); i++) {
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < q; k++) {
                    double e = expected[i][t][k];
                    assertEquals(e, prediction.get(i, t, k), 2e-5 * Math.max(1, Math.abs(e)),
                            "sample " + i + " step " + t + " quantile " + k);
                }
            }
        }
    }

    // ---------------------------------------------------------------- the reference, in double

    /** The de-normalised prediction [sample][step][quantile]. */
    private static double[][][] reference(NHits model, ModelInputs batch) {
        NHitsConfig c = model.config;
        int b = batch.batchSize();
        int length = c.contextLength();
        int horizon = c.predictionLength();
        int q = c.quantiles().size();
        Map<String, Variable> weights = model.stateDict();
        double[][][] out = new double[b][batch.decoderSteps()][q];
        for (int i = 0; i < b; i++) {
            double[] residual = history(batch, i, c);
            double[][] forecast = new double[horizon][q];
            if (c.naiveLevel()) {
                for (double[] row : forecast) {
                    Arrays.fill(row, residual[length - 1]);
                }
            }
            int block = 0;
            for (int stack = 0; stack < c.nBlocks().size(); stack++) {
                for (int repeat = 0; repeat < c.nBlocks().get(stack); repeat++, block++) {
                    // Shared blocks are stored under each index with the same weights, so reading by index is right either way.
                    double[] theta = mlp(c, stack, weights, "model.blocks." + block + ".layers.",
                            pool(residual, c.poolingSizes().get(stack), c.poolingMode().equals("max")));
                    int knots = c.knots(stack);
                    for (int k = 0; k < q; k++) {
                        double[] knotValues = Arrays.copyOfRange(theta, length + k * knots, length + (k + 1) * knots);
                        double[] series = interpolate(knotValues, horizon, c.interpolationMode().equals("linear"));
                        for (int t = 0; t < horizon; t++) {
                            forecast[t][k] += series[t];
                        }
                    }
                    for (int t = 0; t < length; t++) {
                        residual[t] -= theta[t];
                    }
                }
            }
            double center = batch.targetScale().get(i, 0);
            double scale = batch.targetScale().get(i, 1);
            for (int t = 0; t < batch.decoderSteps(); t++) {
                for (int k = 0; k < q; k++) {
                    out[i][t][k] = reverse(forecast[t][k] * scale + center, c.outputTransformation());
                }
            }
        }
        return out;
    }

    /** The last valid values, right-aligned, the first of them repeated before (zeros when none). */
    private static double[] history(ModelInputs batch, int sample, NHitsConfig c) {
        int length = c.contextLength();
        int valid = batch.encoderLengths()[sample];
        double[] h = new double[length];
        int taken = Math.min(valid, length);
        for (int k = 0; k < taken; k++) {
            h[length - taken + k] = batch.encoderCont().get(sample, valid - taken + k, c.targetPosition());
        }
        for (int t = 0; t < length - taken && taken > 0; t++) {
            h[t] = h[length - taken];
        }
        return h;
    }

    private static double[] pool(double[] x, int kernel, boolean max) {
        int windows = (x.length + kernel - 1) / kernel;
        double[] out = new double[windows];
        for (int w = 0; w < windows; w++) {
            int end = Math.min(x.length, (w + 1) * kernel);
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int t = w * kernel; t < end; t++) {
                acc = max ? Math.max(acc, x[t]) : acc + x[t];
            }
            out[w] = max ? acc : acc / (end - w * kernel);
        }
        return out;
    }

    /** Linear layers with the activation between them (PTF's Sequential), the last without. */
    private static double[] mlp(NHitsConfig c, int stack, Map<String, Variable> weights, String prefix, double[] input) {
        double[] h = input;
        int index = 0;
        int layers = c.nLayers().get(stack);
        for (int layer = 0; layer <= layers; layer++) {
            Tensor w = weights.get(prefix + index + ".weight").value();
            Tensor bias = weights.get(prefix + index + ".bias").value();
            double[] next = new double[w.size(0)];
            for (int o = 0; o < next.length; o++) {
                double sum = bias.get(o);
                for (int j = 0; j < h.length; j++) {
                    sum += w.get(o, j) * h[j];
                }
                next[o] = layer < layers ? activate(sum, c.activation()) : sum;
            }
            h = next;
            index += c.dropout() > 0 ? 3 : 2;
        }
        return h;
    }

    private static double activate(double x, String activation) {
        return switch (activation) {
            case "ReLU" -> Math.max(0, x);
            case "Tanh" -> Math.tanh(x);
            case "Sigmoid" -> 1 / (1 + Math.exp(-x));
            case "Softplus" -> x > 20 ? x : Math.log1p(Math.exp(x));
            default -> throw new AssertionError(activation);
        };
    }

    /** torch's F.interpolate(size=size) in double: linear with align_corners=False, or nearest. */
    private static double[] interpolate(double[] x, int size, boolean linear) {
        double scale = (double) x.length / size;
        double[] out = new double[size];
        for (int j = 0; j < size; j++) {
            if (linear) {
                double source = Math.max(scale * (j + 0.5) - 0.5, 0);
                int low = Math.min((int) Math.floor(source), x.length - 1);
                int high = Math.min(low + 1, x.length - 1);
                double lambda = Math.min(source - low, 1);
                out[j] = (1 - lambda) * x[low] + lambda * x[high];
            } else {
                out[j] = x[Math.min((int) Math.floor(j * scale), x.length - 1)];
            }
        }
        return out;
    }

    private static double reverse(double y, String transformation) {
        return switch (transformation) {
            case "none" -> y;
            case "softplus" -> y > 20 ? y : Math.log1p(Math.exp(y));
            case "log" -> Math.exp(y);
            default -> throw new AssertionError(transformation);
        };
    }
}
