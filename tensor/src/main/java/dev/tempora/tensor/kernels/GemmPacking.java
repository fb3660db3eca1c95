package dev.tempora.tensor.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Copies blocks of GEMM operands into the contiguous panel layouts the microkernels stream through,
 * applying the transposition on the way so callers never copy a transposed operand themselves.
 *
 * <p>A B panel holds {@code width} columns of op(B) for {@code kc} consecutive steps, row after row:
 * element (p, j) at {@code p*width + j}. An A panel holds {@code rows} rows of op(A), step after
 * step: element (r, p) at {@code p*rows + r}. Both are zero padded to their full width or height,
 * so a microkernel always runs its full tile and the padding contributes exact zeros. Full-width B
 * panels go to 64-byte-aligned off-heap memory (see {@link GemmVector}).
 */
final class GemmPacking {

    private GemmPacking() {}

    /**
     * Packs op(B)[pc : pc+kc, j0 : j0+cols] into one panel {@code width} ≥ cols columns wide at
     * {@code dst[dOff]}, columns beyond {@code cols} zero.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int j0, int kc, int cols, int width,
                      float[] dst, int dOff) {
        if (!transB) {
            // Row p of the panel is a contiguous run of B's row pc + p.
            for (int p = 0, s = bOff + pc * ldb + j0, d = dOff; p < kc; p++, s += ldb, d += width) {
                System.arraycopy(b, s, dst, d, cols);
                if (cols < width) {
                    Arrays.fill(dst, d + cols, d + width, 0f);
                }
            }
        } else {
            // Column j of the panel is a contiguous run of the stored B's row j0 + j.
            for (int j = 0; j < cols; j++) {
                int s = bOff + (j0 + j) * ldb + pc;
                for (int p = 0, d = dOff + j; p < kc; p++, d += width) {
                    dst[d] = b[s + p];
                }
            }
            for (int j = cols; j < width; j++) {
                for (int p = 0, d = dOff + j; p < kc; p++, d += width) {
                    dst[d] = 0f;
                }
            }
        }
    }

    /**
     * Packs op(B)[pc : pc+kc, j0 : j0+width] into one full panel at float index {@code dOff} of {@code dst}
     * (off-heap, 64-byte aligned; see {@link GemmVector}).
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int j0, int kc, int width,
                      MemorySegment dst, long dOff) {
        if (!transB) {
            long d = dOff * Float.BYTES;
            long rowBytes = (long) width * Float.BYTES;
            for (int p = 0, s = bOff + pc * ldb + j0; p < kc; p++, s += ldb, d += rowBytes) {
                MemorySegment.copy(b, s, dst, ValueLayout.JAVA_FLOAT, d, width);
            }
        } else {
            for (int j = 0; j < width; j++) {
                int s = bOff + (j0 + j) * ldb + pc;
                long d = dOff + j;
                for (int p = 0; p < kc; p++, d += width) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, d, b[s + p]);
                }
            }
        }
    }

    /**
     * Packs alpha · op(A)[i0 : i0+rows, pc : pc+kc] into one panel of {@code panelRows} rows at
     * {@code dst[0]}, rows beyond {@code rows} zero.
     */
    static void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int i0, int rows,
                      int pc, int kc, int panelRows, float[] dst) {
        if (!transA) {
            for (int r = 0; r < rows; r++) {
                int s = aOff + (i0 + r) * lda + pc;
                for (int p = 0, d = r; p < kc; p++, d += panelRows) {
                    dst[d] = alpha * a[s + p];
                }
            }
        } else {
            for (int p = 0, s = aOff + pc * lda + i0, d = 0; p < kc; p++, s += lda, d += panelRows) {
                for (int r = 0; r < rows; r++) {
                    dst[d + r] = alpha * a[s + r];
                }
            }
        }
        for (int r = rows; r < panelRows; r++) {
            for (int p = 0, d = r; p < kc; p++, d += panelRows) {
                dst[d] = 0f;
            }
        }
    }
}
