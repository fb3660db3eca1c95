package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import java.util.Arrays;

/**
 * The TFT's interpretable multi-head attention core on the device ({@code src/main/cuda/attention.cuh}), with
 * the semantics of the CPU op {@link dev.tempora.autograd.InterpretableAttention#apply} and its kernels
 * {@code dev.tempora.tensor.kernels.AttentionKernels}: per head the masked softmax of q·kᵀ/√d over the encoder
 * and decoder keys, times the values shared by the heads; dropout on each head's output with the CPU's
 * counter-hash mask (same seed, same mask); the mean over heads.
 *
 * <p>Shapes: queries (B, Td, H, d); keys (B, T, H, d) with T = Te + Td; values (B, T, d); output (B, Td, d);
 * weights (B, Td, H, T), the softmax probabilities. Lengths are (B) floats holding whole numbers.
 *
 * <p>Two ways to keep what the backward needs. The weights: the backward reads them (two launches). Or, for small
 * heads ({@link #statsSupported}), the statistics ({@link #statsShape}: per (b, query, head) row the head output
 * and the log-sum-exp of its scores, (d + 1)·B·Td·H floats instead of B·Td·H·T): the backward recomputes the
 * probabilities (one launch, {@code attention_flash.cuh}). Training should keep the statistics; the weights
 * are written only when asked for (interpretation). Whenever {@link #statsSupported} holds, the forward runs the
 * flash kernel, weights or not, so the output does not depend on whether the weights were asked for.
 */
public final class DeviceAttention {
    private static final int WARPS = 8;
    /** Floats of dynamic shared memory a block may use without opting in to more (48 KiB). */
    private static final int SHARED_FLOATS = 48 * 1024 / 4;
    /** Outputs one thread owns in the keys' backward (ATTENTION_OWNED), 256 threads a block. */
    private static final int OWNED = 16;
    private static final int MAX_QUERY_TILE = 8;
    private static final int MAX_KEY_TILE = 32;
    private static final int MAX_QUERY_CHUNK = 32;
    /** The flash kernels' padded head sizes (one entry each). */
    private static final int[] FLASH_HEAD_SIZES = {2, 4, 8};

    private DeviceAttention() {
    }

    /**
     * @param seed    the dropout mask's seed, as the CPU op takes it
     * @param weights receives the probabilities; may be null when nothing needs them (inference)
     */
    public static void forward(DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                               DeviceTensor encoderLengths, DeviceTensor decoderLengths, boolean causal, float dropout,
                               boolean training, long seed, DeviceTensor output, DeviceTensor weights) {
        forward(queries, keys, values, encoderLengths, decoderLengths, causal, dropout, training, seed, 0, 0, output,
                weights, null);
    }

    /**
     * As {@link #forward(DeviceTensor, DeviceTensor, DeviceTensor, DeviceTensor, DeviceTensor, boolean, float,
     * boolean, long, DeviceTensor, DeviceTensor)} with the seed read from device memory when the kernel runs, so
     * that a captured step replays with each step's seed.
     *
     * @param seedsAddress device address of 64-bit seeds
     * @param seedSlot     which of them
     */
    public static void forward(DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                               DeviceTensor encoderLengths, DeviceTensor decoderLengths, boolean causal, float dropout,
                               boolean training, long seedsAddress, int seedSlot, DeviceTensor output,
                               DeviceTensor weights) {
        forward(queries, keys, values, encoderLengths, decoderLengths, causal, dropout, training, 0L, seedsAddress,
                seedSlot, output, weights, null);
    }

    /**
     * As {@link #forward(DeviceTensor, DeviceTensor, DeviceTensor, DeviceTensor, DeviceTensor, boolean, float,
     * boolean, long, DeviceTensor, DeviceTensor)}, also leaving the statistics for the weights-free backward.
     *
     * @param weights may be null
     * @param stats   {@link #statsShape}; may be null only when weights is not (then as the call without it).
     *                Needs {@link #statsSupported}
     */
    public static void forward(DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                               DeviceTensor encoderLengths, DeviceTensor decoderLengths, boolean causal, float dropout,
                               boolean training, long seed, DeviceTensor output, DeviceTensor weights,
                               DeviceTensor stats) {
        forward(queries, keys, values, encoderLengths, decoderLengths, causal, dropout, training, seed, 0, 0, output,
                weights, stats);
    }

    /** The forward with statistics and the seed read from {@code seedsAddress[seedSlot]} when the kernel runs. */
    public static void forward(DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                               DeviceTensor encoderLengths, DeviceTensor decoderLengths, boolean causal, float dropout,
                               boolean training, long seedsAddress, int seedSlot, DeviceTensor output,
                               DeviceTensor weights, DeviceTensor stats) {
        forward(queries, keys, values, encoderLengths, decoderLengths, causal, dropout, training, 0L, seedsAddress,
                seedSlot, output, weights, stats);
    }

    /**
     * Whether the weights-free path (statistics instead of weights) takes these sizes: heads of at most 8, at most
     * 256 heads, and a sample's keys and values within a block's shared memory.
     */
    public static boolean statsSupported(int keys, int heads, int headSize) {
        if (headSize < 1 || headSize > FLASH_HEAD_SIZES[FLASH_HEAD_SIZES.length - 1] || heads < 1
                || heads > GpuDevice.BLOCK || keys < 1) {
            return false;
        }
        int dp = flashHeadSize(headSize);
        return (long) keys * (heads + 1) * dp + (long) GpuDevice.BLOCK * dp <= SHARED_FLOATS;
    }

    /** The statistics' shape: (B, Td, H, d + 1), the head outputs then the log-sum-exps. */
    public static int[] statsShape(int batch, int decoderSteps, int heads, int headSize) {
        return new int[] {batch, decoderSteps, heads, headSize + 1};
    }

    private static int flashHeadSize(int d) {
        for (int dp : FLASH_HEAD_SIZES) {
            if (d <= dp) {
                return dp;
            }
        }
        throw new IllegalArgumentException("no flash kernel for heads of " + d);
    }

    private static void forward(DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                                DeviceTensor encoderLengths, DeviceTensor decoderLengths, boolean causal, float dropout,
                                boolean training, long seed, long seedsAddress, int seedSlot, DeviceTensor output,
                                DeviceTensor weights, DeviceTensor stats) {
        Geometry g = Geometry.of(queries, keys, values, encoderLengths, decoderLengths);
        g.expect("output", output, g.batch, g.td, g.d);
        if (weights != null) {
            g.expect("weights", weights, g.batch, g.td, g.heads, g.keys());
        }
        boolean flash = statsSupported(g.keys(), g.heads, g.d);
        if (stats != null) {
            g.expect("stats", stats, statsShape(g.batch, g.td, g.heads, g.d));
            if (!flash) {
                throw new IllegalArgumentException("attention on the device: no statistics for " + g.keys()
                        + " keys and " + g.heads + " heads of " + g.d + " (statsSupported); keep the weights");
            }
        }
        if (g.batch == 0 || g.td == 0) {
            return;
        }
        boolean weightsByFlash = flash && weights != null && g.flashForwardShared(true) <= SHARED_FLOATS;
        if (!flash || (weights != null && !weightsByFlash)) {
            // attention_forward: the output (and the weights, if asked for) where the flash kernel is not
            // supported; where it is, the weights it cannot write, and it runs again below without them, so that
            // the output (and the statistics) are those of the flash kernel in every case.
            int tile = g.queryTile();
            int shared = WARPS * (g.keys() + g.d) + tile * g.heads * g.d;
            g.checkShared("forward", shared);
            g.device().launch("attention_forward", new int[] {(g.td + tile - 1) / tile, g.batch, 1},
                    new int[] {GpuDevice.BLOCK, 1, 1}, 4 * shared, new KernelArguments()
                            .pointer(queries.address()).pointer(keys.address()).pointer(values.address())
                            .pointer(encoderLengths.address()).pointer(decoderLengths.address())
                            .pointer(output.address()).pointer(weights == null ? 0 : weights.address())
                            .i32(g.te).i32(g.td).i32(g.heads).i32(g.d).i32(tile).i32(causal ? 1 : 0)
                            .f32(training ? dropout : 0f).i64(seed).pointer(seedsAddress).i32(seedSlot));
            if (!flash) {
                return;
            }
        }
        int qpb = g.flashQueriesPerBlock();
        g.device().launch("attention_flash_forward_d" + g.flashHeadSize(), new int[] {(g.td + qpb - 1) / qpb, g.batch, 1},
                new int[] {GpuDevice.BLOCK, 1, 1}, 4 * g.flashForwardShared(weightsByFlash), new KernelArguments()
                        .pointer(queries.address()).pointer(keys.address()).pointer(values.address())
                        .pointer(encoderLengths.address()).pointer(decoderLengths.address())
                        .pointer(output.address()).pointer(stats == null ? 0 : stats.address())
                        .pointer(weightsByFlash ? weights.address() : 0)
                        .i32(g.te).i32(g.td).i32(g.heads).i32(g.d).i32(qpb).i32(causal ? 1 : 0)
                        .f32(training ? dropout : 0f).i64(seed).pointer(seedsAddress).i32(seedSlot));
    }

    /** Overwrites gradQueries, gradKeys and gradValues with the gradients of the forward's output. */
    public static void backward(DeviceTensor gradOutput, DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                                DeviceTensor weights, DeviceTensor encoderLengths, DeviceTensor decoderLengths,
                                boolean causal, float dropout, boolean training, long seed, DeviceTensor gradQueries,
                                DeviceTensor gradKeys, DeviceTensor gradValues) {
        backward(gradOutput, queries, keys, values, weights, null, encoderLengths, decoderLengths, causal, dropout,
                training, seed, 0, 0, gradQueries, gradKeys, gradValues);
    }

    /**
     * The backward from the forward's statistics, without weights (one launch); with {@code stats} null, the
     * backward from the weights.
     *
     * @param weights read only when stats is null
     */
    public static void backward(DeviceTensor gradOutput, DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                                DeviceTensor weights, DeviceTensor stats, DeviceTensor encoderLengths,
                                DeviceTensor decoderLengths, boolean causal, float dropout, boolean training, long seed,
                                DeviceTensor gradQueries, DeviceTensor gradKeys, DeviceTensor gradValues) {
        backward(gradOutput, queries, keys, values, weights, stats, encoderLengths, decoderLengths, causal, dropout,
                training, seed, 0, 0, gradQueries, gradKeys, gradValues);
    }

    /** The backward from the statistics of the forward that read its seed from {@code seedsAddress[seedSlot]}. */
    public static void backward(DeviceTensor gradOutput, DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                                DeviceTensor weights, DeviceTensor stats, DeviceTensor encoderLengths,
                                DeviceTensor decoderLengths, boolean causal, float dropout, boolean training,
                                long seedsAddress, int seedSlot, DeviceTensor gradQueries, DeviceTensor gradKeys,
                                DeviceTensor gradValues) {
        backward(gradOutput, queries, keys, values, weights, stats, encoderLengths, decoderLengths, causal, dropout,
                training, 0L, seedsAddress, seedSlot, gradQueries, gradKeys, gradValues);
    }

    /** The backward of the forward that read its seed from {@code seedsAddress[seedSlot]}. */
    public static void backward(DeviceTensor gradOutput, DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                                DeviceTensor weights, DeviceTensor encoderLengths, DeviceTensor decoderLengths,
                                boolean causal, float dropout, boolean training, long seedsAddress, int seedSlot,
                                DeviceTensor gradQueries, DeviceTensor gradKeys, DeviceTensor gradValues) {
        backward(gradOutput, queries, keys, values, weights, null, encoderLengths, decoderLengths, causal, dropout,
                training, 0L, seedsAddress, seedSlot, gradQueries, gradKeys, gradValues);
    }

    private static void backward(DeviceTensor gradOutput, DeviceTensor queries, DeviceTensor keys, DeviceTensor values,
                                 DeviceTensor weights, DeviceTensor stats, DeviceTensor encoderLengths,
                                 DeviceTensor decoderLengths, boolean causal, float dropout, boolean training, long seed,
                                 long seedsAddress, int seedSlot, DeviceTensor gradQueries, DeviceTensor gradKeys,
                                 DeviceTensor gradValues) {
        Geometry g = Geometry.of(queries, keys, values, encoderLengths, decoderLengths);
        g.expect("gradOutput", gradOutput, g.batch, g.td, g.d);
        if (stats != null) {
            g.expect("stats", stats, statsShape(g.batch, g.td, g.heads, g.d));
            if (!statsSupported(g.keys(), g.heads, g.d)) {
                throw new IllegalArgumentException("attention on the device: no statistics for " + g.keys()
                        + " keys and " + g.heads + " heads of " + g.d + " (statsSupported)");
            }
        } else {
            g.expect("weights", weights, g.batch, g.td, g.heads, g.keys());
        }
        g.expect("gradQueries", gradQueries, queries.shape());
        g.expect("gradKeys", gradKeys, keys.shape());
        g.expect("gradValues", gradValues, values.shape());
        if (g.batch == 0) {
            return;
        }
        if (g.td == 0) { // no query: nothing reaches the keys and values
            gradKeys.zero();
            gradValues.zero();
            return;
        }
        float p = training ? dropout : 0f;
        int[] block = {GpuDevice.BLOCK, 1, 1};
        GpuDevice device = g.device();
        if (stats != null) {
            int qpb = g.flashQueriesPerBlock();
            int queryBlocks = (g.td + qpb - 1) / qpb;
            int kpb = g.flashKeysPerBlock();
            int keyBlocks = (g.keys() + kpb - 1) / kpb;
            int dp = g.flashHeadSize();
            int queryShared = g.keys() * (g.heads + 1) * dp;
            int perQuery = g.heads * (2 * dp + 2);
            int chunk = Math.max(1, Math.min(g.td, Math.max(queryShared, 4096) / perQuery));
            int shared = Math.max(queryShared, Math.max(chunk * perQuery, GpuDevice.BLOCK * dp));
            g.checkShared("backward", shared);
            device.launch("attention_flash_backward_d" + dp, new int[] {queryBlocks + keyBlocks, g.batch, 1}, block,
                    4 * shared, new KernelArguments()
                            .pointer(gradOutput.address()).pointer(queries.address()).pointer(keys.address())
                            .pointer(values.address()).pointer(stats.address()).pointer(encoderLengths.address())
                            .pointer(decoderLengths.address()).pointer(gradQueries.address())
                            .pointer(gradKeys.address()).pointer(gradValues.address())
                            .i32(g.te).i32(g.td).i32(g.heads).i32(g.d).i32(qpb).i32(queryBlocks).i32(kpb).i32(chunk)
                            .i32(causal ? 1 : 0).f32(p).i64(seed).pointer(seedsAddress).i32(seedSlot));
            return;
        }
        int tile = g.queryTile();
        int queryShared = WARPS * (g.keys() + 2 * g.d);
        g.checkShared("backward", queryShared);
        int keyTile = g.keyTile();
        int chunk = g.queryChunk(keyTile);
        int keyShared = keyTile * g.d + 2 * chunk * g.heads * g.d + chunk * g.heads + 2 * chunk * g.heads * (keyTile + 1);
        g.checkShared("backward", keyShared);
        // Per (query, head) row, Σ_j w_j·dp_j: the queries' launch leaves it for the keys' launch.
        try (DeviceTensor dots = device.empty(g.batch, g.td, g.heads)) {
            device.launch("attention_backward_queries", new int[] {(g.td + tile - 1) / tile, g.batch, 1}, block,
                    4 * queryShared, new KernelArguments()
                            .pointer(gradOutput.address()).pointer(keys.address()).pointer(values.address())
                            .pointer(weights.address()).pointer(encoderLengths.address())
                            .pointer(decoderLengths.address()).pointer(gradQueries.address()).pointer(dots.address())
                            .i32(g.te).i32(g.td).i32(g.heads).i32(g.d).i32(tile).i32(causal ? 1 : 0).f32(p).i64(seed)
                            .pointer(seedsAddress).i32(seedSlot));
            device.launch("attention_backward_keys", new int[] {(g.keys() + keyTile - 1) / keyTile, g.batch, 1}, block,
                    4 * keyShared, new KernelArguments()
                            .pointer(gradOutput.address()).pointer(queries.address()).pointer(values.address())
                            .pointer(weights.address()).pointer(dots.address()).pointer(encoderLengths.address())
                            .pointer(decoderLengths.address()).pointer(gradKeys.address()).pointer(gradValues.address())
                            .i32(g.te).i32(g.td).i32(g.heads).i32(g.d).i32(keyTile).i32(chunk).i32(causal ? 1 : 0)
                            .f32(p).i64(seed).pointer(seedsAddress).i32(seedSlot));
        }
    }

    /** The sizes of one call, checked. */
    private record Geometry(GpuDevice device, int batch, int te, int td, int heads, int d) {
        static Geometry of(DeviceTensor queries, DeviceTensor keys, DeviceTensor values, DeviceTensor encoderLengths,
                           DeviceTensor decoderLengths) {
            int[] qs = queries.shape();
            int[] ks = keys.shape();
            int[] vs = values.shape();
            if (qs.length != 4 || ks.length != 4 || vs.length != 3 || ks[0] != qs[0] || vs[0] != qs[0]
                    || ks[2] != qs[2] || ks[3] != qs[3] || vs[1] != ks[1] || vs[2] != qs[3] || ks[1] < qs[1]) {
                throw new IllegalArgumentException("attention: queries " + Arrays.toString(qs) + ", keys "
                        + Arrays.toString(ks) + " and values " + Arrays.toString(vs)
                        + " must be (B, Td, heads, d), (B, Te+Td, heads, d) and (B, Te+Td, d)");
            }
            if (encoderLengths.numel() != qs[0] || decoderLengths.numel() != qs[0]) {
                throw new IllegalArgumentException("attention: " + encoderLengths.numel() + " encoder and "
                        + decoderLengths.numel() + " decoder lengths for a batch of " + qs[0]);
            }
            if (qs[0] > 65535) {
                throw new IllegalArgumentException("attention on the device takes batches of at most 65535 (grid y)");
            }
            Geometry g = new Geometry(queries.device(), qs[0], ks[1] - qs[1], qs[1], qs[2], qs[3]);
            for (DeviceTensor t : new DeviceTensor[] {keys, values, encoderLengths, decoderLengths}) {
                if (t.device() != g.device) {
                    throw new IllegalArgumentException("attention: " + t + " is on another device than the queries");
                }
            }
            if (g.heads == 0 || g.d == 0) {
                throw new IllegalArgumentException("attention needs at least one head of size at least 1");
            }
            return g;
        }

        int keys() {
            return te + td;
        }

        void expect(String name, DeviceTensor t, int... shape) {
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("attention: " + name + " is " + t + ", expected " + Arrays.toString(shape));
            }
            if (t.device() != device) {
                throw new IllegalArgumentException("attention: " + name + " is on another device than the queries");
            }
        }

        int flashHeadSize() {
            return DeviceAttention.flashHeadSize(d);
        }

        /**
         * Queries per block of the flash kernels (a thread per row, at most 256 rows a block), evened out over the
         * blocks that the most a block takes makes.
         */
        int flashQueriesPerBlock() {
            return evenTiles(td, GpuDevice.BLOCK / heads);
        }

        /** Keys per block of the flash backward's keys part (a thread per key and head). */
        int flashKeysPerBlock() {
            return evenTiles(keys(), GpuDevice.BLOCK / heads);
        }

        /** Floats of shared memory of the flash forward. */
        int flashForwardShared(boolean withWeights) {
            int dp = flashHeadSize();
            return keys() * (heads + 1) * dp + GpuDevice.BLOCK * dp + (withWeights ? keys() * heads * dp : 0);
        }

        private static int evenTiles(int n, int most) {
            int tiles = (n + most - 1) / most;
            return (n + tiles - 1) / tiles;
        }

        /** Queries per block of the forward and the queries' backward: the tile's head outputs stay small. */
        int queryTile() {
            return clamp(2048 / (heads * d), 1, MAX_QUERY_TILE);
        }

        /** Keys per block of the keys' backward: every thread owns at most OWNED of its dk and dv outputs. */
        int keyTile() {
            int tile = Math.min(MAX_KEY_TILE, GpuDevice.BLOCK * OWNED / ((heads + 1) * d));
            if (tile == 0) {
                throw new IllegalArgumentException("attention on the device takes (heads + 1)·d ≤ "
                        + GpuDevice.BLOCK * OWNED + ", got " + heads + " heads of size " + d);
            }
            return Math.min(tile, keys());
        }

        /** Queries staged at a time by the keys' backward. */
        int queryChunk(int keyTile) {
            return clamp(Math.min(2048 / (heads * (keyTile + 1)), 1024 / (heads * d)), 1, MAX_QUERY_CHUNK);
        }

        void checkShared(String pass, int floats) {
            if (floats > SHARED_FLOATS) {
                throw new IllegalArgumentException("attention " + pass + " on the device: " + keys() + " keys, " + heads
                        + " heads of size " + d + " need " + 4L * floats + " bytes of shared memory, more than "
                        + 4 * SHARED_FLOATS);
            }
        }

        private static int clamp(int v, int lo, int hi) {
            return Math.max(lo, Math.min(hi, v));
        }
    }
}
