package dev.tempora.gpu;

import dev.tempora.models.Optimizer;

/** A CPU optimiser's per-parameter buffers, laid out as the device optimisers keep theirs. */
final class OptimizerBuffers {
    private OptimizerBuffers() {
    }

    /** The buffers {@code kind.0 ... kind.(count − 1)} of {@code optimizer}'s state, concatenated in that order. */
    static float[] concatenated(Optimizer optimizer, String kind, int count) {
        var buffers = optimizer.state().buffers();
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += buffers.get(kind + "." + i).numel();
        }
        float[] all = new float[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            float[] part = buffers.get(kind + "." + i).toFloatArray();
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
