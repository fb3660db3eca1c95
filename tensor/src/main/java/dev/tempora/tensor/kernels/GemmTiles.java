package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** GEMM microkernels (experimental set). */
final class GemmTiles {

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = Species.LANES;

    private GemmTiles() {}

    /** C[0:12, 0:2L] (+)= A panel · B panel over kc steps. */
    static void tile12x2(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector ca0 = FloatVector.zero(S), ca1 = FloatVector.zero(S);
        FloatVector cb0 = FloatVector.zero(S), cb1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 12, bo += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ao + 6]); c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ao + 7]); c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
            x = FloatVector.broadcast(S, a[ao + 8]); c80 = b0.fma(x, c80); c81 = b1.fma(x, c81);
            x = FloatVector.broadcast(S, a[ao + 9]); c90 = b0.fma(x, c90); c91 = b1.fma(x, c91);
            x = FloatVector.broadcast(S, a[ao + 10]); ca0 = b0.fma(x, ca0); ca1 = b1.fma(x, ca1);
            x = FloatVector.broadcast(S, a[ao + 11]); cb0 = b0.fma(x, cb0); cb1 = b1.fma(x, cb1);
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
            c80 = c80.add(FloatVector.fromArray(S, c, co + 8 * ldc)); c81 = c81.add(FloatVector.fromArray(S, c, co + 8 * ldc + L));
            c90 = c90.add(FloatVector.fromArray(S, c, co + 9 * ldc)); c91 = c91.add(FloatVector.fromArray(S, c, co + 9 * ldc + L));
            ca0 = ca0.add(FloatVector.fromArray(S, c, co + 10 * ldc)); ca1 = ca1.add(FloatVector.fromArray(S, c, co + 10 * ldc + L));
            cb0 = cb0.add(FloatVector.fromArray(S, c, co + 11 * ldc)); cb1 = cb1.add(FloatVector.fromArray(S, c, co + 11 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
        c80.intoArray(c, co + 8 * ldc); c81.intoArray(c, co + 8 * ldc + L);
        c90.intoArray(c, co + 9 * ldc); c91.intoArray(c, co + 9 * ldc + L);
        ca0.intoArray(c, co + 10 * ldc); ca1.intoArray(c, co + 10 * ldc + L);
        cb0.intoArray(c, co + 11 * ldc); cb1.intoArray(c, co + 11 * ldc + L);
    }

    /** C[0:12, 0:1L] (+)= A panel · B panel over kc steps. */
    static void tile12x1(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S);
        FloatVector ca0 = FloatVector.zero(S);
        FloatVector cb0 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 12, bo += 1 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50);
            x = FloatVector.broadcast(S, a[ao + 6]); c60 = b0.fma(x, c60);
            x = FloatVector.broadcast(S, a[ao + 7]); c70 = b0.fma(x, c70);
            x = FloatVector.broadcast(S, a[ao + 8]); c80 = b0.fma(x, c80);
            x = FloatVector.broadcast(S, a[ao + 9]); c90 = b0.fma(x, c90);
            x = FloatVector.broadcast(S, a[ao + 10]); ca0 = b0.fma(x, ca0);
            x = FloatVector.broadcast(S, a[ao + 11]); cb0 = b0.fma(x, cb0);
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
            c80 = c80.add(FloatVector.fromArray(S, c, co + 8 * ldc));
            c90 = c90.add(FloatVector.fromArray(S, c, co + 9 * ldc));
            ca0 = ca0.add(FloatVector.fromArray(S, c, co + 10 * ldc));
            cb0 = cb0.add(FloatVector.fromArray(S, c, co + 11 * ldc));
        }
        c00.intoArray(c, co);
        c10.intoArray(c, co + ldc);
        c20.intoArray(c, co + 2 * ldc);
        c30.intoArray(c, co + 3 * ldc);
        c40.intoArray(c, co + 4 * ldc);
        c50.intoArray(c, co + 5 * ldc);
        c60.intoArray(c, co + 6 * ldc);
        c70.intoArray(c, co + 7 * ldc);
        c80.intoArray(c, co + 8 * ldc);
        c90.intoArray(c, co + 9 * ldc);
        ca0.intoArray(c, co + 10 * ldc);
        cb0.intoArray(c, co + 11 * ldc);
    }

    /** C[0:8, 0:2L] (+)= A panel · B panel over kc steps. */
    static void tile8x2(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 8, bo += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ao + 6]); c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ao + 7]); c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
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

    /** C[0:8, 0:1L] (+)= A panel · B panel over kc steps. */
    static void tile8x1(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 8, bo += 1 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50);
            x = FloatVector.broadcast(S, a[ao + 6]); c60 = b0.fma(x, c60);
            x = FloatVector.broadcast(S, a[ao + 7]); c70 = b0.fma(x, c70);
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

    /** C[0:6, 0:2L] (+)= A panel · B panel over kc steps. */
    static void tile6x2(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 6, bo += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co)); c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
    }

    /** C[0:6, 0:1L] (+)= A panel · B panel over kc steps. */
    static void tile6x1(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 6, bo += 1 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
        }
        c00.intoArray(c, co);
        c10.intoArray(c, co + ldc);
        c20.intoArray(c, co + 2 * ldc);
        c30.intoArray(c, co + 3 * ldc);
        c40.intoArray(c, co + 4 * ldc);
        c50.intoArray(c, co + 5 * ldc);
    }

    /** C[0:14, 0:2L] (+)= A panel · B panel over kc steps. */
    static void tile14x2(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector ca0 = FloatVector.zero(S), ca1 = FloatVector.zero(S);
        FloatVector cb0 = FloatVector.zero(S), cb1 = FloatVector.zero(S);
        FloatVector cc0 = FloatVector.zero(S), cc1 = FloatVector.zero(S);
        FloatVector cd0 = FloatVector.zero(S), cd1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 14, bo += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]); c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + 1]); c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2]); c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3]); c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4]); c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5]); c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ao + 6]); c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ao + 7]); c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
            x = FloatVector.broadcast(S, a[ao + 8]); c80 = b0.fma(x, c80); c81 = b1.fma(x, c81);
            x = FloatVector.broadcast(S, a[ao + 9]); c90 = b0.fma(x, c90); c91 = b1.fma(x, c91);
            x = FloatVector.broadcast(S, a[ao + 10]); ca0 = b0.fma(x, ca0); ca1 = b1.fma(x, ca1);
            x = FloatVector.broadcast(S, a[ao + 11]); cb0 = b0.fma(x, cb0); cb1 = b1.fma(x, cb1);
            x = FloatVector.broadcast(S, a[ao + 12]); cc0 = b0.fma(x, cc0); cc1 = b1.fma(x, cc1);
            x = FloatVector.broadcast(S, a[ao + 13]); cd0 = b0.fma(x, cd0); cd1 = b1.fma(x, cd1);
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
            c80 = c80.add(FloatVector.fromArray(S, c, co + 8 * ldc)); c81 = c81.add(FloatVector.fromArray(S, c, co + 8 * ldc + L));
            c90 = c90.add(FloatVector.fromArray(S, c, co + 9 * ldc)); c91 = c91.add(FloatVector.fromArray(S, c, co + 9 * ldc + L));
            ca0 = ca0.add(FloatVector.fromArray(S, c, co + 10 * ldc)); ca1 = ca1.add(FloatVector.fromArray(S, c, co + 10 * ldc + L));
            cb0 = cb0.add(FloatVector.fromArray(S, c, co + 11 * ldc)); cb1 = cb1.add(FloatVector.fromArray(S, c, co + 11 * ldc + L));
            cc0 = cc0.add(FloatVector.fromArray(S, c, co + 12 * ldc)); cc1 = cc1.add(FloatVector.fromArray(S, c, co + 12 * ldc + L));
            cd0 = cd0.add(FloatVector.fromArray(S, c, co + 13 * ldc)); cd1 = cd1.add(FloatVector.fromArray(S, c, co + 13 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
        c80.intoArray(c, co + 8 * ldc); c81.intoArray(c, co + 8 * ldc + L);
        c90.intoArray(c, co + 9 * ldc); c91.intoArray(c, co + 9 * ldc + L);
        ca0.intoArray(c, co + 10 * ldc); ca1.intoArray(c, co + 10 * ldc + L);
        cb0.intoArray(c, co + 11 * ldc); cb1.intoArray(c, co + 11 * ldc + L);
        cc0.intoArray(c, co + 12 * ldc); cc1.intoArray(c, co + 12 * ldc + L);
        cd0.intoArray(c, co + 13 * ldc); cd1.intoArray(c, co + 13 * ldc + L);
    }

    /** strided A: element (r, p) at a[ao + r*rs + p*ks]. */
    static void tile8x2s(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += ks, bo += 2 * L) {
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

    /** strided A: element (r, p) at a[ao + r*rs + p*ks]. */
    static void tile8x1s(int kc, float[] a, int ao, int rs, int ks, float[] b, int bo, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += ks, bo += 1 * L) {
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

}
