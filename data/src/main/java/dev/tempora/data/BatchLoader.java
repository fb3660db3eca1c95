package dev.tempora.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batches of a {@link TimeSeriesDataSet}, as PTF's DataLoader draws them: a permutation of the windows
 * (shuffled per epoch from the seed, or in index order), cut into batches of {@code batchSize}, the last
 * incomplete batch dropped when asked. The same seed and epoch always give the same batches.
 * {@link #windows(int, int)} exposes a batch's window indices so that worker threads can collate in
 * parallel.
 */
public final class BatchLoader implements Iterable<Batch> {

    private final TimeSeriesDataSet dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    BatchLoader(TimeSeriesDataSet dataset, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** Samples per batch (the last batch of an epoch may have fewer unless it is dropped). */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int batchCount() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The window order of an epoch. */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The window indices of batch {@code batch} of {@code epoch} (the epoch's order is computed once and kept). */
    public int[] windows(int epoch, int batch) {
        int[] order;
        synchronized (this) {
            if (cachedEpoch != epoch) {
                cachedOrder = order(epoch);
                cachedEpoch = epoch;
            }
            order = cachedOrder;
        }
        return slice(order, batch);
    }

    private int[] slice(int[] order, int batch) {
        if (batch < 0 || batch >= batchCount()) {
            throw new IllegalArgumentException("batch " + batch + " is outside the epoch's " + batchCount() + " batches");
        }
        int from = batch * batchSize;
        int to = Math.min(order.length, from + batchSize);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    /** The batches of one epoch, collated lazily. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            private final int[] order = order(epoch);
            private final int count = batchCount();
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return dataset.collate(slice(order, next++));
            }
        };
    }

    /** Epoch 0. */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(0).iterator();
    }
}
