package dev.tempora.parallel.distributed;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The link to the next rank. Frames are queued and written by a thread of their own, so the caller
 * goes on receiving and adding the next chunk while this one is on the wire: that overlap is what
 * pipelines the ring.
 */
final class RingSender {

    /** Queued after the last frame: the thread writes everything before it, then ends. */
    private static final byte[] END = new byte[0];

    private final Socket socket;
    private final OutputStream out;
    private final String peer;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private final Thread thread;
    private volatile IOException failure;

    /** @param peer "rank r at host:port", for messages */
    RingSender(Socket socket, String peer, int rank) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.peer = peer;
        this.thread = Thread.ofPlatform().daemon().name("tempora-ring-sender-rank-" + rank).start(this::drain);
    }

    private void drain() {
        try {
            while (true) {
                byte[] frame = queue.take();
                if (frame == END) {
                    return;
                }
                out.write(frame);
            }
        } catch (IOException e) {
            failure = new IOException("sending to " + peer + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a frame; throws if an earlier frame could not be sent. */
    void send(byte[] frame) throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
        queue.add(frame);
        bytesSent.addAndGet(frame.length);
    }

    /**
     * Writes what is queued (waiting at most {@code grace}), then closes the socket. After a failure the
     * caller queues an abort frame first, so the next rank learns why before the connection drops.
     */
    void finish(Duration grace) {
        queue.add(END);
        try {
            thread.join(grace.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeNow();
    }

    /** Closes the socket at once (what a crash does); the writing thread stops on the closed socket. */
    void closeNow() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to do with it
        }
        thread.interrupt();
    }

    /** Bytes handed to this link so far (written, or queued to be). */
    long bytesSent() {
        return bytesSent.get();
    }
}
