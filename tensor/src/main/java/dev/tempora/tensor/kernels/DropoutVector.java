package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD version of {@link DropoutKernels}: the same integer hash, a vector of indices at a time. */
final class DropoutVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = Species.LANES;

    /** Lane numbers, loaded as a vector (addIndex is not intrinsified and would box). */
    static final int[] LANE_INTS = new int[L];

    static {
        for (int i = 0; i < L; i++) {
            LANE_INTS[i] = i;
        }
    }

    private DropoutVector() {}

    static void forward(float[] x, int xo, float[] out, int oo, int n, float p, long seed) {
        float scale = 1f / (1f - p);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        IntVector lane = IntVector.fromArray(I, LANE_INTS, 0);
        int bound = n - n % L;
        int i = 0;
        for (; i < bound; i += L) {
            IntVector h = mix(mix(lane.add(i + k1)).lanewise(VectorOperators.XOR, k2));
            FloatVector u = h.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)
                    .reinterpretAsFloats().mul(0x1.0p-24f);
            FloatVector v = FloatVector.fromArray(S, x, xo + i).mul(scale);
            v.blend(0f, u.compare(VectorOperators.LT, p)).intoArray(out, oo + i);
        }
        DropoutKernels.forwardReference(x, xo, out, oo, i, n, p, seed);
    }

    /** {@link DropoutKernels#uniform} of each lane's index. */
    static FloatVector uniform(IntVector index, int k1, int k2) {
        IntVector h = mix(mix(index.add(k1)).lanewise(VectorOperators.XOR, k2));
        return h.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0).reinterpretAsFloats().mul(0x1.0p-24f);
    }

    private static IntVector mix(IntVector x) {
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
        x = x.mul(0x7feb352d);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15));
        x = x.mul(0x846ca68b);
        return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
    }
}
