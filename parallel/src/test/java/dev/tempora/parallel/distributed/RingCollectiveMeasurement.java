package dev.tempora.parallel.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times {@link RingCollective#orderedSum(float[], RingCollective.Terms)} among ranks on loopback (threads of
 * this JVM): per step, median and 90th percentile of the slowest rank's wall time, and the bytes each rank
 * sends. Each rank adds 4 vectors, as a rank does with 8 shards over 2 ranks. Not a unit test (surefire does
 * not pick it up); run it on an otherwise idle machine:
 *
 * <pre>
 * mvn -B -ntp -o -pl parallel -am -DskipTests test-compile
 * java -cp parallel/target/classes:parallel/target/test-classes \
 *     dev.tempora.parallel.distributed.RingCollectiveMeasurement [ranks]
 * </pre>
 */
public final class RingCollectiveMeasurement {

    /** The TFT seed preset's parameter count (hidden 20, 8 heads, hidden_continuous 4). */
    private static final int SEED_PRESET_FLOATS = 33_191;
    private static final int TERMS_PER_RANK = 4;

    private RingCollectiveMeasurement() {}

    /**
     * Runs the measurement.
     *
     * @param args optionally the number of ranks (default 2)
     * @throws Exception when the ring fails
     */
    public static void main(String[] args) throws Exception {
        int ranks = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        List<RingCollective> ring = Ranks.ring(ranks, Duration.ofSeconds(60));
        try (AutoCloseable ignored = Ranks.closing(ring)) {
            System.out.printf(Locale.ROOT, "%d ranks on loopback, %d terms per rank%n", ranks, TERMS_PER_RANK);
            System.out.println("floats     chunk  median ms  p90 ms  bytes sent/rank/step  MB/s (bytes sent by a rank / median)");
            for (int floats : new int[] {SEED_PRESET_FLOATS, 1 << 20}) {
                for (int chunk : new int[] {4 * 1024, 16 * 1024, 64 * 1024}) {
                    int steps = floats > 100_000 ? 60 : 400;
                    measure(ring, floats, chunk, steps);
                }
            }
        }
    }

    private static void measure(List<RingCollective> ring, int floats, int chunk, int steps) throws Exception {
        int ranks = ring.size();
        List<RingCollective.Terms> terms = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            terms.add(terms(r, floats));
        }
        int warmup = steps / 4;
        long[][] nanos = new long[ranks][];
        long[] bytes = new long[ranks];
        Ranks.inParallel(ranks, rank -> {
            RingCollective c = ring.get(rank);
            c.chunkFloats(chunk);
            float[] total = new float[floats];
            long[] times = new long[steps];
            long sent = 0;
            for (int s = -warmup; s < steps; s++) {
                c.barrier();
                long sentBefore = c.bytesSent();
                long started = System.nanoTime();
                c.orderedSum(total, terms.get(rank));
                if (s >= 0) {
                    times[s] = System.nanoTime() - started;
                    sent += c.bytesSent() - sentBefore;
                }
            }
            nanos[rank] = times;
            bytes[rank] = sent / steps;
            return null;
        });
        long[] slowest = new long[steps];
        for (int s = 0; s < steps; s++) {
            for (int r = 0; r < ranks; r++) {
                slowest[s] = Math.max(slowest[s], nanos[r][s]);
            }
        }
        Arrays.sort(slowest);
        double median = slowest[steps / 2] / 1e6;
        double p90 = slowest[steps * 9 / 10] / 1e6;
        long maxBytes = Arrays.stream(bytes).max().orElse(0);
        System.out.printf(Locale.ROOT, "%-9d %6d %10.3f %7.3f %21d %6.0f%n", floats, chunk, median, p90, maxBytes,
                maxBytes / (median / 1e3) / 1e6);
    }

    private static RingCollective.Terms terms(int rank, int floats) {
        SplittableRandom rng = new SplittableRandom(rank);
        float[][] vectors = new float[TERMS_PER_RANK][floats];
        for (float[] v : vectors) {
            for (int i = 0; i < floats; i++) {
                v[i] = (float) rng.nextGaussian();
            }
        }
        return new RingCollective.Terms() {
            @Override
            public void addTo(float[] partial, int from, int to) {
                for (float[] v : vectors) {
                    for (int i = from; i < to; i++) {
                        partial[i] += v[i];
                    }
                }
            }

            @Override
            public double addTo(double partial) {
                return partial + rank;
            }
        };
    }
}
