package dev.tempora.models;

import dev.tempora.autograd.InterpretableAttention;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * PTF's InterpretableMultiHeadAttention: per-head query and key projections (q_layers.i,
 * k_layers.i: Linear(H, d)), one value projection shared by all heads (v_layer), the mean of the
 * heads' outputs, then w_h: Linear(d, H) without bias, and dropout. d = H / heads (integer
 * division). Weights xavier-uniform, biases 0.
 *
 * <p>The heads' projections are concatenated into one GEMM each for queries and keys; the masked
 * softmax, head dropout and head mean run fused in {@link InterpretableAttention}.
 */
public final class InterpretableMultiHeadAttention extends Module {

    /** The number of heads. */
    public final int heads;
    /** H, the features of the input and the output. */
    public final int modelSize;
    /** d = H / heads, the features of each head's queries, keys and values. */
    public final int headSize;
    private final float dropoutProbability;
    private final Dropout dropout;
    private final Linear vLayer;
    private final Linear[] qLayers;
    private final Linear[] kLayers;
    private final Linear wH;

    /** The attention output (B, Td, H) and, when requested, the weights (B, Td, heads, T). */
    public record Output(Variable output, Tensor weights) {}

    /** PTF's {@code InterpretableMultiHeadAttention(n_head, d_model, dropout)}, weights drawn with {@code rng}. */
    public InterpretableMultiHeadAttention(int heads, int modelSize, float dropout, RandomGenerator rng) {
        if (heads < 1 || modelSize / heads < 1) {
            throw new IllegalArgumentException("attention: " + heads + " heads do not fit hidden size " + modelSize);
        }
        this.heads = heads;
        this.modelSize = modelSize;
        this.headSize = modelSize / heads;
        this.dropoutProbability = dropout;
        this.dropout = module("dropout", new Dropout(dropout));
        this.vLayer = module("v_layer", new Linear(modelSize, headSize, true, rng));
        ModuleDict<Linear> q = module("q_layers", new ModuleDict<>());
        ModuleDict<Linear> k = module("k_layers", new ModuleDict<>());
        this.qLayers = new Linear[heads];
        this.kLayers = new Linear[heads];
        for (int h = 0; h < heads; h++) {
            qLayers[h] = q.put(Integer.toString(h), new Linear(modelSize, headSize, true, rng));
        }
        for (int h = 0; h < heads; h++) {
            kLayers[h] = k.put(Integer.toString(h), new Linear(modelSize, headSize, true, rng));
        }
        this.wH = module("w_h", new Linear(headSize, modelSize, false, rng));
        for (Variable p : parameters()) {
            if (p.name().equals("bias")) {
                p.value().fill(0f);
            } else {
                int[] s = p.shape();
                p.value().copyFrom(Init.xavierUniform(rng, s[0], s[1]));
            }
        }
    }

    /**
     * @param query (B, Td, H): the decoder steps
     * @param key   (B, T, H) and value (B, T, H): all steps, encoder first
     */
    public Output forward(Variable query, Variable key, Variable value, int[] encoderLengths, int[] decoderLengths,
                          boolean causal, boolean keepWeights) {
        int batch = query.size(0);
        int td = query.size(1);
        int steps = key.size(1);
        Variable qs = projectHeads(query, qLayers).reshape(batch, td, heads, headSize);
        Variable ks = projectHeads(key, kLayers).reshape(batch, steps, heads, headSize);
        Variable vs = vLayer.forward(value);
        InterpretableAttention.Result r = InterpretableAttention.apply(qs, ks, vs, encoderLengths, decoderLengths,
                causal, dropoutProbability, isTraining(), DropoutSeeds.next(), keepWeights);
        return new Output(dropout.forward(wH.forward(r.output())), r.weights());
    }

    /** All heads' Linear(H, d) as one Linear(H, heads·d). */
    private Variable projectHeads(Variable x, Linear[] layers) {
        Variable[] w = new Variable[heads];
        Variable[] b = new Variable[heads];
        for (int h = 0; h < heads; h++) {
            w[h] = layers[h].weight;
            b[h] = layers[h].bias;
        }
        return dev.tempora.autograd.Functional.linear(x, Variable.concat(0, w), Variable.concat(0, b));
    }

    @Override
    protected String describe() {
        return "InterpretableMultiHeadAttention(heads=" + heads + ", d=" + headSize + ")";
    }
}
