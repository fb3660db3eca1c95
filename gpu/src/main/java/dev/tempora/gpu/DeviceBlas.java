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
    /** A split-K block of the large tile gets at least this much of K, so that its loop outweighs its partial tile. */
    static final int MIN_SPLIT_K = 256;
    /**
     * The small tile's K range per split aims at one wave of blocks but stays within these bounds (32 when K
     * is at most {@link #SHORT_K}): the skinny products' blocks are latency-bound (a barrier and a global load
     * round trip per K step), so a short walk per block matters more than the partial tiles it writes.
     */
    static final int SMALL_MIN_SPLIT_K = 64;
    static final int SMALL_MAX_SPLIT_K = 128;
    static final int SHORT_K = 512;
    /** Fewer splits than this do not pay for the extra launch and the partial tiles' round trip. */
    static final int SMALL_MIN_SPLITS = 4;
    /** Outputs up to this many floats split without regard to the partial tiles' traffic. */
    static final long SMALL_OUTPUT = 16384;

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
        if (tile == Tile.SMALL) {
            return splitSmall(m, n, k, tiles, wave);
        }
        if (tiles * 2 > wave || k < 2 * MIN_SPLIT_K) {
            return new Plan(tile, 1, k);
        }
        return Plan.of(tile, k, (int) Math.min(Math.ceilDiv(wave, tiles), k / MIN_SPLIT_K));
    }

    /**
     * The small tile's split: K ranges that fill about one wave with the tiles, between
     * {@link #SMALL_MIN_SPLIT_K} (32 for short K) and {@link #SMALL_MAX_SPLIT_K}; for outputs beyond
     * {@link #SMALL_OUTPUT}, at least 2mn / (m + n), so that the partial tiles' traffic stays within the
     * operands'. Not split when the tiles fill half a wave or when that leaves fewer than
     * {@link #SMALL_MIN_SPLITS} splits. E.g. the weight gradients 80 x 20 x 21504: 336 splits of 64;
     * 80 x 80 x 29568: 231 of 128; 20 x 20 x 128: 4 of 32.
     */
    private static Plan splitSmall(int m, int n, int k, long tiles, int wave) {
        Plan whole = new Plan(Tile.SMALL, 1, k);
        if (tiles * 2 > wave) {
            return whole;
        }
        int low = k <= SHORT_K ? SMALL_MIN_SPLIT_K / 2 : SMALL_MIN_SPLIT_K;
        long oneWave = Math.ceilDiv((long) k * tiles, wave);
        long kPerSplit = Math.min(Math.max(roundUp(oneWave), low), SMALL_MAX_SPLIT_K);
        long output = (long) m * n;
        if (output > SMALL_OUTPUT) {
            kPerSplit = Math.max(kPerSplit, roundUp(Math.ceilDiv(2 * output, (long) m + n)));
        }
        long splits = Math.ceilDiv(k, kPerSplit);
        if (splits < SMALL_MIN_SPLITS) {
            return whole;
        }
        return new Plan(Tile.SMALL, (int) splits, (int) kPerSplit);
    }

    private static long roundUp(long kValues) {
        return Math.ceilDiv(kValues, K_STEP) * K_STEP;
    }

    /** The general product on raw device addresses. {@code beta == 0} ignores C's old values (NaN too). */
    public static void gemm(GpuDevice device, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        gemm(device, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0L, 0L, false);
    }

    /**
     * The product with the linear layers' fusions: {@code C = alpha·op(A)·op(B) + beta·C + bias}, the bias
     * (n floats at {@code bias}, or 0 for none) added to every row of C; and, when {@code rowSums} is not 0,
     * {@code rowSums[i] = alpha·Σ_k op(A)(i, k)} (added to what it holds when {@code accumulateRowSums}),
     * summed by the product's own blocks from the op(A) tiles they load. For the weight gradient
     * {@code dW = dYᵀ·X} (A = dY transposed) the row sums are the bias gradient, the column sums of dY.
     * Row sums take the small tile (the weight gradients' shapes get it anyway).
     */
    public static void gemm(GpuDevice device, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            long a, int lda, long b, int ldb, float beta, long c, int ldc, long bias, long rowSums,
                            boolean accumulateRowSums) {
        if (m < 0 || n < 0 || k < 0 || lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n) {
            throw new IllegalArgumentException("gemm: m " + m + ", n " + n + ", k " + k + ", lda " + lda + ", ldb " + ldb
                    + ", ldc " + ldc + (transA ? " (A transposed)" : "") + (transB ? " (B transposed)" : ""));
        }
        if (rowSums != 0L && m > 0 && n == 0) {
            throw new IllegalArgumentException("gemm: row sums of a product without columns (m " + m + ", k " + k + ")");
        }
        if (m == 0 || n == 0) {
            return;
        }
        Plan plan = rowSums == 0L ? plan(m, n, k) : splitK(Tile.SMALL, m, n, k);
        gemm(device, plan, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, rowSums,
                accumulateRowSums);
    }

    /**
     * The fused {@link #gemm} with the plan given (the tests run every kernel and split on small shapes); row
     * sums need the small tile.
     */
    static void gemm(GpuDevice device, Plan plan, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     long a, int lda, long b, int ldb, float beta, long c, int ldc, long bias, long rowSums,
                     boolean accumulateRowSums) {
        Tile tile = plan.tile();
        int tilesN = Math.ceilDiv(n, tile.columns);
        if (tilesN > 65535 || plan.splits() > 65535) {
            throw new IllegalArgumentException("gemm: n " + n + " needs more than 65535 column tiles of " + tile.columns
                    + ", or " + plan + " more than 65535 splits");
        }
        if (rowSums != 0L && tile != Tile.SMALL) {
            throw new IllegalArgumentException("gemm: row sums need the small tile, not " + plan);
        }
        String kernel = tile.kernel + (transA ? "_t" : "_n") + (transB ? "t" : "n") + (rowSums != 0L ? "_rowsums" : "");
        int[] grid = {Math.ceilDiv(m, tile.rows), tilesN, plan.splits()};
        int[] block = {tile.threads, 1, 1};
        if (plan.splits() == 1) {
            device.launch(kernel, grid, block, 0, arguments(m, n, k, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, bias,
                    rowSums, accumulateRowSums));
            return;
        }
        // Each split writes its partial tile (and its partial row sums right after it) to its own slice; the
        // reduction adds them in a fixed order (deterministic, unlike atomics) and applies alpha, beta and the
        // bias. The workspace returns to the pool afterwards: later work on the stream is ordered after the
        // reduction, so reusing the memory right away is safe. (Under graph capture, as for any temporary, an
        // eager run of the same sequence must have filled the pool first.)
        try (GpuDevice.Scope scope = device.scope()) {
            long cells = (long) m * n;
            long total = cells + (rowSums != 0L ? m : 0);
            long slice = Math.ceilDiv(total, 4) * 4; // slices stay 16-byte aligned for the float4 stores
            DeviceTensor partials = device.empty(Math.toIntExact(plan.splits() * slice));
            long workspace = partials.address();
            device.launch(kernel, grid, block, 0, arguments(m, n, k, plan.kPerSplit(), 1f, a, lda, b, ldb, 0f,
                    workspace, n, slice, 0L, rowSums != 0L ? workspace + 4 * cells : 0L, false));
            int lanes = reduceLanes(plan.splits());
            int[] reduceBlock = {REDUCE_THREADS / lanes, lanes, 1};
            device.launch("sgemm_splitk_reduce", new int[] {Math.toIntExact(Math.ceilDiv(total, reduceBlock[0])), 1, 1},
                    reduceBlock, 0, new KernelArguments().i32(m).i32(n).i32(plan.splits()).pointer(workspace)
                            .i64(slice).f32(alpha).f32(beta).pointer(c).i32(ldc).pointer(bias).pointer(rowSums)
                            .i32(accumulateRowSums ? 1 : 0));
        }
    }

    /**
     * {@code count} independent products of one shape in one launch (plus a reduction under split K): member
     * g's operands at {@code a + g·strideA}, {@code b + g·strideB}, {@code c + g·strideC}, its bias at
     * {@code bias + g·strideBias} and its row sums at {@code rowSums + g·strideRowSums} (strides in floats), each
     * member otherwise as {@link #gemm} with the fusions. The grouped linear layers' products: their shapes
     * are skinny, so they take the small tile, split K by the plan for all members' tiles together.
     */
    public static void gemmBatched(GpuDevice device, int count, boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, long a, int lda, long strideA, long b, int ldb, long strideB, float beta,
                                   long c, int ldc, long strideC, long bias, long strideBias, long rowSums,
                                   long strideRowSums, boolean accumulateRowSums) {
        if (count < 1 || m < 0 || n < 0 || k < 0 || lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n) {
            throw new IllegalArgumentException("gemmBatched: " + count + " of m " + m + ", n " + n + ", k " + k + ", lda "
                    + lda + ", ldb " + ldb + ", ldc " + ldc);
        }
        if (m == 0 || n == 0) {
            return;
        }
        long tiles = (long) Math.ceilDiv(m, Tile.SMALL.rows) * Math.ceilDiv(n, Tile.SMALL.columns);
        Plan plan = splitSmall(m, n, k, tiles * count, MULTIPROCESSORS * Tile.SMALL.blocksPerMultiprocessor);
        gemmBatched(device, plan, count, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc,
                strideC, bias, strideBias, rowSums, strideRowSums, accumulateRowSums);
    }

    /** {@link #gemmBatched} with the plan given (small tile only). */
    static void gemmBatched(GpuDevice device, Plan plan, int count, boolean transA, boolean transB, int m, int n, int k,
                            float alpha, long a, int lda, long strideA, long b, int ldb, long strideB, float beta,
                            long c, int ldc, long strideC, long bias, long strideBias, long rowSums,
                            long strideRowSums, boolean accumulateRowSums) {
        if (plan.tile() != Tile.SMALL) {
            throw new IllegalArgumentException("gemmBatched: the small tile only, not " + plan);
        }
        int tilesN = Math.ceilDiv(n, Tile.SMALL.columns);
        if (tilesN > 65535 || (long) plan.splits() * count > 65535 || count > 65535) {
            throw new IllegalArgumentException("gemmBatched: " + count + " products of n " + n + " with " + plan
                    + " exceed the grid's y or z limit");
        }
        String kernel = Tile.SMALL.kernel + (transA ? "_t" : "_n") + (transB ? "t" : "n")
                + (rowSums != 0L ? "_rowsums" : "") + "_batched";
        int[] grid = {Math.ceilDiv(m, Tile.SMALL.rows), tilesN, plan.splits() * count};
        int[] block = {Tile.SMALL.threads, 1, 1};
        if (plan.splits() == 1) {
            device.launch(kernel, grid, block, 0, arguments(m, n, k, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, bias,
                    rowSums, accumulateRowSums).i32(1).i64(strideA).i64(strideB).i64(strideC).i64(strideBias)
                    .i64(strideRowSums));
            return;
        }
        // As gemm's split K, each member's splits in consecutive slices of one workspace.
        try (GpuDevice.Scope scope = device.scope()) {
            long cells = (long) m * n;
            long total = cells + (rowSums != 0L ? m : 0);
            long slice = Math.ceilDiv(total, 4) * 4;
            DeviceTensor partials = device.empty(Math.toIntExact((long) count * plan.splits() * slice));
            long workspace = partials.address();
            device.launch(kernel, grid, block, 0, arguments(m, n, k, plan.kPerSplit(), 1f, a, lda, b, ldb, 0f,
                    workspace, n, slice, 0L, rowSums != 0L ? workspace + 4 * cells : 0L, false).i32(plan.splits())
                    .i64(strideA).i64(strideB).i64(0).i64(0).i64(0));
            int lanes = reduceLanes(plan.splits());
            int[] reduceBlock = {REDUCE_THREADS / lanes, lanes, 1};
            device.launch("sgemm_splitk_reduce_batched",
                    new int[] {Math.toIntExact(Math.ceilDiv(total, reduceBlock[0])), count, 1}, reduceBlock, 0,
                    new KernelArguments().i32(m).i32(n).i32(plan.splits()).pointer(workspace).i64(slice).f32(alpha)
                            .f32(beta).pointer(c).i32(ldc).pointer(bias).pointer(rowSums)
                            .i32(accumulateRowSums ? 1 : 0).i64(strideC).i64(strideBias).i64(strideRowSums));
        }
    }

    /** Threads of a split-K reduction block (its shared array's size in gemm.cuh). */
    static final int REDUCE_THREADS = 256;

    /**
     * Threads of the reduction that share one element, each summing every lanes-th split: a power of two,
     * about splits / 8 (so that a thread reads at most ~16 partials), between 1 and 32. A function of the
     * split count alone, so the order of the sums, and the bits, are fixed.
     */
    static int reduceLanes(int splits) {
        return Integer.highestOneBit(Math.clamp(splits / 8, 1, 32));
    }

    private static KernelArguments arguments(int m, int n, int k, int kPerSplit, float alpha, long a, int lda, long b,
                                             int ldb, float beta, long c, int ldc, long splitStride, long bias,
                                             long rowSums, boolean accumulateRowSums) {
        return new KernelArguments().i32(m).i32(n).i32(k).i32(kPerSplit).f32(alpha).pointer(a).i32(lda).pointer(b)
                .i32(ldb).f32(beta).pointer(c).i32(ldc).i64(splitStride).pointer(bias).pointer(rowSums)
                .i32(accumulateRowSums ? 1 : 0);
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
