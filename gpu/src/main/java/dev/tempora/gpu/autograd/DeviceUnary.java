package dev.tempora.gpu.autograd;

/** The element-wise functions of the {@code unary_forward}/{@code unary_backward} kernels, by their op codes. */
public enum DeviceUnary {
    /** alpha = p. */
    ELU(0),
    /** The logistic function. */
    SIGMOID(1),
    /** The hyperbolic tangent. */
    TANH(2),
    /** e^x. */
    EXP(3),
    /** max(x, 0). */
    RELU(4),
    /** beta = p, threshold = q. */
    SOFTPLUS(5),
    /** x². */
    SQUARE(6),
    /** min = p, max = q. */
    CLAMP(7);

    /** The kernels' {@code UNARY_*} code (elementwise.cuh). */
    final int code;

    DeviceUnary(int code) {
        this.code = code;
    }
}
