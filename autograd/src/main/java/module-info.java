/**
 * Reverse-mode automatic differentiation over tensors: {@link dev.tempora.autograd.Variable} records the
 * operations that made it and {@code backward()} computes gradients, with fused forward/backward kernels for
 * the LSTM, attention and layer normalisation. Depends on the JDK alone.
 */
module dev.tempora.autograd {
    requires transitive dev.tempora.tensor;

    exports dev.tempora.autograd;
}
