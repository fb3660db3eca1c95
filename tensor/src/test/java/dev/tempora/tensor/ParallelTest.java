package dev.tempora.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Parallel.forRange: exact coverage, chunk boundaries that depend only on the arguments, serial mode. */
class ParallelTest {

    private static List<int[]> chunks(int n, int grain, int maxTasks) {
        ConcurrentLinkedQueue<int[]> seen = new ConcurrentLinkedQueue<>();
        Parallel.forRange(n, grain, maxTasks, (from, to) -> seen.add(new int[] {from, to}));
        List<int[]> sorted = new ArrayList<>(seen);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        return sorted;
    }

    @Test
    void coversTheRangeExactlyOnceInTheDocumentedChunks() {
        int[] sizes = {0, 1, 2, 7, 64, 1000, 1001, 65_537};
        int[] grains = {1, 3, 64, 5000};
        int[] maxTasks = {1, 2, 3, 7, 64};
        for (int n : sizes) {
            for (int grain : grains) {
                for (int tasks : maxTasks) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, grain, tasks, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "index " + i + " of n=" + n + " grain=" + grain + " tasks=" + tasks);
                    }
                    // The documented rule: min(maxTasks, max(1, n / grain)) chunks of near-equal size.
                    int expectedChunks = n == 0 ? 0 : Math.min(tasks, Math.max(1, n / grain));
                    List<int[]> got = chunks(n, grain, tasks);
                    assertEquals(expectedChunks, got.size(), "chunks for n=" + n + " grain=" + grain + " tasks=" + tasks);
                    for (int c = 0; c < got.size(); c++) {
                        assertEquals((int) ((long) n * c / expectedChunks), got.get(c)[0]);
                        assertEquals((int) ((long) n * (c + 1) / expectedChunks), got.get(c)[1]);
                        assertTrue(got.get(c)[1] - got.get(c)[0] >= Math.min(grain, n), "chunks are at least grain long");
                    }
                }
            }
        }
    }

    @Test
    void singleChunksAndSerialModeRunInlineOnTheCaller() {
        Thread caller = Thread.currentThread();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(10, 100, 8, (from, to) -> calls.add(from + "-" + to + (Thread.currentThread() == caller)));
        assertEquals(List.of("0-10true"), calls);
        calls.clear();
        Parallel.serial(() -> Parallel.forRange(100_000, 1, 8,
                (from, to) -> calls.add(from + "-" + to + (Thread.currentThread() == caller))));
        assertEquals(List.of("0-100000true"), calls);
        // Serial mode ends with its body, even when the body throws.
        assertThrows(IllegalStateException.class, () -> Parallel.serial(() -> {
            throw new IllegalStateException("body failed");
        }));
        assertEquals(8, chunks(100_000, 1, 8).size(), "chunked again once serial mode has ended");
    }

    @Test
    void chunksRunOnThePoolsDaemonThreads() {
        ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
        Parallel.forRange(64, 1, 4, (from, to) -> threads.add(Thread.currentThread()));
        for (Thread t : threads) {
            assertTrue(t.getName().startsWith("tempora-") && t.isDaemon(), t.getName());
        }
        assertEquals(Integer.getInteger("tempora.threads", Runtime.getRuntime().availableProcessors()), Parallel.threads());
        assertEquals(Parallel.threads(), Parallel.pool().getParallelism());
    }

    @Test
    void nestedRangesCompleteAndCoverEverything() {
        AtomicIntegerArray hits = new AtomicIntegerArray(40 * 50);
        Parallel.forRange(40, 1, 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(50, 1, 4, (f, t) -> {
                    for (int j = f; j < t; j++) {
                        hits.incrementAndGet(row * 50 + j);
                    }
                });
            }
        });
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void exceptionsReachTheCaller() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(100, 1, 4,
                (from, to) -> {
                    if (from > 0) {
                        throw new IllegalArgumentException("chunk at " + from);
                    }
                }));
        // ForkJoinPool may rethrow a copy (same type, the original as its cause) to keep the caller's stack.
        assertTrue(e.getMessage().contains("chunk at "), e.getMessage());
    }
}
