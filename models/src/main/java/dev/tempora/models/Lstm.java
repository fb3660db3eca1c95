package dev.tempora.models;

import dev.tempora.autograd.LstmSequence;
import dev.tempora.autograd.Variable;

import java.util.random.RandomGenerator;

/**
 * A batch-first multi-layer LSTM (torch.nn.LSTM's parameters and equations: weight_ih_l{k},
 * weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, all U(−1/√H, 1/√H)), run with per-sample lengths as
 * PTF runs its packed sequences. Dropout applies between layers only.
 */
public final class Lstm extends Module {

    /** Input features. */
    public final int inputSize;
    /** H, the features of the hidden and cell states. */
    public final int hiddenSize;
    /** Stacked layers. */
    public final int layers;
    private final Variable[] weightIh;
    private final Variable[] weightHh;
    private final Variable[] biasIh;
    private final Variable[] biasHh;
    private final Dropout dropout;

    /** The outputs of the last layer (B, T, H) and the final states per layer, each (B, H). */
    public record Output(Variable output, Variable[] hidden, Variable[] cell) {}

    /**
     * torch.nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, dropout), weights drawn with {@code
     * rng}.
     */
    public Lstm(int inputSize, int hiddenSize, int layers, float dropout, RandomGenerator rng) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.layers = layers;
        this.weightIh = new Variable[layers];
        this.weightHh = new Variable[layers];
        this.biasIh = new Variable[layers];
        this.biasHh = new Variable[layers];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? inputSize : hiddenSize;
            weightIh[l] = parameter("weight_ih_l" + l, Init.fanInUniform(rng, hiddenSize, 4 * hiddenSize, in));
            weightHh[l] = parameter("weight_hh_l" + l, Init.fanInUniform(rng, hiddenSize, 4 * hiddenSize, hiddenSize));
            biasIh[l] = parameter("bias_ih_l" + l, Init.fanInUniform(rng, hiddenSize, 4 * hiddenSize));
            biasHh[l] = parameter("bias_hh_l" + l, Init.fanInUniform(rng, hiddenSize, 4 * hiddenSize));
        }
        this.dropout = layers > 1 && dropout > 0f ? module("dropout", new Dropout(dropout)) : null;
    }

    /**
     * @param x       (B, T, input)
     * @param h0, c0  initial states per layer, each (B, H)
     * @param lengths per-sample lengths, or null for all T
     */
    public Output forward(Variable x, Variable[] h0, Variable[] c0, int[] lengths) {
        if (h0.length != layers || c0.length != layers) {
            throw new IllegalArgumentException("lstm: " + h0.length + " initial states for " + layers + " layers");
        }
        Variable[] hN = new Variable[layers];
        Variable[] cN = new Variable[layers];
        Variable out = x;
        for (int l = 0; l < layers; l++) {
            if (l > 0 && dropout != null) {
                out = dropout.forward(out);
            }
            LstmSequence.Result r = LstmSequence.apply(out, h0[l], c0[l], weightIh[l], weightHh[l], biasIh[l],
                    biasHh[l], lengths);
            out = r.output();
            hN[l] = r.finalHidden();
            cN[l] = r.finalCell();
        }
        return new Output(out, hN, cN);
    }

    @Override
    protected String describe() {
        return "LSTM(" + inputSize + ", " + hiddenSize + (layers > 1 ? ", layers=" + layers : "") + ")";
    }
}
