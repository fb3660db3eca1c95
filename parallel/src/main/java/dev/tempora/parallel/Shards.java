package dev.tempora.parallel;

import dev.tempora.tensor.Parallel;

/**
 * How the data-parallel engines cut a batch and spread it over workers: shard s of S holds samples
 * [n·s/S, n·(s+1)/S), and worker w of W runs shards w, w + W, w + 2W, ... one after another on the
 * shared pool, each with kernel parallelism off ({@link Parallel#serial}), so the parallelism is spent
 * once. The cut depends only on n and S, never on W or on timing.
 */
final class Shards {

    /** The work on one shard: samples [from, to) of the batch, an empty range when there are fewer samples than shards. */
    @FunctionalInterface
    interface Body {
        void run(int shard, int from, int to);
    }

    private Shards() {}

    /** Rejects a layout that has no worker or shard, or more workers than shards (some would idle). */
    static void check(int workers, int shards) {
        if (workers < 1 || shards < 1) {
            throw new IllegalArgumentException("workers and shards must be at least 1, got " + workers + " and " + shards);
        }
        if (workers > shards) {
            throw new IllegalArgumentException(workers + " workers for " + shards
                    + " shards would leave workers idle; use at most as many workers as shards");
        }
    }

    /** Runs {@code body} for every shard, on fewer workers when there are fewer shards or samples than workers. */
    static void run(int workers, int shards, int samples, Body body) {
        run(workers, 0, shards, samples, body);
    }

    /**
     * Runs {@code body} for shards {@code firstShard} .. {@code firstShard + count - 1} of a larger batch,
     * given only their {@code samples} samples: they are cut as {@code count} shards of their own
     * (sample ranges relative to them), and the body gets each shard's index in the larger batch. When
     * the larger batch is cut into equal parts of {@code samples} samples and {@code count} shards each
     * ({@code firstShard} a multiple of {@code count}), these are exactly the larger batch's own shards.
     */
    static void run(int workers, int firstShard, int count, int samples, Body body) {
        int active = Math.max(1, Math.min(workers, Math.min(count, samples)));
        Parallel.forRange(active, 1, active, (first, last) -> {
            for (int w = first; w < last; w++) {
                for (int s = w; s < count; s += active) {
                    int shard = firstShard + s;
                    int from = start(samples, s, count);
                    int to = start(samples, s + 1, count);
                    Parallel.serial(() -> body.run(shard, from, to));
                }
            }
        });
    }

    /** First sample of shard {@code shard} of {@code shards} over {@code samples} samples. */
    private static int start(int samples, int shard, int shards) {
        return (int) ((long) samples * shard / shards);
    }
}
