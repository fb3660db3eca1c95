package dev.tempora.parallel.distributed;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Collective operations over TCP among N ranks arranged in a ring, with a fixed reduction order: the
 * sum of floats is always {@code ((0 + terms of rank 0) + terms of rank 1) + ...}, each rank's terms
 * in its own order, so N ranks reproduce bitwise the sums of one process that adds all the terms in
 * that order.
 *
 * <p>{@link #orderedSum(float[], Terms)} runs the ordered chain pipelined over chunks of the vector:
 * rank 0 starts each chunk from zero and adds its terms, sends the partial sum to rank 1, which adds
 * its terms onto it, and so on; rank N-1 ends with the total, which then travels on around the ring
 * (N-1, 0, 1, ..., N-2) so that every rank holds it. A thread per rank writes while the caller reads
 * and adds the next chunk, so the time is about 2 &times; bytes / bandwidth plus N chunk latencies,
 * the order of a classic ring all-reduce.
 *
 * <p>Set-up: every rank calls {@link #listen}, the ranks exchange {@link Endpoint#address()} by some
 * other means (Spark's barrier allGather), and each calls {@link Endpoint#connect} with its rank and
 * the full list. Every rank must then call the same operations in the same order. Every blocking wait
 * has the connect timeout; a peer that dies or stalls makes the operation fail with an
 * {@link IOException} naming the peer's rank and address, and the failing rank tells the next one why
 * before it drops its connections, so the failure travels around the ring instead of leaving ranks
 * waiting. After a failure the collective is unusable. Not thread-safe: one caller at a time.
 */
public final class RingCollective implements AutoCloseable {

    /** Floats per chunk of an {@link #orderedSum(float[], Terms)}: 64 KiB on the wire. */
    public static final int DEFAULT_CHUNK_FLOATS = 16 * 1024;

    /** How long {@link #close} waits for queued frames to reach the next rank, or a failing rank for its abort. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /**
     * One rank's terms of an {@link #orderedSum(float[], Terms)}: a sequence of float vectors and a
     * sequence of doubles, each added in order onto the partial sum that arrives from the previous rank.
     */
    public interface Terms {

        /**
         * Adds this rank's vectors, one after another, onto elements [from, to) of {@code partial}
         * ({@code partial[i] += term[i]} for each term in order; the same index in the vector and in
         * the array).
         */
        void addTo(float[] partial, int from, int to);

        /** Returns {@code partial} plus this rank's scalar terms, added one after another. */
        double addTo(double partial);
    }

    /** How {@link #allReduce} combines one element across ranks. */
    public enum Reduction {
        /** The sum (exact for longs). */
        SUM,
        /** The smallest value. */
        MIN,
        /** The largest value. */
        MAX;

        long apply(long a, long b) {
            return switch (this) {
                case SUM -> a + b;
                case MIN -> Math.min(a, b);
                case MAX -> Math.max(a, b);
            };
        }
    }

    /**
     * A rank's listening socket, opened before the ranks know each other's addresses; {@link #connect}
     * turns it into the collective and closes it.
     */
    public static final class Endpoint implements AutoCloseable {

        private final ServerSocket server;
        private final String address;

        private Endpoint(ServerSocket server, String address) {
            this.server = server;
            this.address = address;
        }

        /** This endpoint as "host:port" ("[v6]:port" for IPv6), the string to hand to the other ranks. */
        public String address() {
            return address;
        }

        /**
         * Joins the ring as rank {@code rank} of {@code addresses.size()}, where {@code addresses} lists
         * every rank's {@link #address()} in rank order (the same list on every rank; it also identifies
         * the run, so a connection from another run is refused). Connects to the next rank and waits for
         * the previous one, both within {@code timeout}, which then bounds every wait of every
         * operation: make it longer than the longest one rank can run ahead of another (a slow step,
         * rank 0 writing a checkpoint). Closes this endpoint's listening socket either way.
         *
         * @throws IllegalArgumentException for a rank outside the list, a repeated or malformed address,
         *                                  a list whose entry for {@code rank} has another port than this
         *                                  endpoint, or a non-positive timeout
         * @throws IOException              when a neighbour cannot be reached, refuses the handshake, or
         *                                  does not connect in time
         */
        public RingCollective connect(int rank, List<String> addresses, Duration timeout) throws IOException {
            try (server) {
                RingHandshake.check(rank, addresses, timeout);
                int listed = RingHandshake.parse(addresses.get(rank)).getPort();
                if (listed != server.getLocalPort()) {
                    throw new IllegalArgumentException("the address list gives rank " + rank + " the address "
                            + addresses.get(rank) + ", but this endpoint listens at " + address
                            + ": pass this endpoint's own rank, and the list in rank order");
                }
                List<String> list = List.copyOf(addresses);
                if (list.size() == 1) {
                    return new RingCollective(rank, list, timeout, null);
                }
                RingHandshake.Links links = RingHandshake.open(server, rank, list, timeout);
                try {
                    return new RingCollective(rank, list, timeout, links);
                } catch (IOException | RuntimeException e) {
                    RingHandshake.closeQuietly(links.next());
                    RingHandshake.closeQuietly(links.previous());
                    throw e;
                }
            }
        }

        /** Closes the listening socket (when the run is abandoned before {@link #connect}). */
        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private final int rank;
    private final int size;
    private final List<String> addresses;
    private final Duration timeout;
    private final RingSender next;
    private final RingReceiver previous;
    private int chunkFloats = DEFAULT_CHUNK_FLOATS;
    private long operation;
    private long operationNanos;
    private IOException failure;
    private boolean closed;

    private RingCollective(int rank, List<String> addresses, Duration timeout, RingHandshake.Links links)
            throws IOException {
        this.rank = rank;
        this.size = addresses.size();
        this.addresses = addresses;
        this.timeout = timeout;
        if (links == null) {
            this.next = null;
            this.previous = null;
        } else {
            int nextRank = (rank + 1) % size;
            int previousRank = (rank - 1 + size) % size;
            links.previous().setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            this.previous = new RingReceiver(links.previous(),
                    RingHandshake.describe(previousRank, addresses.get(previousRank)), timeout);
            this.next = new RingSender(links.next(), RingHandshake.describe(nextRank, addresses.get(nextRank)), rank);
        }
    }

    /**
     * Opens a listening socket on {@code bindAddress} at any free port. Bind to the address the other
     * ranks reach this host at; a wildcard address advertises this host's own address.
     */
    public static Endpoint listen(InetAddress bindAddress) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(bindAddress, 0), 64);
            InetAddress advertised = bindAddress.isAnyLocalAddress() ? InetAddress.getLocalHost() : bindAddress;
            String host = advertised.getHostAddress();
            if (advertised instanceof Inet6Address) {
                int scope = host.indexOf('%');
                host = "[" + (scope < 0 ? host : host.substring(0, scope)) + "]";
            }
            return new Endpoint(server, host + ":" + server.getLocalPort());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** This rank, in 0..size-1. */
    public int rank() {
        return rank;
    }

    /** The number of ranks. */
    public int size() {
        return size;
    }

    /** The bound on every wait. */
    public Duration timeout() {
        return timeout;
    }

    /** Every rank's address, in rank order, as given to {@link Endpoint#connect}. */
    public List<String> addresses() {
        return addresses;
    }

    /** Sets the floats per chunk of {@link #orderedSum(float[], Terms)} (every rank must use the same). */
    void chunkFloats(int floats) {
        if (floats < 1) {
            throw new IllegalArgumentException("a chunk needs at least one float, got " + floats);
        }
        chunkFloats = floats;
    }

    /**
     * The ordered sum of every rank's terms: afterwards {@code total} holds, on every rank,
     * {@code ((0 + rank 0's vectors in order) + rank 1's vectors in order) + ...} element by element,
     * and the return value is the same chain over the scalar terms. Every rank passes a vector of the
     * same length; its previous content is ignored.
     */
    public synchronized double orderedSum(float[] total, Terms terms) throws IOException {
        return run(op -> {
            int length = total.length;
            if (size == 1) {
                Arrays.fill(total, 0f);
                terms.addTo(total, 0, length);
                return terms.addTo(0.0);
            }
            int chunks = Math.max(1, Math.ceilDiv(length, chunkFloats));
            boolean last = rank == size - 1;
            double scalar = 0;
            for (int c = 0; c < chunks; c++) {
                int from = c * chunkFloats;
                int to = Math.min(length, from + chunkFloats);
                if (rank == 0) {
                    Arrays.fill(total, from, to, 0f);
                } else {
                    RingFrame partial = previous.read(RingFrame.FLOAT_PARTIAL, op, c, to - from);
                    partial.floatsInto(total, from);
                    scalar = c == 0 ? partial.scalar() : scalar;
                }
                terms.addTo(total, from, to);
                scalar = c == 0 ? terms.addTo(scalar) : scalar;
                int kind = last ? RingFrame.FLOAT_TOTAL : RingFrame.FLOAT_PARTIAL;
                next.send(RingFrame.floats(kind, op, c, scalar, total, from, to - from));
            }
            if (last) {
                return scalar;
            }
            boolean forward = rank < size - 2; // rank N-2 is the last to need the total
            for (int c = 0; c < chunks; c++) {
                int from = c * chunkFloats;
                int to = Math.min(length, from + chunkFloats);
                RingFrame sum = previous.read(RingFrame.FLOAT_TOTAL, op, c, to - from);
                sum.floatsInto(total, from);
                scalar = c == 0 ? sum.scalar() : scalar;
                if (forward) {
                    next.send(sum.bytes());
                }
            }
            return scalar;
        });
    }

    /** The ordered sum of every rank's doubles: {@code ((0 + rank 0's terms) + rank 1's terms) + ...}. */
    public double orderedSum(double... terms) throws IOException {
        double[] own = terms.clone();
        return orderedSum(new float[0], new Terms() {
            @Override
            public void addTo(float[] partial, int from, int to) {
                // no vector terms: the vector is empty
            }

            @Override
            public double addTo(double partial) {
                double sum = partial;
                for (double t : own) {
                    sum += t;
                }
                return sum;
            }
        });
    }

    /**
     * Element-wise reduction of every rank's {@code values} (the same length on every rank), element i
     * by {@code reductions[i]}, combined in rank order; every rank gets the result.
     */
    public synchronized long[] allReduce(long[] values, Reduction... reductions) throws IOException {
        if (reductions.length != values.length) {
            throw new IllegalArgumentException(values.length + " values need as many reductions, got " + reductions.length);
        }
        return run(op -> {
            long[] result = values.clone();
            if (size == 1) {
                return result;
            }
            if (rank > 0) {
                long[] partial = previous.read(RingFrame.LONG_PARTIAL, op, 0, values.length).longs();
                for (int i = 0; i < result.length; i++) {
                    result[i] = reductions[i].apply(partial[i], values[i]);
                }
            }
            boolean last = rank == size - 1;
            next.send(RingFrame.longs(last ? RingFrame.LONG_TOTAL : RingFrame.LONG_PARTIAL, op, result));
            if (last) {
                return result;
            }
            RingFrame total = previous.read(RingFrame.LONG_TOTAL, op, 0, values.length);
            if (rank < size - 2) {
                next.send(total.bytes());
            }
            return total.longs();
        });
    }

    /** The sum of every rank's {@code value}. */
    public long sum(long value) throws IOException {
        return allReduce(new long[] {value}, Reduction.SUM)[0];
    }

    /** The smallest of every rank's {@code value}. */
    public long min(long value) throws IOException {
        return allReduce(new long[] {value}, Reduction.MIN)[0];
    }

    /** The largest of every rank's {@code value}. */
    public long max(long value) throws IOException {
        return allReduce(new long[] {value}, Reduction.MAX)[0];
    }

    /** Returns once every rank has called it. */
    public void barrier() throws IOException {
        allReduce(new long[0]);
    }

    /**
     * Bytes this rank has sent to the next rank, frame headers included, the handshake not: counted when a
     * frame is handed to the sending thread, so an operation's bytes are known when it returns.
     */
    public long bytesSent() {
        return next == null ? 0 : next.bytesSent();
    }

    /** Bytes this rank has read from the previous rank. */
    public synchronized long bytesReceived() {
        return previous == null ? 0 : previous.bytesReceived();
    }

    /** Operations run so far (each {@link #orderedSum}, {@link #allReduce} and the calls built on them). */
    public synchronized long operations() {
        return operation;
    }

    /** Wall-clock nanoseconds spent inside operations so far, waiting for peers included. */
    public synchronized long operationNanos() {
        return operationNanos;
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(long operation) throws IOException;
    }

    private <T> T run(Body<T> body) throws IOException {
        if (closed) {
            throw new IllegalStateException("rank " + rank + "'s collective is closed");
        }
        if (failure != null) {
            throw new IOException("rank " + rank + "'s collective failed earlier: " + failure.getMessage(), failure);
        }
        long started = System.nanoTime();
        try {
            return body.run(++operation);
        } catch (IOException e) {
            abort(e);
            throw e;
        } catch (RuntimeException | Error e) {
            abort(new IOException(e.toString(), e));
            throw e;
        } finally {
            operationNanos += System.nanoTime() - started;
        }
    }

    /** Tells the next rank why this one gives up, then drops both connections so the failure travels on. */
    private void abort(IOException cause) {
        failure = cause;
        if (next == null) {
            return;
        }
        String self = RingHandshake.describe(rank, addresses.get(rank));
        try {
            next.send(RingFrame.abort(operation, self + " failed: " + cause.getMessage()));
        } catch (IOException unsent) {
            // the next rank is gone too: nothing to tell it
        }
        next.finish(CLOSE_GRACE);
        previous.close();
    }

    /**
     * Delivers what is still queued for the next rank (within a grace period) and closes the connections.
     * The other ranks see the connection close when they next wait on this rank.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (next != null && failure == null) {
            next.finish(CLOSE_GRACE);
            previous.close();
        }
    }

    /** Drops both connections at once, as a crashed process does (for tests of failure handling). */
    synchronized void crash() {
        closed = true;
        if (next != null) {
            next.closeNow();
            previous.close();
        }
    }
}
