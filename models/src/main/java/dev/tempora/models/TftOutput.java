package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/**
 * What the TFT returns: the prediction (B, Td, quantiles) in target units; attention weights
 * (B, Td, heads, Te + Td) when interpretation was asked for (else null), split as PTF splits them
 * into encoder and decoder attention; and the variable-selection weights, static (B, 1, n) or
 * (B, 0) without static variables, encoder (B, Te, 1, n) and decoder (B, Td, 1, n).
 */
public record TftOutput(Variable prediction, Tensor attention, int encoderSteps, Variable staticVariables,
                        Variable encoderVariables, Variable decoderVariables) {

    /** Attention over the encoder steps (B, Td, heads, Te), or null. */
    public Tensor encoderAttention() {
        return attention == null ? null : attention.narrow(3, 0, encoderSteps);
    }

    /** Attention over the decoder steps (B, Td, heads, Td), or null. */
    public Tensor decoderAttention() {
        return attention == null ? null : attention.narrow(3, encoderSteps, attention.size(3) - encoderSteps);
    }
}
