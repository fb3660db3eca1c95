package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/**
 * Linear interpolation of the feature axis from {@code in} to {@code out} points, as
 * {@code F.interpolate(mode="linear", align_corners=True)}: output j samples the input at
 * j·(in−1)/(out−1). Being linear, it is one product with a fixed (in × out) matrix, which also
 * gives its gradient.
 */
public final class FeatureInterpolation {

    private final Variable matrix;

    FeatureInterpolation(int in, int out) {
        this.matrix = Variable.constant(matrix(in, out));
    }

    /** The (in, out) matrix whose product with a row interpolates it (other backends multiply by it too). */
    public static Tensor matrix(int in, int out) {
        float[] m = new float[in * out];
        float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        for (int j = 0; j < out; j++) {
            float src = scale * j;
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            float lambda = src - i0;
            m[i0 * out + j] += 1f - lambda;
            m[i1 * out + j] += lambda;
        }
        return Tensor.wrap(m, in, out);
    }

    Variable apply(Variable x) {
        return x.matmul(matrix);
    }
}
