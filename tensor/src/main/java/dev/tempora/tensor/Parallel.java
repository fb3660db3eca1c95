package dev.tempora.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The one persistent {@link ForkJoinPool} that every parallel kernel and the data-parallel trainer
 * share, so threads are created once and never oversubscribe the cores.
 *
 * <p>Its size is {@code -Dtempora.threads=N}, else the number of available processors. Work that
 * parallelises at a higher level (a data-parallel worker) wraps itself in {@link #serial}, so
 * nested kernels run inline and the parallelism is spent once, at the outermost level.
 */
public final class Parallel {

    private static final int DEFAULT_THREADS =
            Integer.getInteger("tempora.threads", Runtime.getRuntime().availableProcessors());
    private static volatile ForkJoinPool pool;
    private static final java.util.concurrent.atomic.AtomicInteger THREAD_NUMBER = new java.util.concurrent.atomic.AtomicInteger();
    private static final ThreadLocal<int[]> SERIAL_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Parallel() {}

    /** A body over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes indices {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    /** The shared pool, created on first use. */
    public static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(Math.max(1, DEFAULT_THREADS), Parallel::newThread, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Threads the shared pool runs. */
    public static int threads() {
        return pool().getParallelism();
    }

    private static java.util.concurrent.ForkJoinWorkerThread newThread(ForkJoinPool p) {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
        // Numbered here: the pool index is only assigned when the thread registers, so every name read 0 before.
        t.setName("tempora-" + THREAD_NUMBER.getAndIncrement());
        t.setDaemon(true);
        return t;
    }

    /**
     * Runs {@code body} over [0, n) split into at most {@code maxTasks} contiguous chunks of at least
     * {@code grain} indices each. Runs inline when that gives one chunk or inside {@link #serial}. Chunk boundaries depend only on n, grain and maxTasks,
     * never on timing, so results are deterministic whenever chunks write disjoint outputs.
     */
    public static void forRange(int n, int grain, int maxTasks, RangeBody body) {
        int chunks = Math.min(maxTasks, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || SERIAL_DEPTH.get()[0] > 0) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
        }
        ForkJoinPool p = pool();
        if (ForkJoinTask.getPool() == p) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            // An outside caller hands the whole range to the pool and waits: the pool is sized to the cores.
            p.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    invokeAll(tasks);
                }
            });
        }
    }

    /** {@link #forRange} with as many chunks as the pool has threads. */
    public static void forRange(int n, int grain, RangeBody body) {
        forRange(n, grain, threads(), body);
    }

    /** Runs {@code body} with kernel parallelism off on this thread (for callers that parallelise above). */
    public static void serial(Runnable body) {
        int[] depth = SERIAL_DEPTH.get();
        depth[0]++;
        try {
            body.run();
        } finally {
            depth[0]--;
        }
    }
}
