package dev.tempora.tensor.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM microkernels: one register tile of C, {@code rows × width}, computed over {@code kc} steps of
 * the shared dimension, with every accumulator held in a vector register for the whole loop.
 *
 * <p>Each step loads one row of the B panel ({@code width} floats, one or two vectors), broadcasts
 * one element of A per tile row, and issues one FMA per accumulator. A is read through two strides,
 * so the same loop serves a packed A panel ({@code rs = 1, ks = rows}), row-major A read in place
 * ({@code rs = lda, ks = 1}) and transposed A in place ({@code rs = 1, ks = lda}); B through its
 * step stride {@code bs} (the panel's width when packed, ldb in place). In long blocks of k
 * ({@link GemmVector#ALIGNED_MIN_KC}) a packed full-width panel of B lives off the heap on a 64-byte
 * boundary and runs {@link #tileAligned}, which reads it with {@code fromMemorySegment}; B in place,
 * narrow panels and short blocks stay arrays. At the end the tile is
 * stored to C at {@code c[co + r*ldc + j]}, added to what C holds when {@code accumulate},
 * overwriting it otherwise (so NaN in an unwritten C never leaks in).
 *
 * <p>Rows: 8 on 32 vector registers ({@link GemmTiles8}: 16 accumulators, 2 B vectors and 1
 * broadcast live), 6 on AVX2's 16 ({@link GemmTiles6}). Widths ({@link #widths}): two full vectors;
 * a full vector and a half or a quarter one; one full, half or quarter vector. So the TFT's rows of
 * 20 floats are one 16 + 4 tile on 16 lanes, stored directly, instead of a 32-wide tile with 12
 * idle lanes that goes through the scratch tile. Zen 4 issues one 512-bit FMA per cycle but two
 * 256- or 128-bit ones: 16 + 4 lanes take 1.5 cycles per row and step, 32 lanes 2.
 *
 * <p>The bodies are unrolled by hand, one line per tile row: C2 keeps unrolled locals in registers,
 * while arrays of vectors or helper calls that fail to inline would box them. Every element of C is
 * one chain of FMAs over the steps in order, whichever tile computes it, so results do not depend
 * on which tile (or thread) an element falls in. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmMicrokernels {

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = Species.LANES;
    /** Vectors of L/2 and L/4 lanes, where they have at least 4 (else the full species, unused). */
    static final VectorSpecies<Float> HALF = narrower(2);
    static final VectorSpecies<Float> QUARTER = narrower(4);
    /** Bytes of one full vector: the offset of an aligned panel row's second vector from its first. */
    static final long VECTOR_BYTES = (long) L * Float.BYTES;
    /** Byte order of packed panels in off-heap memory: the floats are written by Java on this machine. */
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private GemmMicrokernels() {}

    private static VectorSpecies<Float> narrower(int divisor) {
        int bits = S.vectorBitSize() / divisor;
        return bits >= 128 ? VectorSpecies.of(float.class, VectorShape.forBitSize(bits)) : S;
    }

    /**
     * The tile widths this vector size offers, widest first: 2L, L + L/2, L + L/4, L, L/2, L/4,
     * those whose narrow part has at least 4 lanes (128 bits). On 16 lanes: 32, 24, 20, 16, 8, 4;
     * on 8: 16, 12, 8, 4; on 4: 8, 4.
     */
    static int[] widths() {
        return IntStream.of(2 * L, L + L / 2, L + L / 4, L, L / 2, L / 4)
                .filter(w -> w % L == 0 || w % L >= 4)
                .toArray();
    }

    /**
     * Runs the {@code rows} (8 or 6) × 2L tile on a packed full-width panel of B in 64-byte-aligned off-heap
     * memory, at byte offset {@code bo} of {@code b}.
     */
    static void tileAligned(int rows, int kc, float[] a, int ao, int rs, int ks, MemorySegment b, long bo,
                            float[] c, int co, int ldc, boolean accumulate) {
        if (rows == 8) {
            GemmTiles8.tile8x2Aligned(kc, a, ao, rs, ks, b, bo, c, co, ldc, accumulate);
        } else {
            GemmTiles6.tile6x2Aligned(kc, a, ao, rs, ks, b, bo, c, co, ldc, accumulate);
        }
    }

    /** Runs the tile of {@code rows} (8 or 6) × {@code width} (one of {@link #widths}). */
    static void tile(int rows, int width, int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
                     float[] c, int co, int ldc, boolean accumulate) {
        if (rows == 8) {
            GemmTiles8.tile(width, kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        } else {
            GemmTiles6.tile(width, kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        }
    }
}
