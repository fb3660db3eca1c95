package dev.tempora.tensor.kernels;

import java.util.Arrays;

/** Blocked, packed SIMD GEMM (prototype). */
final class GemmVector {

    static final int L = Species.LANES;
    static final int NR = 2 * L;
    static final int MR = 8;
    static final int KC = Integer.getInteger("gemm.kc", 256);
    static final int MC = Integer.getInteger("gemm.mc", 96) / MR * MR;
    static final int NC = Integer.getInteger("gemm.nc", 4096) / NR * NR;
    static final int DIRECT = Integer.getInteger("gemm.direct", 0); // 0 never, 1 always, 2 heuristic

    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private GemmVector() {}

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        Buffers buf = BUFFERS.get();
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int mcMax = MR;
        int ncMax = Math.min(NC, roundUp(n, NR));
        if (buf.a.length < mcMax * kcMax) {
            buf.a = new float[mcMax * kcMax];
        }
        if (buf.b.length < ncMax * kcMax) {
            buf.b = new float[ncMax * kcMax];
        }
        boolean direct = alpha == 1f && (DIRECT == 1 || (DIRECT == 2 && (n <= 4 * NR || k <= 64)));
        int rowStride = transA ? 1 : lda;
        int kStride = transA ? lda : 1;
        float[] ap = buf.a;
        float[] bp = buf.b;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean acc = accumulate || pc > 0;
                packB(transB, b, bOff, ldb, pc, jc, kc, nc, bp);
                for (int ir = 0; ir < m; ir += MR) {
                    int rows = Math.min(MR, m - ir);
                    float[] as;
                    int ao, rs, ks;
                    if (direct && rows == MR) {
                        as = a;
                        ao = aOff + ir * rowStride + pc * kStride;
                        rs = rowStride;
                        ks = kStride;
                    } else {
                        packA(transA, a, aOff, lda, ir, pc, rows, kc, alpha, ap, 0);
                        as = ap;
                        ao = 0;
                        rs = 1;
                        ks = MR;
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        int width = cols <= L ? L : NR;
                        int bo = jr * kc;
                        int co = cOff + ir * ldc + jc + jr;
                        if (rows == MR && cols == width) {
                            tile(width, kc, as, ao, rs, ks, bp, bo, c, co, ldc, acc);
                        } else {
                            tile(width, kc, as, ao, rs, ks, bp, bo, buf.tile, 0, width, false);
                            merge(buf.tile, width, c, co, ldc, rows, cols, acc);
                        }
                    }
                }
            }
        }
    }

    private static void tile(int width, int kc, float[] a, int ao, int rs, int ks, float[] bp, int bo, float[] c, int co, int ldc, boolean acc) {
        if (width == NR) {
            GemmTiles.tile8x2s(kc, a, ao, rs, ks, bp, bo, c, co, ldc, acc);
        } else {
            GemmTiles.tile8x1s(kc, a, ao, rs, ks, bp, bo, c, co, ldc, acc);
        }
    }

    private static void merge(float[] tile, int width, float[] c, int co, int ldc, int rows, int cols, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int t = r * width;
            int o = co + r * ldc;
            if (acc) {
                for (int j = 0; j < cols; j++) {
                    c[o + j] += tile[t + j];
                }
            } else {
                System.arraycopy(tile, t, c, o, cols);
            }
        }
    }

    /** Packs op(B)[pc:pc+kc, jc:jc+nc] into column panels of width NR (the last L when it fits), zero padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc, float[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int width = cols <= L ? L : NR;
            int d = jr * kc;
            int j0 = jc + jr;
            if (!transB) {
                int s = bOff + pc * ldb + j0;
                for (int p = 0; p < kc; p++, s += ldb, d += width) {
                    System.arraycopy(b, s, dst, d, cols);
                    if (cols < width) {
                        Arrays.fill(dst, d + cols, d + width, 0f);
                    }
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    int s = bOff + (j0 + j) * ldb + pc;
                    for (int p = 0, dd = d + j; p < kc; p++, dd += width) {
                        dst[dd] = b[s + p];
                    }
                }
                for (int j = cols; j < width; j++) {
                    for (int p = 0, dd = d + j; p < kc; p++, dd += width) {
                        dst[dd] = 0f;
                    }
                }
            }
        }
    }

    /** Packs alpha·op(A)[ic:ic+mc, pc:pc+kc] into row panels of MR, zero padded. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc, float alpha, float[] dst, int dOff) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int d = dOff + ir * kc;
            int i0 = ic + ir;
            if (!transA) {
                for (int r = 0; r < rows; r++) {
                    int s = aOff + (i0 + r) * lda + pc;
                    for (int p = 0, dd = d + r; p < kc; p++, dd += MR) {
                        dst[dd] = alpha * a[s + p];
                    }
                }
            } else {
                int s = aOff + pc * lda + i0;
                for (int p = 0, dd = d; p < kc; p++, s += lda, dd += MR) {
                    for (int r = 0; r < rows; r++) {
                        dst[dd + r] = alpha * a[s + r];
                    }
                }
            }
            for (int r = rows; r < MR; r++) {
                for (int p = 0, dd = d + r; p < kc; p++, dd += MR) {
                    dst[dd] = 0f;
                }
            }
        }
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }
}
