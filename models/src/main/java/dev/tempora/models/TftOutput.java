package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the TFT returns: the prediction with what interpretation reads, the attention weights (split as
 * PTF splits them into encoder and decoder attention) and the variable-selection weights.
 *
 * @param prediction       the prediction (B, Td, quantiles) in target units
 * @param attention        attention weights (B, Td, heads, Te + Td) when interpretation was asked for, else null
 * @param encoderSteps     the batch's encoder steps Te, where the attention's encoder part ends
 * @param staticVariables  static variable-selection weights (B, 1, n), or (B, 0) without static variables
 * @param encoderVariables encoder variable-selection weights (B, Te, 1, n)
 * @param decoderVariables decoder variable-selection weights (B, Td, 1, n)
 */
public record TftOutput(Variable prediction, Tensor attention, int encoderSteps, Variable staticVariables,
                        Variable encoderVariables, Variable decoderVariables) implements ModelOutput {

    /**
     * Attention over the encoder steps.
     *
     * @return (B, Td, heads, Te), or null without interpretation
     */
    public Tensor encoderAttention() {
        return attention == null ? null : attention.narrow(3, 0, encoderSteps);
    }

    /**
     * Attention over the decoder steps.
     *
     * @return (B, Td, heads, Td), or null without interpretation
     */
    public Tensor decoderAttention() {
        return attention == null ? null : attention.narrow(3, encoderSteps, attention.size(3) - encoderSteps);
    }

    /** Every tensor copied out of the buffer pool, the attention and variable-selection weights included. */
    @Override
    public TftOutput persistentCopy() {
        return new TftOutput(persistent(prediction), attention == null ? null : attention.persistentCopy(),
                encoderSteps, persistent(staticVariables), persistent(encoderVariables), persistent(decoderVariables));
    }

    private static Variable persistent(Variable v) {
        return v == null ? null : Variable.constant(v.value().persistentCopy());
    }

    /**
     * Every tensor joined along the samples, the attention and variable-selection weights included.
     *
     * @throws IllegalArgumentException if a part is not a TFT's output or has other encoder steps
     */
    @Override
    public TftOutput concat(List<? extends ModelOutput> following) {
        if (following.isEmpty()) {
            return this;
        }
        List<TftOutput> all = new ArrayList<>();
        all.add(this);
        for (ModelOutput part : following) {
            if (!(part instanceof TftOutput tft)) {
                throw new IllegalArgumentException("a TFT output joins TFT outputs only, got a "
                        + part.getClass().getSimpleName());
            }
            if (tft.encoderSteps != encoderSteps) {
                throw new IllegalArgumentException("TFT outputs of " + encoderSteps + " and " + tft.encoderSteps
                        + " encoder steps do not join: the parts must come from one batch");
            }
            all.add(tft);
        }
        return new TftOutput(concat(all, TftOutput::prediction),
                attention == null ? null : Tensor.concat(0, all.stream().map(TftOutput::attention).toList()),
                encoderSteps, concat(all, TftOutput::staticVariables), concat(all, TftOutput::encoderVariables),
                concat(all, TftOutput::decoderVariables));
    }

    private static Variable concat(List<TftOutput> parts, Function<TftOutput, Variable> part) {
        if (part.apply(parts.getFirst()) == null) {
            return null;
        }
        return Variable.constant(Tensor.concat(0, parts.stream().map(p -> part.apply(p).value()).toList()));
    }
}
