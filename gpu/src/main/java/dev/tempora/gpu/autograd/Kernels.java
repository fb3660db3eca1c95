package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.driver.KernelArguments;

/** Launches of the small kernels several ops share: scaled copies, sums over an axis, strided copies. */
final class Kernels {
    /** Rows one block of {@code reduce_middle} sums when a sum is split over blocks. */
    private static final int ROWS_PER_CHUNK = 256;
    /** Below this many rows one block sums a column alone (no second pass). */
    private static final int SINGLE_CHUNK_ROWS = 2048;

    /** The column-sum kernels' block: 32 columns by 8 rows. */
    private static final int[] COLUMN_BLOCK = {32, 8, 1};

    private Kernels() {
    }

    /** The blocks across n columns, 32 columns each. */
    private static int columnBlocks(int n) {
        return (n + 31) / 32;
    }

    /** The chunks a sum over r rows is cut into (one block each): 1 up to {@link #SINGLE_CHUNK_ROWS} rows. */
    private static int chunks(int r) {
        return r <= SINGLE_CHUNK_ROWS ? 1 : Math.min((r + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK, 65535);
    }

    private static int rowsPerChunk(int r, int chunks) {
        return (r + chunks - 1) / chunks;
    }

    /** y = alpha·x, or y += alpha·x when accumulating. */
    static void scale(GpuDevice device, long x, float alpha, long y, int n, boolean accumulate) {
        device.launch("scale", n, new KernelArguments().pointer(x).f32(alpha).pointer(y).i32(n).i32(accumulate ? 1 : 0));
    }

    /**
     * out[o, j] (+)= Σ_k a[o, k, j]·b[o, k, j] over a contiguous (outer, r, inner) block; b is 0 for plain sums.
     * Long sums are cut into chunks summed by separate blocks, then added in chunk order (the same bits
     * every run).
     */
    static void sumMiddle(GpuDevice device, long a, long b, long out, boolean accumulate, int outer, int r, int inner) {
        if (outer > 65535) {
            throw new IllegalArgumentException("sumMiddle: " + outer + " outer rows exceed a grid's y limit");
        }
        int chunks = chunks(r);
        if (chunks == 1) {
            device.launch("reduce_middle", new int[] {columnBlocks(inner), outer, 1}, COLUMN_BLOCK, 0,
                    new KernelArguments().pointer(a).pointer(b).pointer(out).i32(outer).i32(r).i32(inner)
                            .i32(Math.max(r, 1)).i32(accumulate ? 1 : 0));
            return;
        }
        try (DeviceTensor partial = device.empty(chunks, outer * inner)) {
            device.launch("reduce_middle", new int[] {columnBlocks(inner), outer, chunks}, COLUMN_BLOCK, 0,
                    new KernelArguments().pointer(a).pointer(b).pointer(partial.address()).i32(outer).i32(r).i32(inner)
                            .i32(rowsPerChunk(r, chunks)).i32(0));
            device.launch("sum_chunks", outer * inner, new KernelArguments().pointer(partial.address()).pointer(out)
                    .i32(chunks).i32(outer * inner).f32(1f).i32(accumulate ? 1 : 0));
        }
    }

    /** Column sums of a (rows, n) matrix into out (n), added to it when accumulating. */
    static void columnSums(GpuDevice device, long a, long out, boolean accumulate, int rows, int n) {
        sumMiddle(device, a, 0L, out, accumulate, 1, rows, n);
    }

    /**
     * Column sums of two (rows, n) matrices into out0 and out1 (each added to when its flag says so) in the
     * launches of one: the same chunks, order and bits as two {@link #columnSums}.
     */
    static void columnSumsPair(GpuDevice device, long a0, long out0, boolean accumulate0, long a1, long out1,
                               boolean accumulate1, int rows, int n) {
        columnSumsPair(device, a0, out0, accumulate0, a1, out1, accumulate1, 1, rows, n);
    }

    /**
     * The same over {@code outer} blocks of (rows, n) each (a group's members): out0 and out1 are (outer, n),
     * the bits of two {@link #sumMiddle} calls.
     */
    static void columnSumsPair(GpuDevice device, long a0, long out0, boolean accumulate0, long a1, long out1,
                               boolean accumulate1, int outer, int rows, int n) {
        if (2L * outer > 65535) {
            throw new IllegalArgumentException("columnSumsPair: " + outer + " blocks exceed a grid's y limit");
        }
        int chunks = chunks(rows);
        int[] grid = {columnBlocks(n), 2 * outer, chunks};
        if (chunks == 1) {
            device.launch("column_sums_pair", grid, COLUMN_BLOCK, 0, new KernelArguments().pointer(a0).pointer(a1)
                    .pointer(out0).pointer(out1).i32(rows).i32(n).i32(Math.max(rows, 1)).i32(accumulate0 ? 1 : 0)
                    .i32(accumulate1 ? 1 : 0).i32(outer));
            return;
        }
        int count = outer * n;
        try (DeviceTensor partial = device.empty(2, chunks, count)) {
            long partial0 = partial.address();
            long partial1 = partial.address((long) chunks * count);
            device.launch("column_sums_pair", grid, COLUMN_BLOCK, 0, new KernelArguments().pointer(a0).pointer(a1)
                    .pointer(partial0).pointer(partial1).i32(rows).i32(n).i32(rowsPerChunk(rows, chunks)).i32(0).i32(0)
                    .i32(outer));
            device.launch("sum_chunks_pair", 2 * count, new KernelArguments().pointer(partial0).pointer(partial1)
                    .pointer(out0).pointer(out1).i32(chunks).i32(count).i32(accumulate0 ? 1 : 0)
                    .i32(accumulate1 ? 1 : 0));
        }
    }

    /**
     * dst = src read through {@code strides} over the 4-d index space {@code sizes} (dst contiguous), or, with
     * {@code accumulate}, dst addressed through the strides += src contiguous (the same map run backwards).
     */
    static void strided(GpuDevice device, boolean accumulate, long src, long dst, int[] sizes, int[] strides) {
        int n = sizes[0] * sizes[1] * sizes[2] * sizes[3];
        device.launch(accumulate ? "strided_accumulate" : "strided_copy", n, new KernelArguments().pointer(src)
                .pointer(dst).ints(sizes[0], sizes[1], sizes[2], sizes[3], strides[0], strides[1], strides[2], strides[3],
                        0, 0, 0, 0).i32(n));
    }
}
