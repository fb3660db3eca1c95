package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;

/**
 * The backward half of an op: given the gradient of the op's result, send each input's gradient to
 * the sink. Inputs are numbered in the order they were passed to {@link Variable#fromOp}.
 */
@FunctionalInterface
public interface BackwardFunction {
    /**
     * Sends the gradient of each input, given {@code gradOutput}, the gradient of the op's result (its shape), to
     * {@code sink}.
     */
    void backward(Tensor gradOutput, GradientSink sink);
}
