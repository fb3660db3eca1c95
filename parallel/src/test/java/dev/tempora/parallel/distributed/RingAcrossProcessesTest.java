package dev.tempora.parallel.distributed;

import dev.tempora.parallel.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rank 0 in this JVM, rank 1 in a JVM of its own ({@link RingRankProcess}): the sum across processes, and a killed process. */
class RingAcrossProcessesTest {

    private static final int LENGTH = 70_001;

    /** Rank r's terms: r + 2 vectors of magnitudes wide apart, so the order of the additions shows. */
    static RingCollective.Terms terms(int rank, int length) {
        SplittableRandom rng = new SplittableRandom(77L + rank);
        float[][] vectors = new float[rank + 2][length];
        for (float[] v : vectors) {
            for (int i = 0; i < length; i++) {
                v[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-4, 5)));
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
                return partial;
            }
        };
    }

    /** A hash of the values' bits. */
    static int hash(float[] values) {
        int h = 1;
        for (float v : values) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return h;
    }

    @Test
    void aRankInAnotherProcessSumsTheSameAndItsDeathIsSeenAtOnce() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", ChildJvm.classPath(RingRankProcess.class),
                RingRankProcess.class.getName(), "1", Integer.toString(LENGTH))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
            RingCollective.Endpoint endpoint = RingCollective.listen(InetAddress.getLoopbackAddress());
            String childAddress = field(out.readLine(), "address");
            List<String> addresses = List.of(endpoint.address(), childAddress);
            in.println(String.join(",", addresses));
            try (RingCollective ring = endpoint.connect(0, addresses, Duration.ofSeconds(60))) {
                float[] total = new float[LENGTH];
                ring.orderedSum(total, terms(0, LENGTH));
                float[] expected = new float[LENGTH];
                terms(0, LENGTH).addTo(expected, 0, LENGTH);
                terms(1, LENGTH).addTo(expected, 0, LENGTH);
                assertEquals(hash(expected), hash(total), "rank 0's total");
                assertEquals(Integer.toString(hash(expected)), field(out.readLine(), "total"), "rank 1's total");

                // Killed while rank 0 waits on it: the operating system closes its sockets.
                long started = System.nanoTime();
                Thread killer = Thread.ofPlatform().start(() -> {
                    sleep(300);
                    child.destroyForcibly();
                });
                IOException e = assertThrows(IOException.class, () -> ring.sum(1));
                killer.join();
                double seconds = (System.nanoTime() - started) / 1e9;
                assertTrue(seconds < 20, "noticed after " + seconds + " s; the timeout is 60 s");
                assertTrue(e.getMessage().contains("rank 1 at " + childAddress), e.getMessage());
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String field(String line, String name) {
        assertTrue(line != null && line.startsWith(name + " "), "the child printed '" + line + "', expected " + name);
        return line.substring(name.length() + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
