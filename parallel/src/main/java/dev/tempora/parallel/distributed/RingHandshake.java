package dev.tempora.parallel.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Opens a ring: each rank connects to the next one and accepts the previous one. The connecting side
 * sends a hello (a magic number, the protocol version, the run id, the ring size and its rank); the
 * accepting side answers yes or no with a reason. A connection that is not from this run's previous
 * rank (another job, a port scanner, a rank with another address list) is refused and the wait goes
 * on for the right one until the deadline.
 */
final class RingHandshake {

    private static final int MAGIC = 0x54524e47; // "TRNG"
    private static final int VERSION = 1;
    private static final int ACCEPTED = 0;
    private static final int REFUSED = 1;
    /** How long an accepted connection may take to say hello before it is dropped as a stray. */
    private static final Duration HELLO_WAIT = Duration.ofSeconds(10);
    private static final long RETRY_MILLIS = 50;

    /** The two sockets of one rank: to the next rank and from the previous one. */
    record Links(Socket next, Socket previous) {}

    private RingHandshake() {}

    /** Connects rank {@code rank} of {@code addresses.size()} into the ring through its listening {@code server}. */
    static Links open(ServerSocket server, int rank, List<String> addresses, Duration timeout) throws IOException {
        int size = addresses.size();
        long deadline = System.nanoTime() + timeout.toNanos();
        long runId = runId(addresses);
        int nextRank = (rank + 1) % size;
        int previousRank = (rank - 1 + size) % size;
        Socket next = null;
        Socket previous = null;
        try {
            // Say hello first, answer the previous rank next, read our answer last: nobody waits on a
            // reply the other side can only send after its own accept, so the ring cannot deadlock here.
            next = connect(addresses.get(nextRank), nextRank, deadline);
            DataOutputStream hello = new DataOutputStream(next.getOutputStream());
            hello.writeInt(MAGIC);
            hello.writeInt(VERSION);
            hello.writeLong(runId);
            hello.writeInt(size);
            hello.writeInt(rank);
            hello.flush();
            previous = accept(server, rank, size, previousRank, addresses.get(previousRank), runId, deadline);
            next.setSoTimeout(remainingMillis(deadline, nextRank, addresses.get(nextRank), "answer the handshake"));
            DataInputStream answer = new DataInputStream(next.getInputStream());
            int status;
            String reason;
            try {
                status = answer.readInt();
                reason = answer.readUTF();
            } catch (SocketTimeoutException e) {
                throw new IOException(describe(nextRank, addresses.get(nextRank)) + " did not answer the handshake within "
                        + timeout, e);
            } catch (IOException e) {
                throw new IOException(describe(nextRank, addresses.get(nextRank)) + " dropped the handshake: " + e.getMessage(), e);
            }
            if (status != ACCEPTED) {
                throw new IOException(describe(nextRank, addresses.get(nextRank)) + " refused rank " + rank + ": " + reason);
            }
            next.setSoTimeout(0);
            return new Links(next, previous);
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);
            closeQuietly(previous);
            throw e;
        }
    }

    /** "rank r at host:port". */
    static String describe(int rank, String address) {
        return "rank " + rank + " at " + address;
    }

    /** A run's identity: a hash of the ordered address list every rank of the run was given. */
    static long runId(List<String> addresses) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", addresses).getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                id = id << 8 | (digest[i] & 0xff);
            }
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Parses "host:port" or "[ipv6]:port". */
    static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + address + "' has no numeric port", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address '" + address + "' has port " + port + ", outside 1..65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Checks the arguments of a connect: a rank inside the list, distinct well-formed addresses. */
    static void check(int rank, List<String> addresses, Duration timeout) {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("the address list is empty: pass every rank's Endpoint.address(), in rank order");
        }
        if (rank < 0 || rank >= addresses.size()) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (addresses.size() - 1)
                    + " for " + addresses.size() + " addresses");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
        }
        if (new HashSet<>(addresses).size() != addresses.size()) {
            throw new IllegalArgumentException("the address list " + addresses + " names an address twice: every rank needs its own");
        }
        addresses.forEach(RingHandshake::parse);
    }

    private static Socket connect(String address, int peerRank, long deadline) throws IOException {
        InetSocketAddress unresolved = parse(address);
        while (true) {
            int millis = remainingMillis(deadline, peerRank, address, "accept a connection (refused: is it listening?)");
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()), millis);
                return socket;
            } catch (ConnectException e) {
                // Not listening (yet): try again until the deadline.
                closeQuietly(socket);
                sleep();
            } catch (IOException e) {
                closeQuietly(socket);
                throw new IOException("could not connect to " + describe(peerRank, address) + ": " + e.getMessage(), e);
            }
        }
    }

    private static Socket accept(ServerSocket server, int rank, int size, int previousRank, String previousAddress,
                                 long runId, long deadline) throws IOException {
        List<String> refused = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException(describe(previousRank, previousAddress) + " did not connect to rank " + rank + " in time"
                        + (refused.isEmpty() ? "" : "; refused " + refused.size() + " other connection(s): " + refused));
            }
            server.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketTimeoutException e) {
                continue; // the deadline check above ends the wait
            }
            String refusal = greet(socket, rank, size, previousRank, runId, deadline);
            if (refusal == null) {
                socket.setTcpNoDelay(true);
                return socket;
            }
            refused.add(socket.getRemoteSocketAddress() + " (" + refusal + ")");
            closeQuietly(socket);
        }
    }

    /** Reads a connection's hello and answers it: null when it is our previous rank, else why not. */
    private static String greet(Socket socket, int rank, int size, int previousRank, long runId, long deadline) {
        try {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) Math.min(left, HELLO_WAIT.toMillis()));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            if (in.readInt() != MAGIC) {
                return "not a Tempora ring connection";
            }
            int version = in.readInt();
            long theirRun = in.readLong();
            int theirSize = in.readInt();
            int theirRank = in.readInt();
            String refusal = null;
            if (version != VERSION) {
                refusal = "protocol version " + version + ", this rank speaks " + VERSION;
            } else if (theirRun != runId) {
                refusal = "it belongs to another run (its address list differs from this rank's)";
            } else if (theirSize != size) {
                refusal = "it expects " + theirSize + " ranks, this ring has " + size;
            } else if (theirRank != previousRank) {
                refusal = "it is rank " + theirRank + ", but rank " + rank + " accepts only rank " + previousRank;
            }
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(refusal == null ? ACCEPTED : REFUSED);
            out.writeUTF(refusal == null ? "" : refusal);
            out.flush();
            socket.setSoTimeout(0);
            return refusal;
        } catch (IOException e) {
            return "no valid hello: " + e;
        }
    }

    private static int remainingMillis(long deadline, int peerRank, String address, String what) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new IOException(describe(peerRank, address) + " did not " + what + " in time");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", e);
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one worth reporting
        }
    }
}
