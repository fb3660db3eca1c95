package dev.tempora.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The size of a {@link TemporalFusionTransformer} worked out from its {@link TftConfig} alone, without
 * allocating it: its exact parameter count (the same modules, layer by layer, as the constructor builds)
 * and an estimate of the activations one window keeps for the backward pass. Training checks these
 * against the heap before it allocates anything.
 */
public final class TftSize {

    private TftSize() {}

    /**
     * The number of trainable parameters, exactly {@code new TemporalFusionTransformer(config).parameterCount()}.
     *
     * @param config the model's configuration
     * @return the parameter count (a long: a bounded config cannot overflow it)
     */
    public static long parameters(TftConfig config) {
        long h = config.hiddenSize();
        long n = 0;
        for (String v : config.categoricalVariables()) {
            n += (long) config.categoricalCardinalities().get(v) * config.embeddingSize(v);
        }
        for (String r : config.realVariables()) {
            n += linear(1, config.hiddenContinuousSize(r), true);
        }
        n += variableSelection(config, config.staticCategoricals(), config.staticReals(), 0);
        n += variableSelection(config, config.timeVaryingCategoricalsEncoder(), config.timeVaryingRealsEncoder(), h);
        n += variableSelection(config, config.timeVaryingCategoricalsDecoder(), config.timeVaryingRealsDecoder(), h);
        n += 4 * grn(h, h, h, 0);                          // the four static context networks
        n += 2 * config.lstmLayers() * (8 * h * h + 8 * h); // encoder and decoder LSTMs
        n += glu(h, h) + addNorm(h, false);               // post-LSTM gate and add-norm, shared by encoder and decoder
        n += grn(h, h, h, h);                             // static enrichment
        n += attention(config.attentionHeadSize(), h);
        n += gateAddNorm(h, h) + grn(h, h, h, 0) + gateAddNorm(h, h);
        n += linear(h, config.outputSize(), true);
        return n;
    }

    /**
     * An estimate of the floats one window keeps alive between the forward and the backward pass: per time
     * step, each time-varying variable's selection network and the LSTM layers; over the decoder, the
     * attention's (decoder × all steps) scores per head and the layers after it. It counts the large
     * tensors only, so real use is somewhat higher.
     *
     * @param config           the model's configuration
     * @param encoderLength    max_encoder_length
     * @param predictionLength max_prediction_length
     * @return floats per window
     */
    public static long activationsPerWindow(TftConfig config, int encoderLength, int predictionLength) {
        long h = config.hiddenSize();
        long steps = (long) encoderLength + predictionLength;
        long encoderVariables = config.timeVaryingCategoricalsEncoder().size() + config.timeVaryingRealsEncoder().size();
        long decoderVariables = config.timeVaryingCategoricalsDecoder().size() + config.timeVaryingRealsDecoder().size();
        // A variable's GRN keeps about six hidden-wide tensors per step (linears, ELU, the GLU's product, the
        // add-norm's output); an LSTM layer its gates and states; attention its (decoder × steps) scores per head.
        // The coefficients are set low on purpose: taxi-small (hidden 20, 231 steps, batch 128) estimates 290 MiB and
        // needs 400 to 450 MiB of heap, so a failed check is not a false alarm.
        long selection = 6 * h * ((long) encoderLength * encoderVariables + (long) predictionLength * decoderVariables);
        long lstm = 8 * h * config.lstmLayers() * steps;
        long perStep = 12 * h * steps;                     // post-LSTM gate, static enrichment
        long attention = (long) config.attentionHeadSize() * predictionLength * steps;
        long decoderLayers = 20 * h * predictionLength;    // attention output, gates, position-wise GRN, output
        return selection + lstm + perStep + attention + decoderLayers;
    }

    private static long variableSelection(TftConfig config, List<String> categoricals, List<String> reals, long context) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String c : categoricals) {
            sizes.put(c, config.embeddingSize(c));
        }
        for (String r : reals) {
            sizes.put(r, config.hiddenContinuousSize(r));
        }
        long h = config.hiddenSize();
        long variables = sizes.size();
        long total = sizes.values().stream().mapToLong(Integer::longValue).sum();
        long n = variables > 1 ? grn(total, Math.min(h, variables), variables, context) : 0;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            long size = e.getValue();
            // A categorical's embedding is resampled to the hidden size; a real goes through its own GRN.
            n += categoricals.contains(e.getKey()) ? resampleNorm(size, h) : grn(size, Math.min(size, h), h, 0);
        }
        return n;
    }

    private static long linear(long in, long out, boolean bias) {
        return in * out + (bias ? out : 0);
    }

    private static long layerNorm(long size) {
        return 2 * size;
    }

    /** A ResampleNorm with a trainable mask. */
    private static long resampleNorm(long in, long out) {
        return out + layerNorm(out);
    }

    private static long addNorm(long size, boolean trainableAdd) {
        return (trainableAdd ? size : 0) + layerNorm(size);
    }

    private static long glu(long in, long hidden) {
        return linear(in, 2 * hidden, true);
    }

    private static long gateAddNorm(long in, long hidden) {
        return glu(in, hidden) + addNorm(hidden, false);
    }

    private static long grn(long in, long hidden, long out, long context) {
        return (in != out ? resampleNorm(in, out) : 0) + linear(in, hidden, true) + (context > 0 ? linear(context, hidden, false) : 0)
                + linear(hidden, hidden, true) + gateAddNorm(hidden, out);
    }

    private static long attention(long heads, long modelSize) {
        long headSize = modelSize / heads;
        return linear(modelSize, headSize, true) + 2 * heads * linear(modelSize, headSize, true) + linear(headSize, modelSize, false);
    }
}
