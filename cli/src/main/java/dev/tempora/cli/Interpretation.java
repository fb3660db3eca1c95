package dev.tempora.cli;

import dev.tempora.data.Batch;
import dev.tempora.models.TftConfig;
import dev.tempora.models.TftOutput;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the TFT paid attention to, gathered over a dataset as PTF's {@code interpret_output} and
 * {@code plot_interpretation} do: each sample's variable-selection weights averaged over its valid
 * encoder or decoder steps, summed over samples and normalised to percent; and per window the
 * attention of the first forecast step over the encoder, averaged over heads (PTF's
 * {@code attention_prediction_horizon=0}, the line {@code plot_prediction} draws).
 */
final class Interpretation {

    private final List<String> staticNames;
    private final List<String> encoderNames;
    private final List<String> decoderNames;
    private final double[] staticSums;
    private final double[] encoderSums;
    private final double[] decoderSums;
    private final Map<Integer, float[]> attentionByWindow = new HashMap<>();

    Interpretation(TftConfig config) {
        staticNames = concat(config.staticCategoricals(), config.staticReals());
        encoderNames = concat(config.timeVaryingCategoricalsEncoder(), config.timeVaryingRealsEncoder());
        decoderNames = concat(config.timeVaryingCategoricalsDecoder(), config.timeVaryingRealsDecoder());
        staticSums = new double[staticNames.size()];
        encoderSums = new double[encoderNames.size()];
        decoderSums = new double[decoderNames.size()];
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    void add(Batch batch, TftOutput out) {
        int n = batch.size();
        if (!staticNames.isEmpty()) {
            float[] s = out.staticVariables().value().contiguous().toFloatArray(); // (B, 1, n)
            for (int b = 0; b < n; b++) {
                for (int v = 0; v < staticNames.size(); v++) {
                    staticSums[v] += s[b * staticNames.size() + v];
                }
            }
        }
        addTimeVarying(out.encoderVariables().value(), batch, true, encoderSums);
        addTimeVarying(out.decoderVariables().value(), batch, false, decoderSums);
        Tensor attention = out.encoderAttention(); // (B, Td, heads, Te)
        if (attention != null) {
            float[] a = attention.contiguous().toFloatArray();
            int td = attention.size(1);
            int heads = attention.size(2);
            int te = attention.size(3);
            for (int b = 0; b < n; b++) {
                int enc = batch.encoderLength(b);
                float[] line = new float[enc];
                for (int h = 0; h < heads; h++) {
                    int base = ((b * td) * heads + h) * te; // decoder step 0
                    for (int k = 0; k < enc; k++) {
                        line[k] += a[base + k] / heads;
                    }
                }
                attentionByWindow.put(batch.windowIndex(b), line);
            }
        }
    }

    /** Per sample: the weights (B, T, 1, n) averaged over its valid steps; summed into {@code sums}. */
    private static void addTimeVarying(Tensor weights, Batch batch, boolean encoder, double[] sums) {
        int n = sums.length;
        float[] w = weights.contiguous().toFloatArray();
        int steps = weights.size(1);
        for (int b = 0; b < batch.size(); b++) {
            int length = encoder ? batch.encoderLength(b) : batch.decoderLength(b);
            if (length == 0) {
                continue;
            }
            for (int t = 0; t < length; t++) {
                int base = (b * steps + t) * n;
                for (int v = 0; v < n; v++) {
                    sums[v] += w[base + v] / length;
                }
            }
        }
    }

    /** Static variable importance in percent, in the model's variable order. */
    Map<String, Double> staticImportance() {
        return percent(staticNames, staticSums);
    }

    Map<String, Double> encoderImportance() {
        return percent(encoderNames, encoderSums);
    }

    Map<String, Double> decoderImportance() {
        return percent(decoderNames, decoderSums);
    }

    /** The first forecast step's attention over the window's encoder steps (oldest first), or null. */
    float[] encoderAttention(int window) {
        return attentionByWindow.get(window);
    }

    private static Map<String, Double> percent(List<String> names, double[] sums) {
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int v = 0; v < names.size(); v++) {
            out.put(names.get(v), total > 0 ? 100 * sums[v] / total : 0.0);
        }
        return out;
    }
}
