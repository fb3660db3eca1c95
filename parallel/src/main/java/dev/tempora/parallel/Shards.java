package dev.tempora.parallel;

import dev.tempora.tensor.Parallel;

import java.util.function.IntConsumer;

/**
 * How the data-parallel engines cut a batch and spread it over workers: shard s of S holds samples
 * [n·s/S, n·(s+1)/S), and worker w of W runs shards w, w + W, w + 2W, ... one after another on the
 * shared pool, each with kernel parallelism off ({@link Parallel#serial}), so the parallelism is spent
 * once. The cut depends only on n and S, never on W or on timing.
 */
final class Shards {

    private Shards() {}

    /** First sample of shard {@code shard} of {@code shards} over {@code samples} samples. */
    static int start(int samples, int shard, int shards) {
        return (int) ((long) samples * shard / shards);
    }

    /** Runs {@code body} for every shard, on fewer workers when there are fewer shards or samples than workers. */
    static void run(int workers, int shards, int samples, IntConsumer body) {
        int active = Math.max(1, Math.min(workers, Math.min(shards, samples)));
        Parallel.forRange(active, 1, active, (from, to) -> {
            for (int w = from; w < to; w++) {
                for (int s = w; s < shards; s += active) {
                    int shard = s;
                    Parallel.serial(() -> body.accept(shard));
                }
            }
        });
    }
}
