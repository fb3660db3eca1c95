package dev.tempora.parallel.distributed;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The link from the previous rank. Every read waits at most the collective's timeout, and every way a
 * read can fail becomes an {@link IOException} that names the peer: a closed connection, a silent
 * peer, an abort the peer sent, a frame out of step with this rank.
 */
final class RingReceiver {

    private final Socket socket;
    private final DataInputStream in;
    private final String peer;
    private final Duration timeout;
    private long bytesReceived;

    /** @param peer "rank r at host:port", for messages */
    RingReceiver(Socket socket, String peer, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.peer = peer;
        this.timeout = timeout;
    }

    /** The next frame, which must be of {@code kind}, belong to {@code operation} and {@code chunk} and hold {@code count} elements. */
    RingFrame read(int kind, long operation, int chunk, int count) throws IOException {
        RingFrame frame = read();
        if (frame.kind() == RingFrame.ABORT) {
            throw new IOException(frame.message());
        }
        if (frame.kind() != kind || frame.operation() != operation || frame.chunk() != chunk) {
            throw new IOException(peer + " sent " + RingFrame.kindName(frame.kind()) + " for operation " + frame.operation()
                    + " chunk " + frame.chunk() + " where this rank expected " + RingFrame.kindName(kind) + " for operation "
                    + operation + " chunk " + chunk + ": every rank must call the same collective operations in the same order");
        }
        if (frame.count() != count) {
            throw new IOException(peer + " sent " + frame.count() + " elements where this rank expected " + count
                    + ": the ranks disagree on the length (are they training the same model?)");
        }
        return frame;
    }

    private RingFrame read() throws IOException {
        byte[] header = new byte[RingFrame.HEADER_BYTES];
        readFully(header, 0, header.length);
        RingFrame head = RingFrame.ofHeader(header, null);
        long payload = RingFrame.payloadBytes(head.kind(), head.count());
        if (payload < 0) {
            throw new IOException(peer + " sent a malformed frame (kind " + head.kind() + ", count " + head.count() + ")");
        }
        byte[] bytes = new byte[Math.toIntExact(RingFrame.HEADER_BYTES + payload)];
        System.arraycopy(header, 0, bytes, 0, header.length);
        readFully(bytes, RingFrame.HEADER_BYTES, (int) payload);
        bytesReceived += bytes.length;
        return RingFrame.ofHeader(header, bytes);
    }

    private void readFully(byte[] target, int from, int length) throws IOException {
        try {
            in.readFully(target, from, length);
        } catch (SocketTimeoutException e) {
            throw new IOException("nothing from " + peer + " for " + timeout + ": it is stuck, or the timeout is shorter than"
                    + " the longest one rank waits for another (a slow step, a checkpoint written by rank 0)", e);
        } catch (EOFException e) {
            throw new IOException(peer + " closed the connection (it stopped or failed)", e);
        } catch (IOException e) {
            throw new IOException("lost the connection from " + peer + ": " + e.getMessage(), e);
        }
    }

    long bytesReceived() {
        return bytesReceived;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing or closing: nothing left to do with this socket
        }
    }
}
