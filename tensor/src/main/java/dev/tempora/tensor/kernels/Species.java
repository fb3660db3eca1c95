package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every SIMD kernel uses, fixed for the JVM's lifetime so C2 sees a constant.
 * Loaded only when {@link VectorSupport#ENABLED}; nothing outside the vector kernels may touch it.
 */
final class Species {
    static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED.vectorBitSize() == VectorSupport.BITS
            ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.BITS));
    static final int LANES = FLOAT.length();
    /**
     * The lane numbers 0, 1, …, LANES − 1 as floats, for kernels to load as a vector and compare
     * against a position (VectorSpecies.addIndex is not intrinsified and would box).
     */
    static final float[] LANE_FLOATS = new float[LANES];

    static {
        for (int i = 0; i < LANES; i++) {
            LANE_FLOATS[i] = i;
        }
    }

    private Species() {}
}
