package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;

/** Where a {@link BackwardFunction} sends its inputs' gradients. */
public interface GradientSink {

    /** Whether input {@code i} wants a gradient; skip the work when it does not. */
    boolean needs(int i);

    /**
     * Adds {@code grad} to input i's gradient. A gradient whose shape is a broadcast of the input's
     * (more leading axes, or size n where the input has 1) is summed down to the input's shape.
     * The sink never mutates {@code grad}, so a backward may pass the same tensor to several inputs.
     */
    void accumulate(int i, Tensor grad);

    /** Adds {@code grad} into the region of input i starting at {@code start} along {@code axis} (narrow's backward). */
    void accumulateSlice(int i, int axis, int start, Tensor grad);
}
