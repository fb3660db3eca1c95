package dev.tempora.parallel.distributed;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A rank in a process of its own, driven through its standard streams by {@link RingAcrossProcessesTest}:
 * prints "address HOST:PORT", reads the comma-separated address list, joins as the given rank, runs one
 * ordered sum of {@link RingAcrossProcessesTest#terms} and prints "total HASH", then waits for its
 * standard input to end (or to be killed).
 */
public final class RingRankProcess {

    private RingRankProcess() {}

    /**
     * Runs the rank.
     *
     * @param args the rank and the vector length
     * @throws Exception when the ring fails
     */
    public static void main(String[] args) throws Exception {
        int rank = Integer.parseInt(args[0]);
        int length = Integer.parseInt(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        RingCollective.Endpoint endpoint = RingCollective.listen(InetAddress.getLoopbackAddress());
        System.out.println("address " + endpoint.address());
        System.out.flush();
        List<String> addresses = Arrays.asList(in.readLine().split(","));
        try (RingCollective ring = endpoint.connect(rank, addresses, Duration.ofSeconds(60))) {
            float[] total = new float[length];
            ring.orderedSum(total, RingAcrossProcessesTest.terms(rank, length));
            System.out.println("total " + RingAcrossProcessesTest.hash(total));
            System.out.flush();
            while (in.readLine() != null) {
                // wait for the parent to end the run (or kill this process)
            }
        }
    }
}
