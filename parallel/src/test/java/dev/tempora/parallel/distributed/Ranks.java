package dev.tempora.parallel.distributed;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ranks as threads of this JVM, meeting over loopback: how the tests stand in for Spark's tasks. */
final class Ranks {

    /** The work of one rank. */
    @FunctionalInterface
    interface Work<T> {
        T run(int rank) throws Exception;
    }

    private Ranks() {}

    /** Opens a ring of {@code n} ranks on loopback, connected concurrently as separate processes would. */
    static List<RingCollective> ring(int n, Duration timeout) throws Exception {
        List<RingCollective.Endpoint> endpoints = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            endpoints.add(RingCollective.listen(InetAddress.getLoopbackAddress()));
        }
        List<String> addresses = endpoints.stream().map(RingCollective.Endpoint::address).toList();
        return inParallel(n, rank -> endpoints.get(rank).connect(rank, addresses, timeout));
    }

    /** Runs {@code work} for ranks 0..n-1 on their own threads; the results in rank order, or the first failure. */
    static <T> List<T> inParallel(int n, Work<T> work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(threads.submit(() -> work.run(rank)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("a rank hung", e);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Closes every collective. */
    static void close(List<RingCollective> ring) {
        for (RingCollective c : ring) {
            c.close();
        }
    }

    /** Closes every collective, as a try-with-resources target. */
    static AutoCloseable closing(List<RingCollective> ring) {
        return () -> close(ring);
    }
}
