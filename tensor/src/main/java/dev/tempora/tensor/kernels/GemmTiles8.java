package dev.tempora.tensor.kernels;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;

import static dev.tempora.tensor.kernels.GemmMicrokernels.HALF;
import static dev.tempora.tensor.kernels.GemmMicrokernels.L;
import static dev.tempora.tensor.kernels.GemmMicrokernels.ORDER;
import static dev.tempora.tensor.kernels.GemmMicrokernels.QUARTER;
import static dev.tempora.tensor.kernels.GemmMicrokernels.S;
import static dev.tempora.tensor.kernels.GemmMicrokernels.VECTOR_BYTES;

/**
 * GEMM register tiles of 8 rows, the tile for 32 vector registers (AVX-512, NEON, SVE): 8 rows ×
 * 2 vectors keep 16 accumulators, 2 B vectors and 1 broadcast live. One method per panel width
 * ({@link GemmMicrokernels#tile} picks it); the arguments and the loop are described in
 * {@link GemmMicrokernels}. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmTiles8 {

    private GemmTiles8() {}

    /** Runs the tile of this panel width (one of {@link GemmMicrokernels#widths}). */
    static void tile(int width, int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
                     float[] c, int co, int ldc, boolean accumulate) {
        if (width == 2 * L) {
            tile8x2(kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        } else if (width == L + L / 2) {
            tile8x1AndHalf(kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        } else if (width == L + L / 4) {
            tile8x1AndQuarter(kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        } else if (width == L) {
            tile8x1(kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        } else if (width == L / 2) {
            tile8xHalf(kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        } else {
            tile8xQuarter(kc, a, ao, rs, ks, b, bo, bs, c, co, ldc, accumulate);
        }
    }

    /** A 8×2L tile of C; see the class comment for the arguments. */
    static void tile8x2(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += ks, bo += bs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + rs]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2 * rs]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3 * rs]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4 * rs]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5 * rs]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ao + 6 * rs]); c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ao + 7 * rs]); c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co)); c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(S, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(S, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    /**
     * A 8×2L tile of C with B a packed full-width panel in 64-byte-aligned off-heap memory: {@code bo} is
     * the panel's byte offset in {@code b}, a step is its 2L floats; every load of B is a whole cache line.
     * Otherwise {@link #tile8x2}; see the class comment for the other arguments.
     */
    static void tile8x2Aligned(int kc, float[] a, int ao, int rs, int ks, MemorySegment b, long bo,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        // A loop over the byte offset, the form C2 removes the segment's bounds checks from.
        for (long end = bo + kc * 2 * VECTOR_BYTES; bo < end; bo += 2 * VECTOR_BYTES, ao += ks) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bo, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bo + VECTOR_BYTES, ORDER);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + rs]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2 * rs]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3 * rs]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4 * rs]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5 * rs]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ao + 6 * rs]); c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ao + 7 * rs]); c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co)); c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(S, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(S, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    /** A 8×(L + L/2) tile of C; see the class comment for the arguments. */
    static void tile8x1AndHalf(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(HALF);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(HALF);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(HALF);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(HALF);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(HALF);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(HALF);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(HALF);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(HALF);
        for (int p = 0; p < kc; p++, ao += ks, bo += bs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(HALF, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x.reinterpretShape(HALF, 0), c01);
            x = FloatVector.broadcast(S, a[ao + rs]); c10 = b0.fma(x, c10); c11 = b1.fma(x.reinterpretShape(HALF, 0), c11);
            x = FloatVector.broadcast(S, a[ao + 2 * rs]); c20 = b0.fma(x, c20); c21 = b1.fma(x.reinterpretShape(HALF, 0), c21);
            x = FloatVector.broadcast(S, a[ao + 3 * rs]); c30 = b0.fma(x, c30); c31 = b1.fma(x.reinterpretShape(HALF, 0), c31);
            x = FloatVector.broadcast(S, a[ao + 4 * rs]); c40 = b0.fma(x, c40); c41 = b1.fma(x.reinterpretShape(HALF, 0), c41);
            x = FloatVector.broadcast(S, a[ao + 5 * rs]); c50 = b0.fma(x, c50); c51 = b1.fma(x.reinterpretShape(HALF, 0), c51);
            x = FloatVector.broadcast(S, a[ao + 6 * rs]); c60 = b0.fma(x, c60); c61 = b1.fma(x.reinterpretShape(HALF, 0), c61);
            x = FloatVector.broadcast(S, a[ao + 7 * rs]); c70 = b0.fma(x, c70); c71 = b1.fma(x.reinterpretShape(HALF, 0), c71);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co)); c01 = c01.add(FloatVector.fromArray(HALF, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(HALF, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(HALF, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(HALF, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(HALF, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(HALF, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(HALF, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(HALF, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    /** A 8×(L + L/4) tile of C; see the class comment for the arguments. */
    static void tile8x1AndQuarter(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(QUARTER);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(QUARTER);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(QUARTER);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(QUARTER);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(QUARTER);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(QUARTER);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(QUARTER);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(QUARTER);
        for (int p = 0; p < kc; p++, ao += ks, bo += bs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(QUARTER, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x.reinterpretShape(QUARTER, 0), c01);
            x = FloatVector.broadcast(S, a[ao + rs]); c10 = b0.fma(x, c10); c11 = b1.fma(x.reinterpretShape(QUARTER, 0), c11);
            x = FloatVector.broadcast(S, a[ao + 2 * rs]); c20 = b0.fma(x, c20); c21 = b1.fma(x.reinterpretShape(QUARTER, 0), c21);
            x = FloatVector.broadcast(S, a[ao + 3 * rs]); c30 = b0.fma(x, c30); c31 = b1.fma(x.reinterpretShape(QUARTER, 0), c31);
            x = FloatVector.broadcast(S, a[ao + 4 * rs]); c40 = b0.fma(x, c40); c41 = b1.fma(x.reinterpretShape(QUARTER, 0), c41);
            x = FloatVector.broadcast(S, a[ao + 5 * rs]); c50 = b0.fma(x, c50); c51 = b1.fma(x.reinterpretShape(QUARTER, 0), c51);
            x = FloatVector.broadcast(S, a[ao + 6 * rs]); c60 = b0.fma(x, c60); c61 = b1.fma(x.reinterpretShape(QUARTER, 0), c61);
            x = FloatVector.broadcast(S, a[ao + 7 * rs]); c70 = b0.fma(x, c70); c71 = b1.fma(x.reinterpretShape(QUARTER, 0), c71);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co)); c01 = c01.add(FloatVector.fromArray(QUARTER, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(QUARTER, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(QUARTER, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(QUARTER, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(QUARTER, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(QUARTER, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(QUARTER, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(QUARTER, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    /** A 8×L tile of C; see the class comment for the arguments. */
    static void tile8x1(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += ks, bo += bs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00);
            x = FloatVector.broadcast(S, a[ao + rs]); c10 = b0.fma(x, c10);
            x = FloatVector.broadcast(S, a[ao + 2 * rs]); c20 = b0.fma(x, c20);
            x = FloatVector.broadcast(S, a[ao + 3 * rs]); c30 = b0.fma(x, c30);
            x = FloatVector.broadcast(S, a[ao + 4 * rs]); c40 = b0.fma(x, c40);
            x = FloatVector.broadcast(S, a[ao + 5 * rs]); c50 = b0.fma(x, c50);
            x = FloatVector.broadcast(S, a[ao + 6 * rs]); c60 = b0.fma(x, c60);
            x = FloatVector.broadcast(S, a[ao + 7 * rs]); c70 = b0.fma(x, c70);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc));
        }
        c00.intoArray(c, co);
        c10.intoArray(c, co + ldc);
        c20.intoArray(c, co + 2 * ldc);
        c30.intoArray(c, co + 3 * ldc);
        c40.intoArray(c, co + 4 * ldc);
        c50.intoArray(c, co + 5 * ldc);
        c60.intoArray(c, co + 6 * ldc);
        c70.intoArray(c, co + 7 * ldc);
    }

    /** A 8×L/2 tile of C; see the class comment for the arguments. */
    static void tile8xHalf(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(HALF);
        FloatVector c10 = FloatVector.zero(HALF);
        FloatVector c20 = FloatVector.zero(HALF);
        FloatVector c30 = FloatVector.zero(HALF);
        FloatVector c40 = FloatVector.zero(HALF);
        FloatVector c50 = FloatVector.zero(HALF);
        FloatVector c60 = FloatVector.zero(HALF);
        FloatVector c70 = FloatVector.zero(HALF);
        for (int p = 0; p < kc; p++, ao += ks, bo += bs) {
            FloatVector b0 = FloatVector.fromArray(HALF, b, bo);
            FloatVector x;
            x = FloatVector.broadcast(HALF, a[ao]); c00 = b0.fma(x, c00);
            x = FloatVector.broadcast(HALF, a[ao + rs]); c10 = b0.fma(x, c10);
            x = FloatVector.broadcast(HALF, a[ao + 2 * rs]); c20 = b0.fma(x, c20);
            x = FloatVector.broadcast(HALF, a[ao + 3 * rs]); c30 = b0.fma(x, c30);
            x = FloatVector.broadcast(HALF, a[ao + 4 * rs]); c40 = b0.fma(x, c40);
            x = FloatVector.broadcast(HALF, a[ao + 5 * rs]); c50 = b0.fma(x, c50);
            x = FloatVector.broadcast(HALF, a[ao + 6 * rs]); c60 = b0.fma(x, c60);
            x = FloatVector.broadcast(HALF, a[ao + 7 * rs]); c70 = b0.fma(x, c70);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(HALF, c, co));
            c10 = c10.add(FloatVector.fromArray(HALF, c, co + ldc));
            c20 = c20.add(FloatVector.fromArray(HALF, c, co + 2 * ldc));
            c30 = c30.add(FloatVector.fromArray(HALF, c, co + 3 * ldc));
            c40 = c40.add(FloatVector.fromArray(HALF, c, co + 4 * ldc));
            c50 = c50.add(FloatVector.fromArray(HALF, c, co + 5 * ldc));
            c60 = c60.add(FloatVector.fromArray(HALF, c, co + 6 * ldc));
            c70 = c70.add(FloatVector.fromArray(HALF, c, co + 7 * ldc));
        }
        c00.intoArray(c, co);
        c10.intoArray(c, co + ldc);
        c20.intoArray(c, co + 2 * ldc);
        c30.intoArray(c, co + 3 * ldc);
        c40.intoArray(c, co + 4 * ldc);
        c50.intoArray(c, co + 5 * ldc);
        c60.intoArray(c, co + 6 * ldc);
        c70.intoArray(c, co + 7 * ldc);
    }

    /** A 8×L/4 tile of C; see the class comment for the arguments. */
    static void tile8xQuarter(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, int bs,
            float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(QUARTER);
        FloatVector c10 = FloatVector.zero(QUARTER);
        FloatVector c20 = FloatVector.zero(QUARTER);
        FloatVector c30 = FloatVector.zero(QUARTER);
        FloatVector c40 = FloatVector.zero(QUARTER);
        FloatVector c50 = FloatVector.zero(QUARTER);
        FloatVector c60 = FloatVector.zero(QUARTER);
        FloatVector c70 = FloatVector.zero(QUARTER);
        for (int p = 0; p < kc; p++, ao += ks, bo += bs) {
            FloatVector b0 = FloatVector.fromArray(QUARTER, b, bo);
            FloatVector x;
            x = FloatVector.broadcast(QUARTER, a[ao]); c00 = b0.fma(x, c00);
            x = FloatVector.broadcast(QUARTER, a[ao + rs]); c10 = b0.fma(x, c10);
            x = FloatVector.broadcast(QUARTER, a[ao + 2 * rs]); c20 = b0.fma(x, c20);
            x = FloatVector.broadcast(QUARTER, a[ao + 3 * rs]); c30 = b0.fma(x, c30);
            x = FloatVector.broadcast(QUARTER, a[ao + 4 * rs]); c40 = b0.fma(x, c40);
            x = FloatVector.broadcast(QUARTER, a[ao + 5 * rs]); c50 = b0.fma(x, c50);
            x = FloatVector.broadcast(QUARTER, a[ao + 6 * rs]); c60 = b0.fma(x, c60);
            x = FloatVector.broadcast(QUARTER, a[ao + 7 * rs]); c70 = b0.fma(x, c70);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(QUARTER, c, co));
            c10 = c10.add(FloatVector.fromArray(QUARTER, c, co + ldc));
            c20 = c20.add(FloatVector.fromArray(QUARTER, c, co + 2 * ldc));
            c30 = c30.add(FloatVector.fromArray(QUARTER, c, co + 3 * ldc));
            c40 = c40.add(FloatVector.fromArray(QUARTER, c, co + 4 * ldc));
            c50 = c50.add(FloatVector.fromArray(QUARTER, c, co + 5 * ldc));
            c60 = c60.add(FloatVector.fromArray(QUARTER, c, co + 6 * ldc));
            c70 = c70.add(FloatVector.fromArray(QUARTER, c, co + 7 * ldc));
        }
        c00.intoArray(c, co);
        c10.intoArray(c, co + ldc);
        c20.intoArray(c, co + 2 * ldc);
        c30.intoArray(c, co + 3 * ldc);
        c40.intoArray(c, co + 4 * ldc);
        c50.intoArray(c, co + 5 * ldc);
        c60.intoArray(c, co + 6 * ldc);
        c70.intoArray(c, co + 7 * ldc);
    }
}
