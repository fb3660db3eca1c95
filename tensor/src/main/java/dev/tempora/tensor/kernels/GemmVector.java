package dev.tempora.tensor.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD GEMM on one thread: B packed into panels, A read in place, register-tiled microkernels.
 *
 * <p>Loop nest, outermost first (in the manner of GotoBLAS/BLIS, with the roles chosen for a
 * row-major C whose vectors run along n):
 * <ol>
 *   <li>columns of C in blocks of {@link #NC}; steps of k in blocks of at most {@link #KC}. The
 *       block of op(B), KC × NC floats (512 KiB), is packed into panels of {@code nr} columns and
 *       stays in L2 while every row of C streams past it;</li>
 *   <li>rows of C in tiles of {@code mr}: the tile's rows of A, {@code mr × kc} floats (8 KiB),
 *       stay in L1 while the loop below sweeps the B block;</li>
 *   <li>the B panels: one microkernel call per {@code mr × nr} tile of C, which streams its
 *       panel from L2 in order (the access the hardware prefetcher follows best).</li>
 * </ol>
 *
 * <p>A is not packed: the microkernel reads it in place through a row and a step stride
 * (transposed or not), which saves a copy of A per column block. That copy would cost as much as
 * the arithmetic for the TFT's skinny products (k = 2 to 80), and measured no faster for large
 * squares either. A is packed (and scaled by alpha) only for a last, partial row tile, which the
 * panel's zero padding then completes, and for every tile when alpha is not 1.
 *
 * <p>B is packed unless few row tiles share it: with {@link #B_IN_PLACE_MAX_ROW_TILES} tiles or
 * fewer (m ≤ 128 for 8-row tiles) and B not transposed, full panels are read in place too, since
 * packing a panel for a handful of uses costs more than reading B's rows directly.
 *
 * <p>Columns left over after the full panels get the narrowest panel that covers them (see
 * {@link #panelWidth}). Partial tiles of C go through a scratch tile and are merged with masks, so
 * the microkernels only ever handle full tiles.
 * Buffers are per thread and grow to the largest block seen, so steady-state calls allocate
 * nothing. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    /** Steps of k per block: long enough to amortise loading and storing the C tile. */
    static final int KC = 256;
    /** Columns per block of packed B: KC × NC floats, 512 KiB, half of a 1 MiB L2. */
    static final int NC = 512;
    /** Up to this many row tiles share B, it is read in place rather than packed (see above). */
    static final int B_IN_PLACE_MAX_ROW_TILES = 16;
    /**
     * Blocks of at least this many steps put their full panels of packed B in aligned off-heap memory (see
     * {@link Buffers}). Shorter blocks keep arrays: the aligned tiles' fixed cost per call (the segment's
     * checks, the loop's set-up) outweighs what aligned loads can save over a few steps; 29568×80×20 (20
     * steps) ran 12% slower through them on Zen 4, and the squares (256 steps) within 2-3%.
     */
    static final int ALIGNED_MIN_KC = 128;

    /** The tile for this CPU: 8 rows on 32 vector registers, 6 rows on AVX2's 16. */
    static final GemmVector PREFERRED = new GemmVector(vectorRegisters() >= 32 ? 8 : 6);

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** For 1 ≤ r &lt; 2L remaining columns, the narrowest tile width that covers them. */
    private static final int[] WIDTH_COVERING = widthCovering();

    /** Rows of a register tile (6 or 8). */
    final int mr;
    /** Columns of a register tile: two vectors. */
    final int nr;

    GemmVector(int mr) {
        if (mr != 6 && mr != 8) {
            throw new IllegalArgumentException("GEMM tile rows must be 6 or 8, got " + mr);
        }
        this.mr = mr;
        this.nr = 2 * L;
    }

    /**
     * C = alpha · op(A) · op(B) (+ C when {@code accumulate}) for m, n, k ≥ 1 and arguments already
     * checked by {@link Gemm}.
     */
    void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  float[] c, int cOff, int ldc, boolean accumulate) {
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks; // equal blocks: no short last block
        Buffers buf = BUFFERS.get();
        int blockFloats = kcMax * Math.min(NC, roundUp(n, nr));
        float[] bPacked = buf.packedB(blockFloats);
        float[] aPacked = buf.packedA(mr * kcMax);
        float[] scratch = buf.scratchTile;
        boolean aInPlace = alpha == 1f;
        int rowStride = transA ? 1 : lda;
        int stepStride = transA ? lda : 1;
        boolean bInPlace = !transB && (m + mr - 1) / mr <= B_IN_PLACE_MAX_ROW_TILES;
        boolean aligned = !bInPlace && kcMax >= ALIGNED_MIN_KC;
        MemorySegment bAligned = aligned ? buf.alignedB(blockFloats) : MemorySegment.NULL;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean add = accumulate || pc > 0;
                // Pack the block's panels at jr·kc, full ones off the heap when aligned; in place, only a partial
                // last panel, at the buffer's start.
                for (int jr = 0, width; jr < nc; jr += width) {
                    width = panelWidth(nc - jr);
                    int cols = Math.min(width, nc - jr);
                    if (aligned && cols == nr) {
                        GemmPacking.packB(transB, b, bOff, ldb, pc, jc + jr, kc, nr, bAligned, (long) jr * kc);
                    } else if (!bInPlace || cols < width) {
                        GemmPacking.packB(transB, b, bOff, ldb, pc, jc + jr, kc, cols, width, bPacked,
                                bInPlace ? 0 : jr * kc);
                    }
                }
                for (int ic = 0; ic < m; ic += mr) {
                    int rows = Math.min(mr, m - ic);
                    float[] as;
                    int ao;
                    int rs;
                    int ks;
                    if (aInPlace && rows == mr) {
                        as = a;
                        ao = aOff + ic * rowStride + pc * stepStride;
                        rs = rowStride;
                        ks = stepStride;
                    } else {
                        GemmPacking.packA(transA, alpha, a, aOff, lda, ic, rows, pc, kc, mr, aPacked);
                        as = aPacked;
                        ao = 0;
                        rs = 1;
                        ks = mr;
                    }
                    for (int jr = 0, width; jr < nc; jr += width) {
                        width = panelWidth(nc - jr);
                        int cols = Math.min(width, nc - jr);
                        int co = cOff + ic * ldc + jc + jr;
                        if (aligned && cols == nr) {
                            long bo = (long) jr * kc * Float.BYTES;
                            if (rows == mr) {
                                GemmMicrokernels.tileAligned(mr, kc, as, ao, rs, ks, bAligned, bo, c, co, ldc, add);
                            } else {
                                GemmMicrokernels.tileAligned(mr, kc, as, ao, rs, ks, bAligned, bo, scratch, 0, width, false);
                                merge(scratch, width, c, co, ldc, rows, cols, add);
                            }
                            continue;
                        }
                        float[] bs;
                        int bo;
                        int step;
                        if (bInPlace && cols == width) {
                            bs = b;
                            bo = bOff + pc * ldb + jc + jr;
                            step = ldb;
                        } else {
                            bs = bPacked;
                            bo = bInPlace ? 0 : jr * kc;
                            step = width;
                        }
                        if (rows == mr && cols == width) {
                            GemmMicrokernels.tile(mr, width, kc, as, ao, rs, ks, bs, bo, step, c, co, ldc, add);
                        } else {
                            GemmMicrokernels.tile(mr, width, kc, as, ao, rs, ks, bs, bo, step, scratch, 0, width,
                                    false);
                            merge(scratch, width, c, co, ldc, rows, cols, add);
                        }
                    }
                }
            }
        }
    }

    /**
     * The width of the next panel when {@code remaining} columns are left: a full tile of two
     * vectors while they last, then the narrowest tile width that covers the rest (one of
     * {@link GemmMicrokernels#widths}). On 16 lanes n = 80 is 32 + 32 + 16, n = 20 one 16 + 4
     * panel, n = 39 is 32 + 8 and n = 7 one 8-wide panel.
     *
     * <p>Panels narrower than two vectors are bound by the broadcasts of A (one per row and step,
     * whatever the width), so one panel that covers the rest beats two: 20 columns as one 16 + 4
     * tile ran faster than one 32-wide pass, which in turn ran faster than a 16 then a 4.
     */
    int panelWidth(int remaining) {
        return remaining >= nr ? nr : WIDTH_COVERING[remaining];
    }

    /** Writes (or adds) the leading rows × cols of a scratch tile, {@code width} floats a row, into C. */
    private static void merge(float[] scratch, int width, float[] c, int co, int ldc, int rows, int cols, boolean add) {
        for (int r = 0; r < rows; r++, co += ldc) {
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> inside = S.indexInRange(j, cols);
                FloatVector v = FloatVector.fromArray(S, scratch, r * width + j);
                if (add) {
                    v = v.add(FloatVector.fromArray(S, c, co + j, inside));
                }
                v.intoArray(c, co + j, inside);
            }
        }
    }

    private static int[] widthCovering() {
        int[] widths = GemmMicrokernels.widths(); // widest first: the last that covers r is the narrowest
        int[] covering = new int[2 * L];
        for (int r = 1; r < 2 * L; r++) {
            for (int w : widths) {
                if (w >= r) {
                    covering[r] = w;
                }
            }
        }
        return covering;
    }

    /** Vector registers of this CPU, as far as Java lets us tell: AVX-512 and AArch64 have 32. */
    private static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512) {
            return 32;
        }
        return 16;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * One thread's packing buffers, grown on demand and kept for the thread's life.
     *
     * <p>Full-width panels of B for blocks of {@link #ALIGNED_MIN_KC} steps or more live off the heap,
     * starting on a 64-byte boundary, so that a panel row (two vectors; at 16 lanes two 64-byte vectors)
     * is whole cache lines. A heap {@code float[]}'s data is
     * only 8-byte aligned and moves with the garbage collector, so where it lands relative to the lines
     * changes from launch to launch, and on a core with full-width 512-bit loads a load that straddles
     * two lines costs a second access. The memory comes from an automatic arena: it is freed once the
     * buffer that holds it is unreachable (a grown buffer, or the thread's end). Other panels, and the
     * narrow last one, stay in an array.
     */
    static final class Buffers {
        /** Alignment of packed B: a cache line, and the size of a 512-bit vector. */
        private static final long ALIGNMENT = 64;

        private MemorySegment alignedB = MemorySegment.NULL;
        private float[] packedB = new float[0];
        private float[] packedA = new float[0];
        final float[] scratchTile = new float[8 * 2 * L];

        /** {@return room for {@code size} floats of full-width panels of B, 64-byte aligned; grown when short} */
        MemorySegment alignedB(int size) {
            long bytes = (long) size * Float.BYTES;
            if (alignedB.byteSize() < bytes) {
                alignedB = Arena.ofAuto().allocate(bytes, ALIGNMENT);
            }
            return alignedB;
        }

        /** {@return room for {@code size} floats of packed B in an array; grown when short} */
        float[] packedB(int size) {
            if (packedB.length < size) {
                packedB = new float[size];
            }
            return packedB;
        }

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }
    }
}
