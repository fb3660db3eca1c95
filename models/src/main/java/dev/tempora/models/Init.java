package dev.tempora.models;

import dev.tempora.tensor.Tensor;

import java.util.random.RandomGenerator;

/** Weight initialisations as torch.nn.init computes them (fan-in/fan-out of a (out, in) matrix). */
public final class Init {

    private Init() {}

    /** U(−a, a) with a = √(6 / (fan_in + fan_out)): PTF's choice for GLU, attention and context layers. */
    public static Tensor xavierUniform(RandomGenerator rng, int out, int in) {
        float a = (float) Math.sqrt(6.0 / (in + out));
        return Tensor.uniform(rng, -a, a, out, in);
    }

    /** N(0, (√2 / √fan_in)²): torch's kaiming_normal_(a=0, fan_in, leaky_relu), PTF's choice for GRN layers. */
    public static Tensor kaimingNormal(RandomGenerator rng, int out, int in) {
        return Tensor.randn(rng, out, in).mul((float) (Math.sqrt(2.0) / Math.sqrt(in)));
    }

    /** U(−1/√fan_in, 1/√fan_in): torch's default for Linear weights and biases and for LSTMs. */
    public static Tensor fanInUniform(RandomGenerator rng, int fanIn, int... shape) {
        float a = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
        return Tensor.uniform(rng, -a, a, shape);
    }
}
