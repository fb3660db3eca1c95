package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;

/**
 * Matrix products on the device with our own SGEMM kernels ({@code src/main/cuda/gemm.cuh}, design in
 * {@code gpu/README.md}). Row-major, BLAS-style: {@code C = alpha * op(A) * op(B) + beta * C}, where
 * {@code op(X)} is X or its transpose, A is (m, k) (stored (k, m) when transposed), B is (k, n) (stored (n, k)
 * when transposed), and {@code lda}, {@code ldb}, {@code ldc} are the row strides (in elements) of the stored
 * matrices. Any alignment and stride works; 16-byte aligned bases with strides that are multiples of 4 get
 * vector loads.
 */
public final class DeviceBlas {
    /** Streaming multiprocessors the split heuristic plans for (an H100 SXM; only the choice of plan depends on it). */
    static final int MULTIPROCESSORS = 132;
    /** The kernels' K step: a split's share of K is a multiple of it, so vector loads along K stay aligned. */
    static final int K_STEP = 8;
    /** A split-K block gets at least this much of K, so that its own loop outweighs writing its partial tile. */
    static final int MIN_SPLIT_K = 256;

    /** The block tiles of gemm.cuh: kernel name prefix, tile size, threads, and blocks that fit on one SM. */
    enum Tile {
        LARGE("sgemm_128x128", 128, 128, 256, 2),
        SMALL("sgemm_64x32", 64, 32, 128, 8);

        final String kernel;
        final int rows;
        final int columns;
        final int threads;
        final int blocksPerMultiprocessor;

        Tile(String kernel, int rows, int columns, int threads, int blocksPerMultiprocessor) {
            this.kernel = kernel;
            this.rows = rows;
            this.columns = columns;
            this.threads = threads;
            this.blocksPerMultiprocessor = blocksPerMultiprocessor;
        }
    }

    /** How one product runs: the tile, and K cut into {@code splits} ranges of {@code kPerSplit}. */
    record Plan(Tile tile, int splits, int kPerSplit) {
        /** K cut into about {@code splits} ranges, each a multiple of {@link #K_STEP} (the last may be shorter). */
        static Plan of(Tile tile, int k, int splits) {
            if (splits <= 1 || k == 0) {
                return new Plan(tile, 1, k);
            }
            int kPerSplit = Math.ceilDiv(Math.ceilDiv(k, splits), K_STEP) * K_STEP;
            return new Plan(tile, Math.ceilDiv(k, kPerSplit), kPerSplit);
        }

        long blocks(int m, int n) {
            return (long) Math.ceilDiv(m, tile.rows) * Math.ceilDiv(n, tile.columns) * splits;
        }
    }

    private DeviceBlas() {
    }

    /**
     * The large tile when both sides fill it and it makes at least one block per SM (with its K split);
     * otherwise the small tile, which is what the model's skinny products (n or m of a few dozen) get. K is
     * split when the tiles alone would leave most of the GPU idle, as in the weight gradient dY^T X, whose
     * output is at most 80 x 80 while K is the ~30k rows of the batch.
     */
    static Plan plan(int m, int n, int k) {
        Plan large = splitK(Tile.LARGE, m, n, k);
        if (m >= Tile.LARGE.rows && n >= Tile.LARGE.columns && large.blocks(m, n) >= MULTIPROCESSORS) {
            return large;
        }
        return splitK(Tile.SMALL, m, n, k);
    }

    private static Plan splitK(Tile tile, int m, int n, int k) {
        long tiles = (long) Math.ceilDiv(m, tile.rows) * Math.ceilDiv(n, tile.columns);
        int wave = MULTIPROCESSORS * tile.blocksPerMultiprocessor;
        if (tiles * 2 > wave || k < 2 * MIN_SPLIT_K) {
            return new Plan(tile, 1, k);
        }
        return Plan.of(tile, k, (int) Math.min(Math.ceilDiv(wave, tiles), k / MIN_SPLIT_K));
    }

    /** The general product on raw device addresses. {@code beta == 0} ignores C's old values (NaN too). */
    public static void gemm(GpuDevice device, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        if (m < 0 || n < 0 || k < 0 || lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n) {
            throw new IllegalArgumentException("gemm: m " + m + ", n " + n + ", k " + k + ", lda " + lda + ", ldb " + ldb
                    + ", ldc " + ldc + (transA ? " (A transposed)" : "") + (transB ? " (B transposed)" : ""));
        }
        if (m == 0 || n == 0) {
            return;
        }
        gemm(device, plan(m, n, k), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** {@link #gemm} with the plan given (the tests run every kernel and split on small shapes). */
    static void gemm(GpuDevice device, Plan plan, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        Tile tile = plan.tile();
        int tilesN = Math.ceilDiv(n, tile.columns);
        if (tilesN > 65535) {
            throw new IllegalArgumentException("gemm: n " + n + " needs more than 65535 column tiles of " + tile.columns);
        }
        String kernel = tile.kernel + (transA ? "_t" : "_n") + (transB ? "t" : "n");
        int[] grid = {Math.ceilDiv(m, tile.rows), tilesN, plan.splits()};
        int[] block = {tile.threads, 1, 1};
        if (plan.splits() == 1) {
            device.launch(kernel, grid, block, 0, arguments(m, n, k, k, alpha, a, lda, b, ldb, beta, c, ldc, 0));
            return;
        }
        // Each split writes its partial tile to its own slice; the reduction adds them in split order
        // (deterministic, unlike atomics). The workspace returns to the pool afterwards: later work on the
        // stream is ordered after the reduction, so reusing the memory right away is safe. (Under graph capture,
        // as for any temporary, an eager run of the same sequence must have filled the pool first.)
        try (GpuDevice.Scope scope = device.scope()) {
            long slice = (long) m * n;
            DeviceTensor partials = device.empty(plan.splits(), m, n);
            device.launch(kernel, grid, block, 0, arguments(m, n, k, plan.kPerSplit(), 1f, a, lda, b, ldb, 0f,
                    partials.address(), n, slice));
            device.launch("sgemm_splitk_reduce", new int[] {(int) Math.ceilDiv(slice, GpuDevice.BLOCK), 1, 1},
                    new int[] {GpuDevice.BLOCK, 1, 1}, 0, new KernelArguments().i32(m).i32(n).i32(plan.splits())
                            .pointer(partials.address()).f32(alpha).f32(beta).pointer(c).i32(ldc));
        }
    }

    private static KernelArguments arguments(int m, int n, int k, int kPerSplit, float alpha, long a, int lda, long b,
                                             int ldb, float beta, long c, int ldc, long splitStride) {
        return new KernelArguments().i32(m).i32(n).i32(k).i32(kPerSplit).f32(alpha).pointer(a).i32(lda).pointer(b)
                .i32(ldb).f32(beta).pointer(c).i32(ldc).i64(splitStride);
    }

    /** {@code c = op(a) · op(b)} for dense 2-d tensors (c is overwritten). */
    public static void matmul(DeviceTensor a, boolean transA, DeviceTensor b, boolean transB, DeviceTensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("matmul: 2-d tensors expected, got " + a + ", " + b + ", " + c);
        }
        int m = transA ? a.size(1) : a.size(0);
        int k = transA ? a.size(0) : a.size(1);
        int kb = transB ? b.size(1) : b.size(0);
        int n = transB ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("matmul: " + a + (transA ? "^T" : "") + " · " + b + (transB ? "^T" : "")
                    + " into " + c);
        }
        gemm(a.device(), transA, transB, m, n, k, 1f, a.address(), a.size(1), b.address(), b.size(1), 0f, c.address(), n);
    }
}
