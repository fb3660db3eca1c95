package dev.tempora.parallel.distributed;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingCollectiveTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A rank's terms: vectors and scalars added in list order. */
    private record ListTerms(List<float[]> vectors, double[] scalars) implements RingCollective.Terms {
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
            for (double s : scalars) {
                partial += s;
            }
            return partial;
        }
    }

    /** Rank r's terms: r + 1 vectors (none for rank 2), of magnitudes wide apart so the order of the additions shows. */
    private static ListTerms terms(int rank, int length) {
        SplittableRandom rng = new SplittableRandom(1000L * rank + length);
        int count = rank == 2 ? 0 : rank + 1;
        List<float[]> vectors = new ArrayList<>();
        double[] scalars = new double[count];
        for (int t = 0; t < count; t++) {
            float[] v = new float[length];
            for (int i = 0; i < length; i++) {
                v[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-4, 5)));
            }
            vectors.add(v);
            scalars[t] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-8, 9));
        }
        return new ListTerms(vectors, scalars);
    }

    private static float[] sequentialSum(List<ListTerms> ranks, int length) {
        float[] total = new float[length];
        for (ListTerms t : ranks) {
            t.addTo(total, 0, length);
        }
        return total;
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    void orderedSumIsBitwiseTheSequentialSumInRankOrder(int n) throws Exception {
        List<RingCollective> ring = Ranks.ring(n, TIMEOUT);
        try (AutoCloseable ignored = Ranks.closing(ring)) {
            for (int chunk : new int[] {RingCollective.DEFAULT_CHUNK_FLOATS, 1000}) {
                for (int length : new int[] {0, 1, 65_537, 1 << 20}) {
                    if (chunk != RingCollective.DEFAULT_CHUNK_FLOATS && length > 65_537) {
                        continue; // small chunks: the pipeline's boundaries, not the volume, are the point
                    }
                    List<ListTerms> terms = new ArrayList<>();
                    for (int r = 0; r < n; r++) {
                        terms.add(terms(r, length));
                    }
                    float[] expected = sequentialSum(terms, length);
                    double expectedScalar = 0;
                    for (ListTerms t : terms) {
                        expectedScalar = t.addTo(expectedScalar);
                    }
                    List<float[]> totals = new ArrayList<>();
                    for (int r = 0; r < n; r++) {
                        float[] garbage = new float[length];
                        java.util.Arrays.fill(garbage, Float.NaN); // the previous content must not matter
                        totals.add(garbage);
                    }
                    List<Double> scalars = Ranks.inParallel(n, rank -> {
                        ring.get(rank).chunkFloats(chunk);
                        return ring.get(rank).orderedSum(totals.get(rank), terms.get(rank));
                    });
                    for (int r = 0; r < n; r++) {
                        String what = n + " ranks, " + length + " floats, chunks of " + chunk + ", rank " + r;
                        assertBitwise(expected, totals.get(r), what);
                        assertEquals(Double.doubleToRawLongBits(expectedScalar), Double.doubleToRawLongBits(scalars.get(r)), what);
                    }
                    if (n > 1 && length > 1000) {
                        // The data is order-sensitive: adding the ranks the other way round changes some bits.
                        float[] reversed = sequentialSum(terms.reversed(), length);
                        assertTrue(!java.util.Arrays.equals(expected, reversed), "test data too tame to catch a wrong order");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    void longReductionsAndTheBarrier(int n) throws Exception {
        List<RingCollective> ring = Ranks.ring(n, TIMEOUT);
        try (AutoCloseable ignored = Ranks.closing(ring)) {
            List<long[]> results = Ranks.inParallel(n, rank -> {
                RingCollective c = ring.get(rank);
                c.barrier();
                long[] all = c.allReduce(new long[] {rank + 1, 10 - rank, (1L << 40) + rank},
                        RingCollective.Reduction.SUM, RingCollective.Reduction.MIN, RingCollective.Reduction.MAX);
                c.barrier();
                return new long[] {all[0], all[1], all[2], c.sum(rank * 3L), c.min(rank - 5L), c.max(-rank), c.rank(), c.size()};
            });
            for (int r = 0; r < n; r++) {
                long[] got = results.get(r);
                assertArrayEquals(new long[] {(long) n * (n + 1) / 2, 10 - (n - 1), (1L << 40) + n - 1,
                        3L * n * (n - 1) / 2, -5, 0, r, n}, got, "rank " + r);
                assertEquals(6, ring.get(r).operations(), "two barriers, one allReduce, sum, min, max");
            }
            if (n > 1) {
                assertTrue(ring.get(0).bytesSent() > 0 && ring.get(0).bytesReceived() > 0);
            }
        }
    }

    @Test
    void aPeerThatDiesMakesTheOthersFailFastNamingIt() throws Exception {
        List<RingCollective> ring = Ranks.ring(3, TIMEOUT);
        try (AutoCloseable ignored = Ranks.closing(ring)) {
            String dead = ring.get(1).addresses().get(1);
            ring.get(1).crash();
            long started = System.nanoTime();
            List<String> messages = Ranks.inParallel(3, rank -> {
                if (rank == 1) {
                    return "";
                }
                float[] total = new float[100_000];
                IOException e = assertThrows(IOException.class,
                        () -> ring.get(rank).orderedSum(total, terms(rank, total.length)));
                // The collective stays failed, at once, with the first cause.
                IOException again = assertThrows(IOException.class, () -> ring.get(rank).sum(1));
                assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
                return e.getMessage();
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(seconds < 15, "took " + seconds + " s, the timeout is " + TIMEOUT);
            for (int r : new int[] {0, 2}) {
                assertTrue(messages.get(r).contains("rank 1 at " + dead), "rank " + r + ": " + messages.get(r));
            }
            assertTrue(messages.get(2).contains("closed the connection"), messages.get(2));
            // Rank 0 learns it from its own send to rank 1 or from rank 2's abort, whichever comes first.
            assertTrue(messages.get(0).contains("sending to rank 1") || messages.get(0).contains("rank 2 at"), messages.get(0));
        }
    }

    @Test
    void aSilentPeerEndsTheWaitAtTheTimeout() throws Exception {
        List<RingCollective> ring = Ranks.ring(2, Duration.ofMillis(300));
        try (AutoCloseable ignored = Ranks.closing(ring)) {
            long started = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> ring.get(0).sum(1));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(seconds >= 0.25 && seconds < 10, "waited " + seconds + " s");
            assertTrue(e.getMessage().contains("nothing from rank 1 at " + ring.get(0).addresses().get(1)), e.getMessage());
        }
    }

    @Test
    void strayConnectionsAreRefusedAndTheRingStillForms() throws Exception {
        RingCollective.Endpoint first = RingCollective.listen(InetAddress.getLoopbackAddress());
        RingCollective.Endpoint second = RingCollective.listen(InetAddress.getLoopbackAddress());
        List<String> addresses = List.of(first.address(), second.address());
        try (Socket stray = new Socket(InetAddress.getLoopbackAddress(), RingHandshake.parse(second.address()).getPort())) {
            OutputStream out = stray.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            List<RingCollective> ring = Ranks.inParallel(2,
                    rank -> (rank == 0 ? first : second).connect(rank, addresses, TIMEOUT));
            try (AutoCloseable ignored = Ranks.closing(ring)) {
                List<Long> sums = Ranks.inParallel(2, rank -> ring.get(rank).sum(rank + 5));
                assertEquals(List.of(11L, 11L), sums);
            }
        }
    }

    @Test
    void aRankFromAnotherRunIsRefused() throws Exception {
        RingCollective.Endpoint first = RingCollective.listen(InetAddress.getLoopbackAddress());
        RingCollective.Endpoint second = RingCollective.listen(InetAddress.getLoopbackAddress());
        int firstPort = RingHandshake.parse(first.address()).getPort();
        Assumptions.assumeTrue(first.address().startsWith("127.0.0.1:")
                && InetAddress.getByName("localhost").getHostAddress().equals("127.0.0.1"), "localhost is 127.0.0.1");
        // Rank 1 was given another list (another spelling of rank 0's host: another run, as far as the ring knows).
        List<String> forFirst = List.of(first.address(), second.address());
        List<String> forSecond = List.of("localhost:" + firstPort, second.address());
        IOException e = assertThrows(IOException.class, () -> Ranks.inParallel(2, rank -> rank == 0
                ? first.connect(0, forFirst, Duration.ofSeconds(3))
                : second.connect(1, forSecond, Duration.ofSeconds(3))));
        assertTrue(e.getMessage().contains("another run"), e.getMessage());
    }

    @Test
    void badConnectArgumentsAreRejected() throws Exception {
        try (RingCollective.Endpoint endpoint = RingCollective.listen(InetAddress.getLoopbackAddress())) {
            String own = endpoint.address();
            assertThrows(IllegalArgumentException.class, () -> endpoint.connect(1, List.of(own), TIMEOUT));
            assertThrows(IllegalArgumentException.class, () -> endpoint.connect(0, List.of(own, own), TIMEOUT));
            assertThrows(IllegalArgumentException.class, () -> endpoint.connect(0, List.of(own, "no-port"), TIMEOUT));
            assertThrows(IllegalArgumentException.class, () -> endpoint.connect(0, List.of(own), Duration.ZERO));
            IllegalArgumentException wrongRank = assertThrows(IllegalArgumentException.class,
                    () -> endpoint.connect(1, List.of(own, "127.0.0.1:1"), TIMEOUT));
            assertTrue(wrongRank.getMessage().contains("this endpoint listens at " + own), wrongRank.getMessage());
        }
    }
}
